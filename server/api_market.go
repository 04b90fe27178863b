package server

import (
	"net/http"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/scenario"
)

// MarketInfo is the market at a glance, as of a seq and a time: its
// assets, strategies with their yearly rates, and pools with theirs.
type MarketInfo struct {
	Seq        uint64               `json:"seq"`
	At         uint64               `json:"at"`
	Assets     []AssetInfo          `json:"assets"`
	Strategies []cover.StrategyView `json:"strategies"`
	Pools      []PoolInfo           `json:"pools"`
	// Swap is the swap market, once it has a pair.
	Swap *SwapMarketInfo `json:"swap,omitempty"`
}

// AssetInfo is a token the market knows and its decimals.
type AssetInfo struct {
	Symbol   string `json:"symbol"`
	Decimals uint8  `json:"decimals"`
}

// marketInfo builds the market view; it runs under the node's read lock.
func marketInfo(m *cover.Market, now, seq uint64) (MarketInfo, error) {
	n := m.Counts()
	info := MarketInfo{Seq: seq, At: now, Assets: []AssetInfo{}, Strategies: make([]cover.StrategyView, n.Strategies),
		Pools: make([]PoolInfo, n.Pools)}
	for _, a := range m.Assets() {
		info.Assets = append(info.Assets, AssetInfo{Symbol: a.Symbol, Decimals: a.Decimals})
	}
	var err error
	for id := range info.Strategies {
		if info.Strategies[id], err = m.StrategyAt(id); err != nil {
			return info, engineError(err)
		}
	}
	for id := range info.Pools {
		if info.Pools[id], err = poolInfo(m, id, now); err != nil {
			return info, err
		}
	}
	return info, nil
}

// market builds the market view as of now under the node's read lock.
func (a *api) market() (info MarketInfo, err error) {
	a.n.ReadEngines(func(e *scenario.Engines, now, seq uint64) {
		if info, err = marketInfo(e.Cover, now, seq); err == nil {
			info.Swap = swapMarketInfo(e, now)
		}
	})
	return info, err
}

// getMarket is GET /v1/market.
func (a *api) getMarket(w http.ResponseWriter, _ *http.Request, _ *principal) error {
	info, err := a.market()
	if err != nil {
		return err
	}
	stateHeaders(w, info.Seq, info.At)
	writeJSON(w, http.StatusOK, info)
	return nil
}

// curveSteps is how many even steps of utilization the curve is sampled at.
const curveSteps = 20

// getPoolCurve is GET /v1/pools/{id}/curve.
func (a *api) getPoolCurve(w http.ResponseWriter, r *http.Request, _ *principal) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return writeView(a, w, func(e *scenario.Engines, now uint64) (cover.CurveView, error) {
		return e.Cover.PoolCurve(id, curveSteps, now)
	})
}

const (
	defaultExpiringLimit = 50
	maxExpiringLimit     = 500
)

// getPoolExpiring is GET /v1/pools/{id}/expiring?limit=N.
func (a *api) getPoolExpiring(w http.ResponseWriter, r *http.Request, _ *principal) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	limit, err := queryLimit(r, defaultExpiringLimit, maxExpiringLimit)
	if err != nil {
		return err
	}
	return writeView(a, w, func(e *scenario.Engines, now uint64) (cover.TickLineView, error) {
		return e.Cover.ExpiringAt(id, now, limit)
	})
}

// positionQuoteRequest is the body of POST /v1/quote/position.
type positionQuoteRequest struct {
	Pools  []int            `json:"pools"`
	Amount *scenario.Amount `json:"amount"`
}

// postQuotePosition is POST /v1/quote/position, computed by the engine
// (cover.Market.QuotePosition) without changing anything.
func (a *api) postQuotePosition(w http.ResponseWriter, r *http.Request, _ *principal) error {
	var q positionQuoteRequest
	if err := a.decodeBody(w, r, &q); err != nil {
		return err
	}
	if q.Amount == nil || q.Pools == nil {
		return badRequest("pools and amount are required")
	}
	return writeView(a, w, func(e *scenario.Engines, now uint64) (cover.PositionQuote, error) {
		return e.Cover.QuotePosition(q.Pools, q.Amount.Int, now)
	})
}
