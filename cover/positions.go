package cover

import (
	"strconv"

	"github.com/vpool/vpool/ray"
)

// OpenPosition deposits Amount over Pools, ascending (spec §6.1).
type OpenPosition struct {
	Owner  string
	Amount Int
	Pools  []int
}

func (o OpenPosition) apply(m *Market, at uint64) (any, error) {
	if o.Amount.IsZero() || len(o.Pools) == 0 {
		return nil, fail(CodeZeroAmount, "a position needs an amount and at least one pool")
	}
	if len(o.Pools) > m.cfg.MaxLeverage {
		return nil, fail(CodeMaxLeverageExceeded, "%d pools, at most %d", len(o.Pools), m.cfg.MaxLeverage)
	}
	pos := &Position{ID: len(m.positions), Owner: o.Owner, Pools: append([]int(nil), o.Pools...), LP: make([]LPInfo, len(o.Pools))}
	for i, id := range o.Pools {
		p, err := m.pool(id)
		if err != nil {
			return nil, err
		}
		if p.Paused {
			return nil, fail(CodePoolPaused, "pool %d is paused", id)
		}
		if err := m.purge(p, at); err != nil {
			return nil, err
		}
		if err := m.deposit(p, pos, i, o.Amount); err != nil {
			return nil, err
		}
		for _, later := range o.Pools[i+1:] {
			if later <= id {
				return nil, fail(CodePoolsNotAscending, "pools must be strictly ascending")
			}
			if !m.compatible[pairKey(id, later)] {
				return nil, fail(CodeIncompatiblePools, "pools %d and %d are not compatible", id, later)
			}
			if m.pools[later].Strategy != p.Strategy {
				return nil, fail(CodeMixedStrategies, "pools %d and %d use different strategies", id, later)
			}
		}
	}
	strat := m.strategies[m.pools[o.Pools[0]].Strategy]
	if err := m.depositCapital(o.Owner, strat, o.Amount); err != nil {
		return nil, err
	}
	pos.Supplied = o.Amount
	pos.StrategyRewardIndex = strat.RewardIndex
	if err := m.growShares(pos, o.Amount); err != nil {
		return nil, err
	}
	appendTo(&m.j, &m.positions, pos)
	return map[string]int{"position": pos.ID}, nil
}

// deposit is deposit() of spec §6.1 for pool p, the i-th pool of pos: it
// reprices the pool, bookmarks the position and raises L.
func (m *Market) deposit(p *Pool, pos *Position, i int, amount Int) error {
	l2, err := ray.Add(p.Liquidity, amount)
	if err != nil {
		return arith(err)
	}
	if err := m.moveLiquidity(p, l2); err != nil {
		return err
	}
	set(&m.j, &pos.LP[i], LPInfo{BeginLiquidityIndex: p.Slot0.LiquidityIndex, BeginClaimIndex: len(p.Compensations)})
	return nil
}

// moveLiquidity sets pool p's liquidity L to l2, repricing its seconds per
// tick with market() so that premium spending follows the new rate.
func (m *Market) moveLiquidity(p *Pool, l2 Int) error {
	var c ray.Calc
	s := p.Slot0
	_, s.SecondsPerTick, _ = p.Formula.marketMove(&c, s.SecondsPerTick, p.Liquidity, s.CoveredCapital, l2, s.CoveredCapital)
	if c.Err != nil {
		return arith(c.Err)
	}
	m.setSlot0(p, s)
	m.setLiquidity(p, l2)
	return nil
}

// growShares adds amount to every overlap between the position's pools and
// to its basket (L itself grows in deposit).
func (m *Market) growShares(pos *Position, amount Int) error {
	for i, a := range pos.Pools {
		for _, b := range pos.Pools[i+1:] {
			if err := addTo(m, m.overlaps, pairKey(a, b), amount); err != nil {
				return err
			}
			m.markOverlapped(a, b)
			m.markOverlapped(b, a)
		}
	}
	b := pos.basket
	if b == nil {
		b = m.basketOf(pos.Pools)
		set(&m.j, &pos.basket, b)
	}
	sum, err := ray.Add(b.Amount, amount)
	if err != nil {
		return arith(err)
	}
	set(&m.j, &b.Amount, sum)
	return nil
}

// markOverlapped adds b to a's overlapped pools, keeping them ascending.
func (m *Market) markOverlapped(a, b int) {
	p := m.pools[a]
	for i, id := range p.Overlapped {
		if id == b {
			return
		}
		if id > b {
			old := p.Overlapped
			m.j.push(func() { p.Overlapped = old })
			p.Overlapped = append(append(append([]int(nil), old[:i]...), b), old[i:]...)
			return
		}
	}
	appendTo(&m.j, &p.Overlapped, b)
}

// basketOf returns the basket of exactly these pools, creating it.
func (m *Market) basketOf(pools []int) *Basket {
	key := basketKey(pools)
	if b, ok := m.baskets[key]; ok {
		return b
	}
	b := &Basket{Pools: append([]int(nil), pools...)}
	setKey(&m.j, m.baskets, key, b)
	for _, id := range pools {
		appendTo(&m.j, &m.pools[id].baskets, b)
	}
	return b
}

func basketKey(pools []int) string {
	var key []byte
	for i, id := range pools {
		if i > 0 {
			key = append(key, ',')
		}
		key = strconv.AppendInt(key, int64(id), 10)
	}
	return string(key)
}

func (m *Market) position(id int, caller string) (*Position, error) {
	if id < 0 || id >= len(m.positions) {
		return nil, fail(CodeNotFound, "no position %d", id)
	}
	pos := m.positions[id]
	return pos, owned(caller, pos.Owner, "position")
}
