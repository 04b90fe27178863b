package swap

// SwapVirtual trades through the virtual pool (JK, IK): the trader pays
// JK's reserve token X and receives JK's own token Y (docs/swap.md §2.4).
type SwapVirtual struct {
	From, To string
	JK, IK   int
	Trade
	Deadline *uint64
}

// VirtualResult is the result of swapVirtual; ReserveRatio is jk's after
// the trade.
type VirtualResult struct {
	TokenIn      string `json:"tokenIn"`
	TokenOut     string `json:"tokenOut"`
	AmountIn     Int    `json:"amountIn"`
	AmountOut    Int    `json:"amountOut"`
	ReserveRatio Int    `json:"reserveRatio"`
}

func (s SwapVirtual) apply(m *Market, at uint64) (any, error) {
	if err := checkDeadline(s.Deadline, at); err != nil {
		return nil, err
	}
	jk, ik, err := m.pairs2(s.JK, s.IK)
	if err != nil {
		return nil, err
	}
	return m.runVirtual(jk, ik, s.Trade, s.From, orDefault(s.To, s.From), m.Block(at), true)
}

// pairs2 returns pairs a and b, checked in that order.
func (m *Market) pairs2(a, b int) (*pair, *pair, error) {
	pa, err := m.pair(a)
	if err != nil {
		return nil, nil, err
	}
	pb, err := m.pair(b)
	return pa, pb, err
}

// runVirtual forms the virtual pool, quotes the trade, checks its limit,
// the payer's balance and jk's state, executes §2.4 and, when moveTokens,
// settles the accounts (a dry run assumes the payer holds enough).
func (m *Market) runVirtual(jk, ik *pair, t Trade, from, to string, block uint64, moveTokens bool) (*VirtualResult, error) {
	vp, err := m.vpool(jk, ik, block)
	if err != nil {
		return nil, err
	}
	in, out, err := quoteVirtual(&vp, t)
	if err != nil {
		return nil, err
	}
	if moveTokens {
		if err := m.needBalance(from, vp.x, in); err != nil {
			return nil, err
		}
	}
	if jk.closed {
		return nil, fail(CodePairClosed, "pair %d is closed", jk.id)
	}
	rr, err := m.virtualSwap(&vp, in, out, block)
	if err != nil {
		return nil, err
	}
	if moveTokens {
		if err := m.debit(from, vp.x, in); err != nil {
			return nil, err
		}
		if err := m.credit(to, vp.y, out); err != nil {
			return nil, err
		}
	}
	return &VirtualResult{TokenIn: vp.x, TokenOut: vp.y, AmountIn: in, AmountOut: out, ReserveRatio: rr}, nil
}

// quoteVirtual is the router's quote on the virtual balances, with the
// trade's limit: it returns the amounts in and out.
func quoteVirtual(vp *vpool, t Trade) (Int, Int, error) {
	if !t.ExactOut {
		out, err := GetAmountOut(t.Amount, vp.v0, vp.v1, vp.jk.vFee)
		if err != nil {
			return out, out, err
		}
		return t.Amount, out, t.checkOut(out)
	}
	out := t.Amount
	if out.IsZero() {
		return out, out, fail(CodeZeroAmount, "amountOut = 0")
	}
	if !out.Lt(&vp.v1) {
		return out, out, fail(CodeAmountOutTooLarge, "exact-out amount %s not below the virtual balance %s", out.Dec(), vp.v1.Dec())
	}
	in, err := GetAmountIn(out, vp.v0, vp.v1, vp.jk.vFee)
	if err != nil {
		return in, out, err
	}
	return in, out, t.checkIn(in)
}

// virtualEffect is what a virtual swap writes: jk's new reserve of x, its
// base value and the new sum of base values, jk's new balance of y, its
// reserve ratio after, and the cache entry.
type virtualEffect struct {
	reserve, baseValue, baseValueSum Int
	balanceY                         Int
	ratio                            Int
	cache0, cache1                   Int
}

// effect is docs/swap.md §2.4 on jk computed without writing anything:
// amountIn of x goes to the reserves (valued at the pre-trade virtual
// price), amountOut of y leaves the balance, and the reserve ratio must
// stay within the maximum. Without full it skips the check that amountIn
// covers getAmountIn(amountOut) (as pair.hop does) and checks the ratio
// against the maximum without computing it (ratio is left 0).
func (vp *vpool) effect(amountIn, amountOut Int, full bool) (virtualEffect, error) {
	jk := vp.jk
	var e virtualEffect
	if amountOut.IsZero() {
		return e, fail(CodeZeroAmount, "the virtual swap pays nothing")
	}
	if !amountOut.Lt(&vp.v1) {
		return e, fail(CodeAmountOutTooLarge, "amount out %s not below the virtual balance %s", amountOut.Dec(), vp.v1.Dec())
	}
	if full {
		need, err := GetAmountIn(amountOut, vp.v0, vp.v1, jk.vFee)
		if err != nil {
			return e, err
		}
		if amountIn.Lt(&need) {
			return e, fail(CodeInsufficientInput, "the virtual pool needs %s %s for %s %s, got %s", need.Dec(), vp.x, amountOut.Dec(), vp.y, amountIn.Dec())
		}
	}
	res := jk.reserves[vp.x]
	var err error
	if e.reserve, err = add(&res, &amountIn, "reserves"); err != nil {
		return e, err
	}
	if e.baseValue, err = Quote(e.reserve, vp.v0, vp.v1); err != nil {
		return e, err
	}
	if vp.y == jk.token1 {
		if e.baseValue, err = Quote(e.baseValue, jk.balance1, jk.balance0); err != nil {
			return e, err
		}
	}
	if e.baseValueSum, err = jk.sumWith(vp.x, e.baseValue); err != nil {
		return e, err
	}
	bal := jk.bal(vp.y)
	e.balanceY.Sub(&bal, &amountOut)
	balance0 := jk.balance0
	if vp.y == jk.token0 {
		balance0 = e.balanceY
	}
	if !full {
		if err := withinRatio(e.baseValueSum, balance0, jk.maxReserveRatio); err != nil {
			return e, err
		}
	} else if e.ratio, err = ReserveRatio(e.baseValueSum, balance0); err != nil {
		return e, err
	} else if jk.maxReserveRatio.Lt(&e.ratio) {
		return e, fail(CodeReserveRatioExceeded, "the reserve ratio of pair %d would be %s, above its maximum %s", jk.id, e.ratio.Dec(), jk.maxReserveRatio.Dec())
	}
	if e.cache0, err = add(&vp.v0, &amountIn, "virtual pool cache"); err != nil {
		return e, err
	}
	e.cache1.Sub(&vp.v1, &amountOut)
	return e, nil
}

// virtualSwap executes the effect of a virtual swap on jk and records the
// new virtual balances in the cache. It returns jk's new ratio.
func (m *Market) virtualSwap(vp *vpool, amountIn, amountOut Int, block uint64) (Int, error) {
	e, err := vp.effect(amountIn, amountOut, true)
	if err != nil {
		return e.ratio, err
	}
	jk := vp.jk
	m.putReserve(jk, vp.x, e.reserve, e.baseValue, e.baseValueSum)
	jk.setBal(vp.y, e.balanceY)
	jk.lastSwapBlock = block
	m.setCache(jk.id, vp.ik.id, e.cache0, e.cache1, block)
	return e.ratio, nil
}

// sumWith is p's sum of listed base values with t's (t must be listed)
// replaced by baseValue.
func (p *pair) sumWith(t string, baseValue Int) (Int, error) {
	old := p.baseValues[t]
	sum, err := sub(&p.baseValueSum, &old, "reserves base value sum")
	if err != nil {
		return sum, err
	}
	return add(&sum, &baseValue, "reserves base value sum")
}

// setReserve stores p's reserve of t and its base value, keeping the sum
// of listed base values (t must be listed). It touches p.
func (m *Market) setReserve(p *pair, t string, amount, baseValue Int) error {
	sum, err := p.sumWith(t, baseValue)
	if err != nil {
		return err
	}
	m.putReserve(p, t, amount, baseValue, sum)
	return nil
}

// putReserve writes p's reserve of t, its base value and the sum, journaled.
func (m *Market) putReserve(p *pair, t string, amount, baseValue, sum Int) {
	m.touchPair(p)
	p.baseValueSum = sum
	oldAmount, old := p.reserves[t], p.baseValues[t]
	m.j.push(func() { putAmount(p.reserves, t, oldAmount); putAmount(p.baseValues, t, old) })
	putAmount(p.reserves, t, amount)
	putAmount(p.baseValues, t, baseValue)
}
