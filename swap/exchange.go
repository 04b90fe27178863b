package swap

// ExchangeReserves lets two pairs that each hold the other's token as a
// reserve swap them at the no-fee virtual price; the caller keeps part of
// the surplus as an incentive (docs/swap.md §2.8).
type ExchangeReserves struct {
	Caller             string
	JK1, IK1, JK2, IK2 int
	Amount             Int
}

// ExchangeResult is the result of exchangeReserves: AmountOut1 of Xp
// leaves jk1, AmountOut2 of Yp leaves jk2, and the caller receives
// Incentive of IncentiveToken (Xp).
type ExchangeResult struct {
	AmountOut1     Int    `json:"amountOut1"`
	AmountOut2     Int    `json:"amountOut2"`
	Incentive      Int    `json:"incentive"`
	IncentiveToken string `json:"incentiveToken"`
}

func (e ExchangeReserves) apply(m *Market, at uint64) (any, error) {
	block := m.Block(at)
	jk1, ik1, err := m.pairs2(e.JK1, e.IK1)
	if err != nil {
		return nil, err
	}
	jk2, ik2, err := m.pairs2(e.JK2, e.IK2)
	if err != nil {
		return nil, err
	}
	if jk1.closed {
		return nil, fail(CodePairClosed, "pair %d is closed", jk1.id)
	}
	vP, err := m.vpool(ik1, jk1, block)
	if err != nil {
		return nil, err
	}
	yp, xp := vP.x, vP.y
	amount := e.Amount
	need1, err := legCost(jk1, &vP, xp, amount)
	if err != nil {
		return nil, err
	}
	if jk2 == jk1 {
		return nil, fail(CodeInvalidExchange, "both legs are pair %d", jk1.id)
	}
	if jk2.closed {
		return nil, fail(CodePairClosed, "pair %d is closed", jk2.id)
	}
	vQ, err := m.vpool(ik2, jk2, block)
	if err != nil {
		return nil, err
	}
	if vQ.x != xp || vQ.y != yp {
		return nil, fail(CodeInvalidExchange, "second virtual pool trades %s->%s, expected %s->%s", vQ.x, vQ.y, xp, yp)
	}
	need2, err := legCost(jk2, &vQ, yp, need1)
	if err != nil {
		return nil, err
	}
	if amount.Lt(&need2) {
		return nil, fail(CodeExchangeUnderpaid, "%s %s buys %s %s, which costs %s", amount.Dec(), xp, need1.Dec(), yp, need2.Dec())
	}
	incentive, err := m.incentive(amount, need2)
	if err != nil {
		return nil, err
	}
	var net Int
	net.Sub(&amount, &incentive)
	if err := m.exchangeLeg(&vQ, net, need1, block); err != nil {
		return nil, err
	}
	if err := m.exchangeLeg(&vP, need1, amount, block); err != nil {
		return nil, err
	}
	if err := m.credit(e.Caller, xp, incentive); err != nil {
		return nil, err
	}
	return &ExchangeResult{AmountOut1: amount, AmountOut2: need1, Incentive: incentive, IncentiveToken: xp}, nil
}

// legCost checks that pair p can give amount of token from its reserve
// through the virtual pool v, and returns what v charges for it.
func legCost(p *pair, v *vpool, token string, amount Int) (Int, error) {
	if r := reserveOf(p, token); v.v1.Lt(&amount) || r.Lt(&amount) {
		return Int{}, fail(CodeAmountOutTooLarge, "pair %d cannot give %s %s", p.id, amount.Dec(), token)
	}
	if !p.allows(token) {
		return Int{}, fail(CodeTokenNotAllowed, "pair %d does not list %s", p.id, token)
	}
	return Quote(amount, v.v1, v.v0)
}

// incentive is min(amount − need2, amount·pct/100).
func (m *Market) incentive(amount, need2 Int) (Int, error) {
	var surplus Int
	surplus.Sub(&amount, &need2)
	pct := u64(m.incentivesPct)
	hundred := u64(100)
	limit, err := mulDiv(&amount, &pct, &hundred, "incentive")
	if err != nil {
		return limit, err
	}
	return minInt(surplus, limit), nil
}

// exchangeLeg applies one side of an exchange to the pair vp.ik (the
// pair whose reserve of vp.y is given away): in of its own token vp.x is
// added to its balance, out of its reserve vp.y leaves, the reserve is
// revalued at the virtual price and the cache of vp records the move.
func (m *Market) exchangeLeg(vp *vpool, in, out Int, block uint64) error {
	p := vp.ik
	var c0, c1 Int
	c0, err := add(&vp.v0, &in, "virtual pool cache")
	if err != nil {
		return err
	}
	c1.Sub(&vp.v1, &out)
	m.setCache(vp.jk.id, p.id, c0, c1, block)
	rest := reserveOf(p, vp.y)
	rest.Sub(&rest, &out)
	var bv Int
	if !rest.IsZero() {
		if bv, err = Quote(rest, vp.v1, vp.v0); err != nil {
			return err
		}
		if !bv.IsZero() && vp.x == p.token1 {
			if bv, err = Quote(bv, p.balance1, p.balance0); err != nil {
				return err
			}
		}
	}
	if err := m.setReserve(p, vp.y, rest, bv); err != nil {
		return err
	}
	bal := p.bal(vp.x)
	sum, err := add(&bal, &in, "exchange")
	if err != nil {
		return err
	}
	p.setBal(vp.x, sum)
	p.lastSwapBlock = block
	return nil
}

func reserveOf(p *pair, t string) Int { return p.reserves[t] }
