package cover

import "github.com/vpool/vpool/ray"

// PoolRates are a pool's yearly rates at a time, in ray percent.
type PoolRates struct {
	Utilization Int `json:"utilization"`
	PremiumRate Int `json:"premiumRate"`
	// RewardRate is U × P: what a unit of LP capital earns per year from
	// premiums, before fees.
	RewardRate Int `json:"rewardRate"`
	// NetRewardRate is RewardRate less the pool fee: an unleveraged LP's
	// premium yield.
	NetRewardRate Int `json:"netRewardRate"`
}

// PoolRates returns pool id's rates as of time at.
func (m *Market) PoolRates(id int, at uint64) (PoolRates, error) {
	p, err := m.pool(id)
	if err != nil {
		return PoolRates{}, err
	}
	var c ray.Calc
	return p.rates(&c, p.pointNow(&c, at), 1)
}

// rates are p's rates at curve point pt for an LP spread over n pools: the
// net rate then also pays the leverage fee.
func (p *Pool) rates(c *ray.Calc, pt curvePoint, n int) (PoolRates, error) {
	var r PoolRates
	r.Utilization, r.PremiumRate = pt.u, pt.rate
	r.RewardRate = c.DivInt(pt.factor(c), hundred)
	fees := p.FeeRate
	if n > 1 {
		fees = c.Add(fees, c.MulInt(p.LeverageFeePerPool, ray.U64(uint64(n))))
	}
	kept := zero
	if fees.Lt(&ray.Hundred) {
		kept = c.Sub(ray.Hundred, fees)
	}
	r.NetRewardRate = c.MulDiv(r.RewardRate, kept, ray.Hundred)
	return r, arith(c.Err)
}

// StrategyRate is the yearly rate of a strategy's reward index over its
// last move (ray percent): 0 until the index has been set once.
func (s *Strategy) StrategyRate() (Int, error) {
	if s.IndexAt <= s.PrevIndexAt || !s.PrevIndex.Lt(&s.RewardIndex) {
		return Int{}, nil
	}
	var c ray.Calc
	growth := c.MulInt(c.Sub(s.RewardIndex, s.PrevIndex), c.MulInt(yearInt, ray.Hundred))
	r := c.DivInt(c.DivInt(growth, s.PrevIndex), ray.U64(s.IndexAt-s.PrevIndexAt))
	return r, arith(c.Err)
}

// PositionAPY is what a position earns per year at time at (ray percent),
// as the published Liquidity page shows it: the net premium rate of every
// pool it backs (its capital earns in each) plus its strategy's rate.
func (m *Market) PositionAPY(id int, at uint64) (Int, error) {
	pos, err := m.position(id, "")
	if err != nil {
		return Int{}, err
	}
	apy, err := m.strategies[m.pools[pos.Pools[0]].Strategy].StrategyRate()
	if err != nil {
		return Int{}, err
	}
	for _, pid := range pos.Pools {
		p := m.pools[pid]
		var c ray.Calc
		r, err := p.rates(&c, p.pointNow(&c, at), len(pos.Pools))
		if err != nil {
			return Int{}, err
		}
		if apy, err = ray.Add(apy, r.NetRewardRate); err != nil {
			return Int{}, arith(err)
		}
	}
	return apy, nil
}
