package server

import (
	"net/http"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/scenario"
)

// quoteRequest is the body of POST /v1/quote/cover: a pool, an amount and
// either the premiums to spend or the duration (seconds) wanted.
type quoteRequest struct {
	Pool     *int             `json:"pool"`
	Amount   *scenario.Amount `json:"amount"`
	Premiums *scenario.Amount `json:"premiums"`
	Duration *uint64          `json:"duration"`
}

// CoverQuote is what a cover would cost and get, as openCover would
// register it now: the pool's premium rate after the purchase (ray
// percent), its seconds per tick, the cover's duration in seconds and in
// whole ticks, the premiums it takes and its daily cost at the start.
type CoverQuote struct {
	Pool            int    `json:"pool"`
	Amount          string `json:"amount"`
	PremiumRate     string `json:"premiumRate"`
	SecondsPerTick  string `json:"secondsPerTick"`
	DurationSeconds string `json:"durationSeconds"`
	Ticks           uint64 `json:"ticks"`
	Premiums        string `json:"premiums"`
	DailyCost       string `json:"dailyCost"`
}

// postQuoteCover is POST /v1/quote/cover, computed by the engine
// (cover.Market.QuoteCover) without changing anything.
func (a *api) postQuoteCover(w http.ResponseWriter, r *http.Request, _ *principal) error {
	var q quoteRequest
	if err := a.decodeBody(w, r, &q); err != nil {
		return err
	}
	if q.Pool == nil || q.Amount == nil {
		return badRequest("pool and amount are required")
	}
	if (q.Premiums == nil) == (q.Duration == nil) {
		return badRequest("give either premiums or duration")
	}
	var premiums *cover.Int
	if q.Premiums != nil {
		premiums = &q.Premiums.Int
	}
	return writeView(a, w, func(e *scenario.Engines, now uint64) (CoverQuote, error) {
		cq, err := e.Cover.QuoteCover(*q.Pool, q.Amount.Int, premiums, q.Duration, now)
		if err != nil {
			return CoverQuote{}, err
		}
		return CoverQuote{Pool: *q.Pool, Amount: q.Amount.Dec(), PremiumRate: cq.PremiumRate.Dec(),
			SecondsPerTick: cq.SecondsPerTick.Dec(), DurationSeconds: cq.Duration.Dec(), Ticks: cq.Ticks,
			Premiums: cq.Premiums.Dec(), DailyCost: cq.DailyCost.Dec()}, nil
	})
}
