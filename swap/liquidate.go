package swap

// LiquidateReserve sells all of a pair's reserve of Token into the native
// pair NativePair = {Token, U}, U one of the pair's tokens, and adds the
// proceeds to the pair's balance of U (docs/swap.md §2.9). The admin may
// act only from the warning threshold on; the emergency admin always.
type LiquidateReserve struct {
	Pair       int
	Token      string
	NativePair int
	Emergency  bool
}

// LiquidateResult is the result of liquidateReserve; ReserveRatio is the
// pair's after.
type LiquidateResult struct {
	AmountIn     Int `json:"amountIn"`
	AmountOut    Int `json:"amountOut"`
	ReserveRatio Int `json:"reserveRatio"`
}

func (l LiquidateReserve) apply(m *Market, at uint64) (any, error) {
	block := m.Block(at)
	p, n, err := m.pairs2(l.Pair, l.NativePair)
	if err != nil {
		return nil, err
	}
	if err := m.token(l.Token); err != nil {
		return nil, err
	}
	if !l.Emergency {
		rr, err := p.ratio()
		if err != nil {
			return nil, err
		}
		if rr.Lt(&p.warningThreshold) {
			return nil, fail(CodeBelowWarningThreshold, "pair %d's reserve ratio %s is below its warning threshold %s", p.id, rr.Dec(), p.warningThreshold.Dec())
		}
	}
	if !p.allows(l.Token) {
		return nil, fail(CodeTokenNotAllowed, "pair %d does not list %s", p.id, l.Token)
	}
	if !n.has(l.Token) || !p.has(n.other(l.Token)) {
		return nil, fail(CodeInvalidNativePool, "pair %d (%s) does not trade %s for a token of pair %d", n.id, n.name(), l.Token, p.id)
	}
	u := n.other(l.Token)
	amt := reserveOf(p, l.Token)
	if err := m.setReserve(p, l.Token, Int{}, Int{}); err != nil {
		return nil, err
	}
	out, err := GetAmountOut(amt, n.bal(l.Token), n.bal(u), n.fee)
	if err != nil {
		return nil, err
	}
	if err := m.nativeSwap(n, l.Token, u, amt, out, block); err != nil {
		return nil, err
	}
	bal := p.bal(u)
	sum, err := add(&bal, &out, "liquidation")
	if err != nil {
		return nil, err
	}
	p.setBal(u, sum)
	p.lastSwapBlock = block
	rr, err := p.ratio()
	if err != nil {
		return nil, err
	}
	return &LiquidateResult{AmountIn: amt, AmountOut: out, ReserveRatio: rr}, nil
}
