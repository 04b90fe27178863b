package swap

// PairDeposit adds liquidity to the pair of TokenA and TokenB (created
// first if missing) at its current ratio and mints LP shares to To, with
// the reserve-ratio discount of docs/swap.md §2.5.
type PairDeposit struct {
	From, To         string
	TokenA, TokenB   string
	AmountA, AmountB Int
	MinA, MinB       Int
	Deadline         *uint64
}

// DepositResult is the result of pairDeposit: the amounts used and the
// shares minted.
type DepositResult struct {
	Pair    int `json:"pair"`
	AmountA Int `json:"amountA"`
	AmountB Int `json:"amountB"`
	Shares  Int `json:"shares"`
}

func (d PairDeposit) apply(m *Market, at uint64) (any, error) {
	if err := checkDeadline(d.Deadline, at); err != nil {
		return nil, err
	}
	for _, t := range []string{d.TokenA, d.TokenB} {
		if err := m.token(t); err != nil {
			return nil, err
		}
	}
	if d.TokenA == d.TokenB {
		return nil, fail(CodeIdenticalTokens, "a pair needs two different tokens, got %q twice", d.TokenA)
	}
	p := m.pairOf(d.TokenA, d.TokenB)
	if p == nil {
		var err error
		if p, err = m.createPair(d.TokenA, d.TokenB); err != nil {
			return nil, err
		}
	}
	a, b, err := depositAmounts(p.bal(d.TokenA), p.bal(d.TokenB), d)
	if err != nil {
		return nil, err
	}
	if err := m.needBalance(d.From, d.TokenA, a); err != nil {
		return nil, err
	}
	if err := m.needBalance(d.From, d.TokenB, b); err != nil {
		return nil, err
	}
	if p.closed {
		return nil, fail(CodePairClosed, "pair %d is closed", p.id)
	}
	a0, a1 := a, b
	if d.TokenA != p.token0 {
		a0, a1 = b, a
	}
	shares, err := m.mintShares(p, a0, a1, orDefault(d.To, d.From), m.Block(at))
	if err != nil {
		return nil, err
	}
	if err := m.debit(d.From, d.TokenA, a); err != nil {
		return nil, err
	}
	if err := m.debit(d.From, d.TokenB, b); err != nil {
		return nil, err
	}
	return &DepositResult{Pair: p.id, AmountA: a, AmountB: b, Shares: shares}, nil
}

// depositAmounts is the router's choice of amounts at the pair's ratio.
func depositAmounts(rA, rB Int, d PairDeposit) (Int, Int, error) {
	if rA.IsZero() && rB.IsZero() {
		return d.AmountA, d.AmountB, nil
	}
	bOpt, err := Quote(d.AmountA, rA, rB)
	if err != nil {
		return bOpt, bOpt, err
	}
	if !d.AmountB.Lt(&bOpt) {
		if bOpt.Lt(&d.MinB) {
			return bOpt, bOpt, fail(CodeInsufficientBAmount, "optimal amount of %s %s < minB %s", d.TokenB, bOpt.Dec(), d.MinB.Dec())
		}
		return d.AmountA, bOpt, nil
	}
	aOpt, err := Quote(d.AmountB, rB, rA)
	if err != nil {
		return aOpt, aOpt, err
	}
	if aOpt.Lt(&d.MinA) {
		return aOpt, aOpt, fail(CodeInsufficientAAmount, "optimal amount of %s %s < minA %s", d.TokenA, aOpt.Dec(), d.MinA.Dec())
	}
	return aOpt, d.AmountB, nil
}

// mintShares is docs/swap.md §2.5: it adds a0, a1 to p's balances and
// mints the discounted shares to owner.
func (m *Market) mintShares(p *pair, a0, a1 Int, owner string, block uint64) (Int, error) {
	var liquidity Int
	ts := p.totalSupply
	first := ts.IsZero()
	if first {
		prod, err := mul(&a0, &a1, "mint")
		if err != nil {
			return prod, err
		}
		root := *new(Int).Sqrt(&prod)
		locked := u64(LockedShares)
		if !locked.Lt(&root) {
			return root, fail(CodeInsufficientLiquidityMinted, "first deposit below the locked %d shares (sqrt %s)", LockedShares, root.Dec())
		}
		liquidity.Sub(&root, &locked)
	} else {
		l0, err := mulDiv(&a0, &ts, &p.balance0, "mint")
		if err != nil {
			return l0, err
		}
		l1, err := mulDiv(&a1, &ts, &p.balance1, "mint")
		if err != nil {
			return l1, err
		}
		liquidity = minInt(l0, l1)
	}
	rr0, err := p.ratio()
	if err != nil {
		return rr0, err
	}
	den, err := add(&ratioFactor, &rr0, "mint")
	if err != nil {
		return den, err
	}
	shares, err := mulDiv(&liquidity, &ratioFactor, &den, "mint")
	if err != nil {
		return shares, err
	}
	if shares.IsZero() {
		return shares, fail(CodeInsufficientLiquidityMinted, "the deposit mints no shares")
	}
	m.touchPair(p)
	if first {
		p.lockedShares = u64(LockedShares)
		p.totalSupply = u64(LockedShares)
	}
	if p.totalSupply, err = add(&p.totalSupply, &shares, "mint"); err != nil {
		return shares, err
	}
	if p.balance0, err = add(&p.balance0, &a0, "mint"); err != nil {
		return shares, err
	}
	if p.balance1, err = add(&p.balance1, &a1, "mint"); err != nil {
		return shares, err
	}
	p.lastSwapBlock = block
	held := p.lp[owner]
	sum, err := add(&held, &shares, "mint")
	if err != nil {
		return shares, err
	}
	setKey(&m.j, p.lp, owner, sum)
	return shares, nil
}

// PairWithdraw burns LP shares for the pair's balances and, pro rata,
// its listed reserves (docs/swap.md §2.6).
type PairWithdraw struct {
	From, To       string
	TokenA, TokenB string
	Shares         Int
	MinA, MinB     Int
	Deadline       *uint64
}

// WithdrawResult is the result of pairWithdraw; Reserves lists the
// non-zero reserve amounts paid, by token.
type WithdrawResult struct {
	AmountA  Int               `json:"amountA"`
	AmountB  Int               `json:"amountB"`
	Reserves map[string]string `json:"reserves"`
}

func (w PairWithdraw) apply(m *Market, at uint64) (any, error) {
	if err := checkDeadline(w.Deadline, at); err != nil {
		return nil, err
	}
	for _, t := range []string{w.TokenA, w.TokenB} {
		if err := m.token(t); err != nil {
			return nil, err
		}
	}
	p := m.pairOf(w.TokenA, w.TokenB)
	if p == nil || w.TokenA == w.TokenB {
		return nil, fail(CodePairNotFound, "no pair %s/%s", w.TokenA, w.TokenB)
	}
	held := p.lp[w.From]
	if held.Lt(&w.Shares) {
		return nil, fail(CodeInsufficientBalance, "%s holds %s shares of pair %d, needs %s", w.From, held.Dec(), p.id, w.Shares.Dec())
	}
	out0, out1, paid, err := m.burnShares(p, w.From, w.Shares, m.Block(at))
	if err != nil {
		return nil, err
	}
	outA, outB := out0, out1
	if w.TokenA != p.token0 {
		outA, outB = out1, out0
	}
	if outA.Lt(&w.MinA) {
		return nil, fail(CodeInsufficientAAmount, "amount of %s %s < minA %s", w.TokenA, outA.Dec(), w.MinA.Dec())
	}
	if outB.Lt(&w.MinB) {
		return nil, fail(CodeInsufficientBAmount, "amount of %s %s < minB %s", w.TokenB, outB.Dec(), w.MinB.Dec())
	}
	to := orDefault(w.To, w.From)
	if err := m.credit(to, w.TokenA, outA); err != nil {
		return nil, err
	}
	if err := m.credit(to, w.TokenB, outB); err != nil {
		return nil, err
	}
	for _, t := range p.allowList {
		if a, ok := paid[t]; ok {
			if err := m.credit(to, t, a); err != nil {
				return nil, err
			}
		}
	}
	res := &WithdrawResult{AmountA: outA, AmountB: outB, Reserves: make(map[string]string, len(paid))}
	for t, a := range paid {
		res.Reserves[t] = a.Dec()
	}
	return res, nil
}

// burnShares is docs/swap.md §2.6 on p: it burns s of owner's shares and
// returns the balances and reserves they take out.
func (m *Market) burnShares(p *pair, owner string, s Int, block uint64) (out0, out1 Int, paid map[string]Int, err error) {
	ts := p.totalSupply
	if out0, err = mulDiv(&p.balance0, &s, &ts, "burn"); err != nil {
		return
	}
	if out1, err = mulDiv(&p.balance1, &s, &ts, "burn"); err != nil {
		return
	}
	if out0.IsZero() || out1.IsZero() {
		err = fail(CodeInsufficientLiquidityBurned, "burning %s shares pays %s and %s", s.Dec(), out0.Dec(), out1.Dec())
		return
	}
	rr, err := p.ratio()
	if err != nil {
		return
	}
	m.touchPair(p)
	paid = map[string]Int{}
	if !rr.IsZero() {
		for _, t := range p.allowList {
			res := p.reserves[t]
			if res.IsZero() {
				continue
			}
			var share, cut Int
			if share, err = mulDiv(&res, &s, &ts, "burn"); err != nil {
				return
			}
			bv := p.baseValues[t]
			if cut, err = mulDiv(&bv, &s, &ts, "burn"); err != nil {
				return
			}
			setKey(&m.j, p.reserves, t, *res.Sub(&res, &share))
			setKey(&m.j, p.baseValues, t, *new(Int).Sub(&bv, &cut))
			if p.baseValueSum, err = sub(&p.baseValueSum, &cut, "burn"); err != nil {
				return
			}
			if !share.IsZero() {
				paid[t] = share
			}
		}
	}
	p.balance0.Sub(&p.balance0, &out0)
	p.balance1.Sub(&p.balance1, &out1)
	p.totalSupply.Sub(&p.totalSupply, &s)
	p.lastSwapBlock = block
	held := p.lp[owner]
	setKey(&m.j, p.lp, owner, *held.Sub(&held, &s))
	return out0, out1, paid, nil
}

// checkDeadline fails with expired when deadline is before at.
func checkDeadline(deadline *uint64, at uint64) error {
	if deadline != nil && *deadline < at {
		return fail(CodeExpired, "deadline %d is before %d", *deadline, at)
	}
	return nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
