package cover

import "github.com/vpool/vpool/ray"

// CoverQuote prices a cover as openCover would register it at a time.
type CoverQuote struct {
	// PremiumRate is the pool's rate after the purchase (ray percent).
	PremiumRate Int `json:"premiumRate"`
	// SecondsPerTick is the pool's tick length after the purchase.
	SecondsPerTick Int `json:"secondsPerTick"`
	// Duration is the cover the premiums buy, in seconds, and Ticks the
	// whole ticks it is registered for (it ends at the last of them).
	Duration Int    `json:"durationSeconds"`
	Ticks    uint64 `json:"ticks"`
	// Premiums is what the cover costs: the premiums given, or the least
	// that buy the duration asked for.
	Premiums Int `json:"premiums"`
	// DailyCost is the premiums spent per day at the start.
	DailyCost Int `json:"dailyCost"`
}

// QuoteCover prices a cover of amount in pool at time at, for either the
// premiums given or the duration (seconds) asked for. It changes nothing
// and fails as openCover would (capacity, below one tick, …).
func (m *Market) QuoteCover(pool int, amount Int, premiums *Int, duration *uint64, at uint64) (CoverQuote, error) {
	p, err := m.pool(pool)
	if err != nil {
		return CoverQuote{}, err
	}
	if (premiums == nil) == (duration == nil) {
		return CoverQuote{}, fail(CodeInvalidArgument, "give either premiums or a duration")
	}
	if amount.IsZero() || premiums != nil && premiums.IsZero() || duration != nil && *duration == 0 {
		return CoverQuote{}, fail(CodeZeroAmount, "amount, premiums and duration must be positive")
	}
	s := slot0At(p, at)
	var q CoverQuote
	if premiums != nil {
		q.Premiums = *premiums
	} else if q.Premiums, err = p.premiumsFor(&s, amount, ray.U64(*duration)); err != nil {
		return CoverQuote{}, err
	}
	pr, err := p.price(&s, amount, q.Premiums)
	if err != nil {
		return CoverQuote{}, err
	}
	after := s
	after.CoveredCapital, after.SecondsPerTick = pr.covered, pr.spt
	info, err := coverInfo(p, &Cover{Amount: amount, BeginPremiumRate: pr.rate, LastTick: pr.lastTick}, &after)
	if err != nil {
		return CoverQuote{}, err
	}
	q.PremiumRate, q.SecondsPerTick, q.Duration, q.Ticks, q.DailyCost = pr.rate, pr.spt, pr.duration, pr.ticks, info.DailyCost
	return q, nil
}

// premiumsFor is the least premiums whose cover of amount at slot0 s lasts
// at least want seconds: coverDuration only grows with the premiums, so a
// doubling search and a bisection find it exactly.
func (p *Pool) premiumsFor(s *Slot0, amount, want Int) (Int, error) {
	var c ray.Calc
	covered := c.Add(s.CoveredCapital, amount)
	rate, _, _ := p.coverMove(&c, s.SecondsPerTick, s.CoveredCapital, covered)
	enough := func(premiums Int) bool {
		d := coverDuration(&c, premiums, rate, amount)
		return c.Err == nil && !d.Lt(&want)
	}
	one := ray.U64(1)
	lo, hi := Int{}, one
	for !enough(hi) {
		if c.Err != nil || hi.BitLen() >= 255 {
			return Int{}, fail(CodeOverflow, "no premiums buy %s s of cover", want.Dec())
		}
		lo = hi
		hi = c.Add(c.MulInt(hi, ray.U64(2)), one)
	}
	for {
		gap := c.Sub(hi, lo)
		if c.Err != nil {
			return Int{}, arith(c.Err)
		}
		if !one.Lt(&gap) {
			return hi, nil
		}
		mid := c.Add(lo, c.DivInt(gap, ray.U64(2)))
		if enough(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
}
