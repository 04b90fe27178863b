package cover

import (
	"math"

	"github.com/vpool/vpool/ray"
)

// TakeInterests pays a position's rewards to its owner (spec §6.3).
type TakeInterests struct {
	As       string
	Position int
}

func (t TakeInterests) apply(m *Market, at uint64) (any, error) {
	pos, err := m.position(t.Position, t.As)
	if err != nil {
		return nil, err
	}
	if pos.Committed {
		return nil, fail(CodePositionCommitted, "position %d is committed to withdraw", pos.ID)
	}
	return m.takeInterests(pos, at, pos.Owner)
}

// CommitRemoveLiquidity starts a position's withdrawal delay (spec §6.4).
type CommitRemoveLiquidity struct {
	As       string
	Position int
}

func (t CommitRemoveLiquidity) apply(m *Market, at uint64) (any, error) {
	if _, err := TakeInterests(t).apply(m, at); err != nil {
		return nil, err
	}
	pos := m.positions[t.Position]
	set(&m.j, &pos.Committed, true)
	set(&m.j, &pos.CommitTimestamp, at)
	return nil, nil
}

// UncommitRemoveLiquidity cancels a commit; the cover rewards of the
// commit period go to the risk fund (spec §6.4).
type UncommitRemoveLiquidity struct {
	As       string
	Position int
}

func (t UncommitRemoveLiquidity) apply(m *Market, at uint64) (any, error) {
	pos, err := m.position(t.Position, t.As)
	if err != nil {
		return nil, err
	}
	return nil, m.uncommit(pos, at)
}

func (m *Market) uncommit(pos *Position, at uint64) error {
	if !pos.Committed {
		return fail(CodePositionNotCommitted, "position %d is not committed", pos.ID)
	}
	set(&m.j, &pos.Committed, false)
	set(&m.j, &pos.CommitTimestamp, 0)
	_, err := m.takeInterests(pos, at, RiskFund)
	return err
}

// AddLiquidity adds Amount to every pool of a position (spec §6.4).
type AddLiquidity struct {
	As       string
	Position int
	Amount   Int
}

func (a AddLiquidity) apply(m *Market, at uint64) (any, error) {
	pos, err := m.position(a.Position, a.As)
	if err != nil {
		return nil, err
	}
	if a.Amount.IsZero() {
		return nil, fail(CodeZeroAmount, "nothing to add")
	}
	if pos.Committed {
		return nil, fail(CodePositionCommitted, "position %d is committed to withdraw", pos.ID)
	}
	if _, err := m.takeInterests(pos, at, pos.Owner); err != nil {
		return nil, err
	}
	for i, id := range pos.Pools {
		p := m.pools[id]
		if p.Paused {
			return nil, fail(CodePoolPaused, "pool %d is paused", id)
		}
		if err := m.deposit(p, pos, i, a.Amount); err != nil {
			return nil, err
		}
		for _, later := range pos.Pools[i+1:] {
			if !m.compatible[pairKey(id, later)] {
				return nil, fail(CodeIncompatiblePools, "pools %d and %d are no longer compatible", id, later)
			}
		}
	}
	strat := m.strategies[m.pools[pos.Pools[0]].Strategy]
	if err := m.depositCapital(pos.Owner, strat, a.Amount); err != nil {
		return nil, err
	}
	supplied, err := ray.Add(pos.Supplied, a.Amount)
	if err != nil {
		return nil, arith(err)
	}
	set(&m.j, &pos.Supplied, supplied)
	return nil, m.growShares(pos, a.Amount)
}

// RemoveLiquidity withdraws Amount from a committed position once the
// withdrawal delay has passed (spec §6.4).
type RemoveLiquidity struct {
	As       string
	Position int
	Amount   Int
}

func (r RemoveLiquidity) apply(m *Market, at uint64) (any, error) {
	pos, err := m.position(r.Position, r.As)
	if err != nil {
		return nil, err
	}
	if r.Amount.IsZero() {
		return nil, fail(CodeZeroAmount, "nothing to remove")
	}
	if opens := addSaturating(pos.CommitTimestamp, m.cfg.WithdrawDelay); at < opens {
		return nil, fail(CodeWithdrawDelayNotReached, "withdrawal opens at %d", opens)
	}
	if err := m.uncommit(pos, at); err != nil {
		return nil, err
	}
	var last accrual
	for i, id := range pos.Pools {
		p := m.pools[id]
		if p.OngoingClaims > 0 {
			return nil, fail(CodePoolHasOngoingClaims, "pool %d has claims under review", id)
		}
		if err := m.purge(p, at); err != nil {
			return nil, err
		}
		a, err := m.accrue(p, pos, i, pos.Supplied, p.Slot0.LiquidityIndex)
		if err != nil {
			return nil, err
		}
		if _, err := m.payCoverRewards(p, len(pos.Pools), a.coverRewards, RiskFund); err != nil {
			return nil, err
		}
		set(&m.j, &pos.LP[i], a.lp)
		if err := m.withdrawFrom(p, r.Amount); err != nil {
			return nil, err
		}
		last = a
	}
	if last.capital.Lt(&r.Amount) {
		return nil, fail(CodeInsufficientLiquidity, "position %d holds %s, asked %s", pos.ID, last.capital.Dec(), r.Amount.Dec())
	}
	m.shrinkShares(pos, r.Amount)
	var left Int
	left.Sub(&last.capital, &r.Amount)
	set(&m.j, &pos.Supplied, left)
	strat := m.strategies[m.pools[pos.Pools[0]].Strategy]
	if err := m.payCapital(pos.Owner, strat, r.Amount); err != nil {
		return nil, err
	}
	_, err = m.payStrategyRewardsNet(pos.Owner, strat, last.strategyRewards)
	return nil, err
}

// withdrawFrom takes amount out of pool p's liquidity, repricing it.
func (m *Market) withdrawFrom(p *Pool, amount Int) error {
	avail := p.available(&p.Slot0)
	if avail.Lt(&amount) {
		return fail(CodeInsufficientLiquidity, "pool %d has %s available, asked %s", p.ID, avail.Dec(), amount.Dec())
	}
	var l2 Int
	l2.Sub(&p.Liquidity, &amount)
	return m.moveLiquidity(p, l2)
}

// shrinkShares lowers every overlap between the position's pools and its
// basket by amount. Both saturate at zero: payouts round them down by up
// to a unit per payout, so the last LP out may find them a few units
// short (spec §9); L itself is checked exactly by withdrawFrom.
func (m *Market) shrinkShares(pos *Position, amount Int) {
	for i, a := range pos.Pools {
		for _, b := range pos.Pools[i+1:] {
			k := pairKey(a, b)
			setKey(&m.j, m.overlaps, k, subFloor(m.overlaps[k], amount))
		}
	}
	set(&m.j, &pos.basket.Amount, subFloor(pos.basket.Amount, amount))
}

// subFloor is a−b, or 0 when b > a.
func subFloor(a, b Int) Int {
	if a.Lt(&b) {
		return Int{}
	}
	var d Int
	d.Sub(&a, &b)
	return d
}

// addSaturating is a+b, or the largest uint64 when that overflows.
func addSaturating(a, b uint64) uint64 {
	if s := a + b; s >= a {
		return s
	}
	return math.MaxUint64
}
