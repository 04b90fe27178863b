package cover

import (
	"slices"

	"github.com/vpool/vpool/ray"
)

// OpenClaim asks for Amount on a cover (spec §7).
type OpenClaim struct {
	As     string
	Cover  int
	Amount Int
}

func (o OpenClaim) apply(m *Market, _ uint64) (any, error) {
	cv, err := m.cover(o.Cover)
	if err != nil {
		return nil, err
	}
	if err := owned(o.As, cv.Owner, "cover"); err != nil {
		return nil, err
	}
	if o.Amount.IsZero() {
		return nil, fail(CodeZeroAmount, "a claim needs an amount")
	}
	if cv.OpenClaim >= 0 {
		return nil, fail(CodeClaimAlreadyOpen, "cover %d already has claim %d open", cv.ID, cv.OpenClaim)
	}
	cl := &Claim{ID: len(m.claims), Cover: cv.ID, Amount: o.Amount, Compensation: -1}
	appendTo(&m.j, &m.claims, cl)
	m.touchCover(cv)
	cv.OpenClaim = cl.ID
	p := m.pools[cv.Pool]
	set(&m.j, &p.OngoingClaims, p.OngoingClaims+1)
	return map[string]int{"claim": cl.ID}, nil
}

// ResolveClaim accepts (paying it out) or rejects an open claim (spec §7).
type ResolveClaim struct {
	Claim  int
	Accept bool
}

func (r ResolveClaim) apply(m *Market, at uint64) (any, error) {
	if r.Claim < 0 || r.Claim >= len(m.claims) {
		return nil, fail(CodeNotFound, "no claim %d", r.Claim)
	}
	cl := m.claims[r.Claim]
	if cl.Status != ClaimOpen {
		return nil, fail(CodeClaimNotOpen, "claim %d is not open", cl.ID)
	}
	cv := m.covers[cl.Cover]
	a := m.pools[cv.Pool]
	settle := func(status ClaimStatus) {
		set(&m.j, &cl.Status, status)
		m.touchCover(cv)
		cv.OpenClaim = -1
		set(&m.j, &a.OngoingClaims, a.OngoingClaims-1)
	}
	if !r.Accept {
		settle(ClaimRejected)
		return nil, nil
	}
	ratio, err := ray.Div(cl.Amount, a.Liquidity)
	if err != nil || ray.RAY.Lt(&ratio) {
		return nil, fail(CodeRatioAboveCapacity, "claim of %s exceeds pool %d liquidity %s", cl.Amount.Dec(), a.ID, a.Liquidity.Dec())
	}
	if err := m.purge(a, at); err != nil {
		return nil, err
	}
	if cv.Amount.Lt(&cl.Amount) {
		return nil, fail(CodeInvalidArgument, "claim of %s exceeds cover amount %s", cl.Amount.Dec(), cv.Amount.Dec())
	}
	settle(ClaimAccepted)
	comp, err := m.payout(a, ratio, at)
	if err != nil {
		return nil, err
	}
	set(&m.j, &cl.Compensation, comp.ID)
	if err := m.cutCover(a, cv, cl.Amount); err != nil {
		return nil, err
	}
	strat := m.strategies[a.Strategy]
	deductible, err := ray.MulDiv(cl.Amount, strat.PayoutDeductible, ray.Hundred)
	if err != nil {
		return nil, arith(err)
	}
	deductible = minInt(cl.Amount, deductible)
	var paid Int
	paid.Sub(&cl.Amount, &deductible)
	if err := m.payCapital(cv.Owner, strat, paid); err != nil {
		return nil, err
	}
	if err := m.payCapital(Treasury, strat, deductible); err != nil {
		return nil, err
	}
	return map[string]int{"compensation": comp.ID}, nil
}

// payout cuts ratio of pool a's liquidity out of a and of every pool
// sharing liquidity with it, recording a compensation (spec §7).
func (m *Market) payout(a *Pool, ratio Int, at uint64) (*Compensation, error) {
	comp := &Compensation{ID: len(m.comps), FromPool: a.ID, Ratio: ratio,
		StrategyIndexBefore: m.strategies[a.Strategy].RewardIndex, IndexBefore: map[int]Int{}}
	appendTo(&m.j, &m.comps, comp)
	var c ray.Calc
	order := append([]int{a.ID}, a.Overlapped...)
	for i, id := range order {
		if i > 0 && id == a.ID {
			continue
		}
		b := m.pools[id]
		shared := m.overlap(a.ID, b.ID)
		if shared.IsZero() {
			continue
		}
		if err := m.purge(b, at); err != nil {
			return nil, err
		}
		cut := c.Mul(shared, ratio)
		if cut.IsZero() {
			continue
		}
		if err := m.moveLiquidity(b, c.Sub(b.Liquidity, cut)); err != nil {
			return nil, err
		}
		if b != a {
			k := pairKey(a.ID, b.ID)
			setKey(&m.j, m.overlaps, k, c.Sub(m.overlaps[k], cut))
			for _, cid := range b.Overlapped {
				if cid <= b.ID || cid == a.ID {
					continue
				}
				triple := m.triple(a.ID, b.ID, cid)
				if triple.IsZero() {
					continue
				}
				k := pairKey(b.ID, cid)
				setKey(&m.j, m.overlaps, k, subFloor(m.overlaps[k], c.Mul(triple, ratio)))
			}
		}
		appendTo(&m.j, &b.Compensations, comp.ID)
		comp.IndexBefore[b.ID] = b.Slot0.LiquidityIndex
		if c.Err != nil {
			return nil, arith(c.Err)
		}
	}
	for _, bk := range a.baskets {
		set(&m.j, &bk.Amount, c.Sub(bk.Amount, c.Mul(bk.Amount, ratio)))
	}
	return comp, arith(c.Err)
}

// triple is the liquidity shared by pools a, b and c: the baskets holding
// all three, as they were before the payout under way.
func (m *Market) triple(a, b, c int) Int {
	var sum Int
	for _, bk := range m.pools[a].baskets {
		if slices.Contains(bk.Pools, b) && slices.Contains(bk.Pools, c) {
			sum.Add(&sum, &bk.Amount)
		}
	}
	return sum
}

// cutCover lowers a cover by a paid claim. An active cover is closed and
// what is left registered again on its premiums, or they are refunded
// (spec §7). In every case the cover's amount drops by the claim, so that
// the claims paid on one cover never add up to more than it covered (the
// spec leaves the amount of a cover that is not registered again open).
func (m *Market) cutCover(a *Pool, cv *Cover, claimed Int) error {
	var rest Int
	rest.Sub(&cv.Amount, &claimed)
	info, err := coverInfo(a, cv, &a.Slot0)
	if err != nil {
		return err
	}
	if info.Active {
		if err := m.closeCover(a, cv); err != nil {
			return err
		}
		if rest.IsZero() || m.register(a, cv, rest, info.PremiumsLeft) != nil {
			if err := m.payFromPremiums(cv.Owner, a.PaymentAsset, info.PremiumsLeft); err != nil {
				return err
			}
		}
	}
	m.touchCover(cv)
	cv.Amount = rest
	return nil
}
