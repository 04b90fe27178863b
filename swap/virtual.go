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

// virtualSwap is docs/swap.md §2.4 on jk: amountIn of x goes to the
// reserves (valued at the pre-trade virtual price), amountOut of y leaves
// the balance, the reserve ratio must stay within the maximum, and the
// cache records the new virtual balances. It returns jk's new ratio.
func (m *Market) virtualSwap(vp *vpool, amountIn, amountOut Int, block uint64) (Int, error) {
	jk := vp.jk
	if amountOut.IsZero() {
		return amountOut, fail(CodeZeroAmount, "the virtual swap pays nothing")
	}
	if !amountOut.Lt(&vp.v1) {
		return amountOut, fail(CodeAmountOutTooLarge, "amount out %s not below the virtual balance %s", amountOut.Dec(), vp.v1.Dec())
	}
	need, err := GetAmountIn(amountOut, vp.v0, vp.v1, jk.vFee)
	if err != nil {
		return need, err
	}
	if amountIn.Lt(&need) {
		return need, fail(CodeInsufficientInput, "the virtual pool needs %s %s for %s %s, got %s", need.Dec(), vp.x, amountOut.Dec(), vp.y, amountIn.Dec())
	}
	res := jk.reserves[vp.x]
	newRes, err := add(&res, &amountIn, "reserves")
	if err != nil {
		return newRes, err
	}
	bv, err := Quote(newRes, vp.v0, vp.v1)
	if err != nil {
		return bv, err
	}
	if vp.y == jk.token1 {
		if bv, err = Quote(bv, jk.balance1, jk.balance0); err != nil {
			return bv, err
		}
	}
	if err := m.setReserve(jk, vp.x, newRes, bv); err != nil {
		return bv, err
	}
	bal := jk.bal(vp.y)
	jk.setBal(vp.y, *bal.Sub(&bal, &amountOut))
	jk.lastSwapBlock = block
	rr, err := jk.ratio()
	if err != nil {
		return rr, err
	}
	if jk.maxReserveRatio.Lt(&rr) {
		return rr, fail(CodeReserveRatioExceeded, "the reserve ratio of pair %d would be %s, above its maximum %s", jk.id, rr.Dec(), jk.maxReserveRatio.Dec())
	}
	var c0, c1 Int
	if c0, err = add(&vp.v0, &amountIn, "virtual pool cache"); err != nil {
		return rr, err
	}
	c1.Sub(&vp.v1, &amountOut)
	m.setCache(jk.id, vp.ik.id, c0, c1, block)
	return rr, nil
}

// setReserve stores p's reserve of t and its base value, keeping the sum
// of listed base values (t must be listed). It touches p.
func (m *Market) setReserve(p *pair, t string, amount, baseValue Int) error {
	old := p.baseValues[t]
	sum, err := sub(&p.baseValueSum, &old, "reserves base value sum")
	if err != nil {
		return err
	}
	if sum, err = add(&sum, &baseValue, "reserves base value sum"); err != nil {
		return err
	}
	m.touchPair(p)
	p.baseValueSum = sum
	oldAmount := p.reserves[t]
	m.j.push(func() { putAmount(p.reserves, t, oldAmount); putAmount(p.baseValues, t, old) })
	putAmount(p.reserves, t, amount)
	putAmount(p.baseValues, t, baseValue)
	return nil
}
