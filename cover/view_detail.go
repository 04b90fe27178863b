package cover

import (
	"math/bits"
	"slices"

	"github.com/vpool/vpool/ray"
)

// Figure is how a view writes a computed figure: v in decimal, or "0"
// when it could not be computed (err, an arithmetic limit), so that the
// error stays in that one figure and the rest of the view is served.
func Figure(v Int, err error) string {
	if err != nil {
		return "0"
	}
	return v.Dec()
}

// StrategyView is a strategy with its yearly rate (ray percent; "0" when
// it cannot be computed, see Figure).
type StrategyView struct {
	ID               int    `json:"id"`
	Name             string `json:"name,omitempty"`
	Asset            string `json:"asset"`
	Compounds        bool   `json:"compounds"`
	FeeRate          string `json:"feeRate"`
	PayoutDeductible string `json:"payoutDeductible"`
	RewardIndex      string `json:"rewardIndex"`
	Rate             string `json:"rate"`
}

// StrategyAt is one strategy's view; it fails only for an unknown id.
func (m *Market) StrategyAt(id int) (StrategyView, error) {
	s, err := m.strategy(id)
	if err != nil {
		return StrategyView{}, err
	}
	return StrategyView{ID: s.ID, Name: s.Name, Asset: s.Asset, Compounds: s.Compounds, FeeRate: s.FeeRate.Dec(),
		PayoutDeductible: s.PayoutDeductible.Dec(), RewardIndex: s.RewardIndex.Dec(), Rate: Figure(s.StrategyRate())}, nil
}

// CurvePoint is the premium rate at a utilization (both ray percent).
type CurvePoint struct {
	Utilization string `json:"utilization"`
	PremiumRate string `json:"premiumRate"`
}

// CurveView is a pool's settings and premium curve at a time: the fees,
// the formula, the pools it may share liquidity with, the curve sampled
// at steps+1 even utilizations (and at uOptimal), and the current point.
type CurveView struct {
	Pool               int          `json:"pool"`
	FeeRate            string       `json:"feeRate"`
	LeverageFeePerPool string       `json:"leverageFeePerPool"`
	UOptimal           string       `json:"uOptimal"`
	R0                 string       `json:"r0"`
	RSlope1            string       `json:"rSlope1"`
	RSlope2            string       `json:"rSlope2"`
	CompatiblePools    []int        `json:"compatiblePools"`
	Points             []CurvePoint `json:"points"`
	Current            CurvePoint   `json:"current"`
}

// PoolCurve is pool id's curve view at time at, sampled at steps+1 evenly
// spaced utilizations (steps ≥ 1) plus uOptimal, in ascending order.
func (m *Market) PoolCurve(id, steps int, at uint64) (CurveView, error) {
	p, err := m.pool(id)
	if err != nil {
		return CurveView{}, err
	}
	if steps < 1 {
		return CurveView{}, fail(CodeInvalidArgument, "a curve needs at least one step")
	}
	f := p.Formula
	var c ray.Calc
	us := []Int{f.UOptimal}
	for i := 0; i <= steps; i++ {
		us = append(us, c.DivInt(c.MulInt(ray.Hundred, ray.U64(uint64(i))), ray.U64(uint64(steps))))
	}
	slices.SortFunc(us, func(a, b Int) int { return a.Cmp(&b) })
	us = slices.CompactFunc(us, func(a, b Int) bool { return a.Eq(&b) })
	v := CurveView{Pool: p.ID, FeeRate: p.FeeRate.Dec(), LeverageFeePerPool: p.LeverageFeePerPool.Dec(),
		UOptimal: f.UOptimal.Dec(), R0: f.R0.Dec(), RSlope1: f.RSlope1.Dec(), RSlope2: f.RSlope2.Dec(),
		CompatiblePools: m.compatibleWith(p.ID)}
	for _, u := range us {
		rate := f.PremiumRate(&c, u)
		v.Points = append(v.Points, CurvePoint{Utilization: u.Dec(), PremiumRate: rate.Dec()})
	}
	s := slot0At(p, at)
	u := Utilization(&c, s.CoveredCapital, p.Liquidity)
	rate := f.PremiumRate(&c, u)
	v.Current = CurvePoint{Utilization: u.Dec(), PremiumRate: rate.Dec()}
	return v, arith(c.Err)
}

// compatibleWith lists, ascending, the other pools id may share a
// position with.
func (m *Market) compatibleWith(id int) []int {
	out := []int{}
	for other := range m.pools {
		if other != id && m.compatible[pairKey(id, other)] {
			out = append(out, other)
		}
	}
	return out
}

// TickExpiry is the cover expiring at one tick: when the tick is crossed
// if nothing else happens before, the amount ending, and the pool's
// covered capital after it.
type TickExpiry struct {
	Tick         uint32 `json:"tick"`
	At           uint64 `json:"at"`
	Amount       string `json:"amount"`
	CoveredAfter string `json:"coveredAfter"`
}

// TickLineView is a pool's tick line ahead of a time: its tick and
// seconds per tick then, and the next ticks at which cover expires.
type TickLineView struct {
	Pool           int          `json:"pool"`
	At             uint64       `json:"at"`
	Tick           uint32       `json:"tick"`
	SecondsPerTick string       `json:"secondsPerTick"`
	Expiring       []TickExpiry `json:"expiring"`
}

// ExpiringAt is pool id's tick line after time at: up to limit ticks
// where cover expires, each with the time a purge would cross it if no
// command came first. The walk is refresh's (spec §4.2): from the stored
// slot0, each expiry reprices the pool from the stored values.
func (m *Market) ExpiringAt(id int, at uint64, limit int) (TickLineView, error) {
	p, err := m.pool(id)
	if err != nil {
		return TickLineView{}, err
	}
	cur := slot0At(p, at)
	v := TickLineView{Pool: p.ID, At: at, Tick: cur.Tick, SecondsPerTick: cur.SecondsPerTick.Dec(), Expiring: []TickExpiry{}}
	stored := p.Slot0
	var c ray.Calc
	spt, covered := stored.SecondsPerTick, stored.CoveredCapital
	tick, t := uint64(stored.Tick), stored.LastUpdate
	for _, n32 := range p.ticks.inited[p.ticks.firstAtOrAfter(tick+1):] {
		if len(v.Expiring) >= limit || !spt.IsUint64() {
			break
		}
		n := uint64(n32)
		hi, seg := bits.Mul64(spt.Uint64(), n-tick)
		if hi != 0 || t+seg < t {
			break
		}
		t += seg
		amount := p.ticks.at(n32)
		covered = c.Sub(covered, amount)
		_, spt, _ = p.Formula.marketMove(&c, stored.SecondsPerTick, p.Liquidity, stored.CoveredCapital, p.Liquidity, covered)
		if c.Err != nil {
			break
		}
		tick = n
		if n32 > cur.Tick {
			v.Expiring = append(v.Expiring, TickExpiry{Tick: n32, At: t, Amount: amount.Dec(), CoveredAfter: covered.Dec()})
		}
	}
	return v, nil
}

// PoolYield is what a position's capital would earn per year in one pool
// (ray percent): the reward rate U × P, the pool fee and leverage fee
// taken from it, and the net rate left.
type PoolYield struct {
	Pool        int    `json:"pool"`
	Utilization string `json:"utilization"`
	PremiumRate string `json:"premiumRate"`
	RewardRate  string `json:"rewardRate"`
	FeeRate     string `json:"feeRate"`
	LeverageFee string `json:"leverageFee"`
	NetRate     string `json:"netRate"`
}

// PositionQuote is what a position of an amount over some pools would
// earn right after it opens (ray percent): each pool's yield with the
// amount deposited, the strategy's rate, and the APY (their sum, as
// PositionAPY would then report it).
type PositionQuote struct {
	Pools        []PoolYield `json:"pools"`
	Strategy     int         `json:"strategy"`
	StrategyRate string      `json:"strategyRate"`
	APY          string      `json:"apy"`
}

// QuotePosition prices openPosition(amount, pools) at time at without
// changing anything. It fails as openPosition would on the pools (in its
// order of checks), not on the owner's balance.
func (m *Market) QuotePosition(pools []int, amount Int, at uint64) (PositionQuote, error) {
	if amount.IsZero() || len(pools) == 0 {
		return PositionQuote{}, fail(CodeZeroAmount, "a position needs an amount and at least one pool")
	}
	if len(pools) > m.cfg.MaxLeverage {
		return PositionQuote{}, fail(CodeMaxLeverageExceeded, "%d pools, at most %d", len(pools), m.cfg.MaxLeverage)
	}
	n := len(pools)
	var q PositionQuote
	var c ray.Calc
	apy := Int{}
	for i, id := range pools {
		p, err := m.pool(id)
		if err != nil {
			return PositionQuote{}, err
		}
		if p.Paused {
			return PositionQuote{}, fail(CodePoolPaused, "pool %d is paused", id)
		}
		if m.frozen {
			return PositionQuote{}, fail(CodeFrozen, "the market is frozen")
		}
		for _, later := range pools[i+1:] {
			if later <= id {
				return PositionQuote{}, fail(CodePoolsNotAscending, "pools must be strictly ascending")
			}
			if !m.compatible[pairKey(id, later)] {
				return PositionQuote{}, fail(CodeIncompatiblePools, "pools %d and %d are not compatible", id, later)
			}
			if m.pools[later].Strategy != p.Strategy {
				return PositionQuote{}, fail(CodeMixedStrategies, "pools %d and %d use different strategies", id, later)
			}
		}
		s := slot0At(p, at)
		after := *p
		after.Liquidity = c.Add(p.Liquidity, amount)
		var rc ray.Calc
		r, err := after.rates(&rc, after.pointAt(&rc, s.CoveredCapital), n)
		if err != nil {
			return PositionQuote{}, err
		}
		lev := Int{}
		if n > 1 {
			lev = c.MulInt(p.LeverageFeePerPool, ray.U64(uint64(n)))
		}
		apy = c.Add(apy, r.NetRewardRate)
		q.Pools = append(q.Pools, PoolYield{Pool: id, Utilization: r.Utilization.Dec(), PremiumRate: r.PremiumRate.Dec(),
			RewardRate: r.RewardRate.Dec(), FeeRate: p.FeeRate.Dec(), LeverageFee: lev.Dec(), NetRate: r.NetRewardRate.Dec()})
	}
	q.Strategy = m.pools[pools[0]].Strategy
	sr, err := m.strategies[q.Strategy].StrategyRate()
	if err != nil {
		return PositionQuote{}, err
	}
	apy = c.Add(apy, sr)
	q.StrategyRate, q.APY = sr.Dec(), apy.Dec()
	return q, arith(c.Err)
}
