package server

import (
	"net/http"
	"strconv"

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

// getMarket is GET /v1/market.
func (a *api) getMarket(w http.ResponseWriter, _ *http.Request, _ *principal) error {
	var info MarketInfo
	var err error
	a.n.Read(func(m *cover.Market, now, seq uint64) { info, err = marketInfo(m, now, seq) })
	if err != nil {
		return err
	}
	w.Header().Set("X-Vpool-Seq", strconv.FormatUint(info.Seq, 10))
	w.Header().Set("X-Vpool-At", strconv.FormatUint(info.At, 10))
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
	var v cover.CurveView
	if err := a.read(w, func(m *cover.Market, now uint64) (err error) {
		if v, err = m.PoolCurve(id, curveSteps, now); err != nil {
			return engineError(err)
		}
		return nil
	}); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
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
	limit, err := queryUint(r, "limit", defaultExpiringLimit)
	if err != nil {
		return err
	}
	if limit < 1 || limit > maxExpiringLimit {
		return badRequest("limit must be between 1 and %d", maxExpiringLimit)
	}
	var v cover.TickLineView
	if err := a.read(w, func(m *cover.Market, now uint64) (err error) {
		if v, err = m.ExpiringAt(id, now, int(limit)); err != nil {
			return engineError(err)
		}
		return nil
	}); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// positionQuoteRequest is the body of POST /v1/quote/position.
type positionQuoteRequest struct {
	Pools  []int            `json:"pools"`
	Amount *scenario.Amount `json:"amount"`
}

// postQuotePosition is POST /v1/quote/position, computed by the engine
// (cover.Market.QuotePosition) without changing anything.
func (a *api) postQuotePosition(w http.ResponseWriter, r *http.Request, _ *principal) error {
	body, err := readBody(w, r, a.opt.MaxBodyBytes)
	if err != nil {
		return err
	}
	var q positionQuoteRequest
	if err := decodeStrict(body, &q); err != nil {
		return err
	}
	if q.Amount == nil || q.Pools == nil {
		return badRequest("pools and amount are required")
	}
	var quote cover.PositionQuote
	if err := a.read(w, func(m *cover.Market, now uint64) (err error) {
		if quote, err = m.QuotePosition(q.Pools, q.Amount.Int, now); err != nil {
			return engineError(err)
		}
		return nil
	}); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, quote)
	return nil
}
