package cover

import (
	"slices"

	"github.com/vpool/vpool/ray"
)

// accrual is a position's updated info in one pool (spec §6.2).
type accrual struct {
	capital, coverRewards, strategyRewards Int
	lp                                     LPInfo
}

// accrue walks the compensations of pool p (the i-th pool of pos) that the
// position has not yet seen, from capital, up to liquidity index `index`
// and the strategy's current index.
func (m *Market) accrue(p *Pool, pos *Position, i int, capital, index Int) (accrual, error) {
	var c ray.Calc
	strat := m.strategies[p.Strategy]
	begin, upTo := pos.LP[i].BeginLiquidityIndex, pos.StrategyRewardIndex
	var cover, strategy Int
	base := func() Int {
		if strat.Compounds {
			return c.Add(capital, strategy)
		}
		return capital
	}
	for _, k := range p.Compensations[pos.LP[i].BeginClaimIndex:] {
		comp := m.comps[k]
		if !slices.Contains(pos.Pools, comp.FromPool) {
			continue
		}
		li := comp.IndexBefore[p.ID]
		cover = c.Add(cover, CoverRewards(&c, capital, begin, li))
		strategy = c.Add(strategy, StrategyRewards(&c, base(), upTo, comp.StrategyIndexBefore))
		begin, upTo = li, comp.StrategyIndexBefore
		capital = c.Sub(capital, c.Mul(capital, comp.Ratio))
	}
	cover = c.Add(cover, CoverRewards(&c, capital, begin, index))
	strategy = c.Add(strategy, StrategyRewards(&c, base(), upTo, strat.RewardIndex))
	if c.Err != nil {
		return accrual{}, arith(c.Err)
	}
	return accrual{capital, cover, strategy, LPInfo{index, len(p.Compensations)}}, nil
}

// Interests is the result of taking a position's interests: what reached
// the beneficiary after fees, and the gross rewards per pool.
type Interests struct {
	CoverRewards         Int   `json:"coverRewards"`
	StrategyRewards      Int   `json:"strategyRewards"`
	GrossCoverRewards    []Int `json:"grossCoverRewards"`
	GrossStrategyRewards Int   `json:"grossStrategyRewards"`
}

// takeInterests is spec §6.3 without its checks: every pool of the
// position is purged (always, spec §4.2), each pool's cover rewards are
// paid (to coverTo), then the strategy rewards to the owner, and the
// position is rebased on its updated capital. Purging every pool before
// paying any is the same as purging each just before its payment: a purge
// touches only its own pool.
func (m *Market) takeInterests(pos *Position, at uint64, coverTo string) (*Interests, error) {
	strat := m.strategies[m.pools[pos.Pools[0]].Strategy]
	res := &Interests{GrossCoverRewards: make([]Int, len(pos.Pools))}
	for _, id := range pos.Pools {
		if err := m.purge(m.pools[id], at); err != nil {
			return nil, err
		}
	}
	if pos.Supplied.IsZero() {
		set(&m.j, &pos.StrategyRewardIndex, strat.RewardIndex)
		return res, nil
	}
	var last accrual
	for i, id := range pos.Pools {
		p := m.pools[id]
		a, err := m.accrue(p, pos, i, pos.Supplied, p.Slot0.LiquidityIndex)
		if err != nil {
			return nil, err
		}
		net, err := m.payCoverRewards(p, len(pos.Pools), a.coverRewards, coverTo)
		if err != nil {
			return nil, err
		}
		if res.CoverRewards, err = ray.Add(res.CoverRewards, net); err != nil {
			return nil, arith(err)
		}
		res.GrossCoverRewards[i] = a.coverRewards
		set(&m.j, &pos.LP[i], a.lp)
		last = a
	}
	net, err := m.payStrategyRewardsNet(pos.Owner, strat, last.strategyRewards)
	if err != nil {
		return nil, err
	}
	res.StrategyRewards, res.GrossStrategyRewards = net, last.strategyRewards
	set(&m.j, &pos.Supplied, last.capital)
	set(&m.j, &pos.StrategyRewardIndex, strat.RewardIndex)
	return res, nil
}

// payCoverRewards splits reward r of pool p for a position of n pools
// (spec §6.5): the pool fee to the treasury, the leverage fee to the risk
// fund, the rest to `to`, which it returns.
func (m *Market) payCoverRewards(p *Pool, n int, r Int, to string) (Int, error) {
	var c ray.Calc
	fee := c.DivInt(c.MulInt(r, p.FeeRate), ray.Hundred)
	fee = minInt(r, fee)
	rest := c.Sub(r, fee)
	var lev Int
	if n > 1 {
		lev = minInt(rest, c.DivInt(c.MulInt(c.MulInt(r, p.LeverageFeePerPool), ray.U64(uint64(n))), ray.Hundred))
	}
	net := c.Sub(rest, lev)
	if c.Err != nil {
		return Int{}, arith(c.Err)
	}
	for _, pay := range []struct {
		to string
		a  Int
	}{{Treasury, fee}, {RiskFund, lev}, {to, net}} {
		if err := m.payFromPremiums(pay.to, p.PaymentAsset, pay.a); err != nil {
			return Int{}, err
		}
	}
	return net, nil
}

// payStrategyRewardsNet pays strategy rewards r to owner less the
// strategy's performance fee (to the treasury), returning what owner got.
func (m *Market) payStrategyRewardsNet(owner string, s *Strategy, r Int) (Int, error) {
	fee, err := ray.MulDiv(r, s.FeeRate, ray.Hundred)
	if err != nil {
		return Int{}, arith(err)
	}
	fee = minInt(r, fee)
	var net Int
	net.Sub(&r, &fee)
	if err := m.payStrategyRewards(Treasury, s, fee); err != nil {
		return Int{}, err
	}
	return net, m.payStrategyRewards(owner, s, net)
}

func minInt(a, b Int) Int {
	if b.Lt(&a) {
		return b
	}
	return a
}
