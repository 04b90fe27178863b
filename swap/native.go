package swap

// Trade is the amount side of a swap: exact-in (Amount is amountIn, Limit
// an optional minAmountOut) or exact-out (Amount is amountOut, Limit an
// optional maxAmountIn).
type Trade struct {
	ExactOut bool
	Amount   Int
	Limit    *Int
}

// checkOut applies an exact-in trade's minAmountOut to out.
func (t Trade) checkOut(out Int) error {
	if !t.ExactOut && t.Limit != nil && out.Lt(t.Limit) {
		return fail(CodeInsufficientOutput, "amount out %s < minAmountOut %s", out.Dec(), t.Limit.Dec())
	}
	return nil
}

// checkIn applies an exact-out trade's maxAmountIn to in.
func (t Trade) checkIn(in Int) error {
	if t.ExactOut && t.Limit != nil && t.Limit.Lt(&in) {
		return fail(CodeExcessiveInput, "amount in %s > maxAmountIn %s", in.Dec(), t.Limit.Dec())
	}
	return nil
}

// SwapNative swaps along a path of tokens through the native pairs of
// consecutive tokens (docs/swap.md §3 swapNative).
type SwapNative struct {
	From, To string
	Path     []string
	Trade
	Deadline *uint64
}

// NativeResult is the result of swapNative: the amount at each token of
// the path.
type NativeResult struct {
	Amounts []Int `json:"amounts"`
}

func (s SwapNative) apply(m *Market, at uint64) (any, error) {
	if err := checkDeadline(s.Deadline, at); err != nil {
		return nil, err
	}
	hops, err := m.nativeHops(s.Path)
	if err != nil {
		return nil, err
	}
	amounts, err := m.runNative(s.Path, hops, s.Trade, s.From, orDefault(s.To, s.From), m.Block(at), true)
	if err != nil {
		return nil, err
	}
	return &NativeResult{Amounts: amounts}, nil
}

// nativeHops checks a path and returns the pair of each hop.
func (m *Market) nativeHops(path []string) ([]*pair, error) {
	if len(path) < 2 {
		return nil, fail(CodeInvalidArgument, "a path needs at least 2 tokens")
	}
	for i := 1; i < len(path); i++ {
		if path[i] == path[i-1] {
			return nil, fail(CodeInvalidArgument, "path repeats %q in a row", path[i])
		}
	}
	hops := make([]*pair, len(path)-1)
	for i := range hops {
		for _, t := range path[i : i+2] {
			if err := m.token(t); err != nil {
				return nil, err
			}
		}
		if hops[i] = m.pairOf(path[i], path[i+1]); hops[i] == nil {
			return nil, fail(CodePairNotFound, "no pair %s/%s", path[i], path[i+1])
		}
	}
	return hops, nil
}

// runNative quotes a native trade, checks its limits and the payer's
// balance, executes it hop by hop and, when moveTokens, settles the
// accounts. A dry run passes moveTokens false: the payer is then assumed
// to hold enough.
func (m *Market) runNative(path []string, hops []*pair, t Trade, from, to string, block uint64, moveTokens bool) ([]Int, error) {
	amounts, err := quoteNative(path, hops, t)
	if err != nil {
		return nil, err
	}
	if moveTokens {
		if err := m.needBalance(from, path[0], amounts[0]); err != nil {
			return nil, err
		}
	}
	for i, p := range hops {
		if err := m.nativeSwap(p, path[i], path[i+1], amounts[i], amounts[i+1], block); err != nil {
			return nil, err
		}
	}
	if moveTokens {
		if err := m.debit(from, path[0], amounts[0]); err != nil {
			return nil, err
		}
		if err := m.credit(to, path[len(path)-1], amounts[len(amounts)-1]); err != nil {
			return nil, err
		}
	}
	return amounts, nil
}

// quoteNative is the router's quote on the balances before the trade:
// getAmountOut forwards (exact-in) or getAmountIn backwards (exact-out),
// then the trade's limit.
func quoteNative(path []string, hops []*pair, t Trade) ([]Int, error) {
	amounts := make([]Int, len(path))
	return amounts, quoteNativeTo(amounts, path, hops, t)
}

// quoteNativeTo is quoteNative into amounts, which has one entry per
// token of the path.
func quoteNativeTo(amounts []Int, path []string, hops []*pair, t Trade) error {
	var err error
	if !t.ExactOut {
		amounts[0] = t.Amount
		for i, p := range hops {
			amounts[i+1], err = GetAmountOut(amounts[i], p.bal(path[i]), p.bal(path[i+1]), p.fee)
			if err != nil {
				return err
			}
		}
		return t.checkOut(amounts[len(amounts)-1])
	}
	if t.Amount.IsZero() {
		return fail(CodeZeroAmount, "amountOut = 0")
	}
	amounts[len(amounts)-1] = t.Amount
	for i := len(hops) - 1; i >= 0; i-- {
		p := hops[i]
		bIn, bOut := p.bal(path[i]), p.bal(path[i+1])
		if !amounts[i+1].Lt(&bOut) {
			return fail(CodeAmountOutTooLarge, "exact-out amount %s not below the output balance %s", amounts[i+1].Dec(), bOut.Dec())
		}
		if amounts[i], err = GetAmountIn(amounts[i+1], bIn, bOut, p.fee); err != nil {
			return err
		}
	}
	return t.checkIn(amounts[0])
}

// hop checks one native hop on p's current balances, in of tokenIn
// delivered for out of tokenOut, writing nothing: it returns p's balance
// of tokenIn after the hop. Without checkInput it skips the check that in
// covers getAmountIn(out), which only fails an out that getAmountOut
// computed when its division is exact (trap T1 of docs/deviations.md).
func (p *pair) hop(tokenIn, tokenOut string, in, out Int, checkInput bool) (Int, error) {
	if p.closed {
		return Int{}, fail(CodePairClosed, "pair %d is closed", p.id)
	}
	if out.IsZero() {
		return Int{}, fail(CodeZeroAmount, "the swap on pair %d pays nothing", p.id)
	}
	bIn, bOut := p.bal(tokenIn), p.bal(tokenOut)
	if !out.Lt(&bOut) {
		return Int{}, fail(CodeAmountOutTooLarge, "amount out %s not below the balance %s of pair %d", out.Dec(), bOut.Dec(), p.id)
	}
	if checkInput {
		need, err := GetAmountIn(out, bIn, bOut, p.fee)
		if err != nil {
			return Int{}, err
		}
		if in.Lt(&need) {
			return Int{}, fail(CodeInsufficientInput, "pair %d needs %s %s for %s %s, got %s", p.id, need.Dec(), tokenIn, out.Dec(), tokenOut, in.Dec())
		}
	}
	return add(&bIn, &in, "native swap")
}

// nativeSwap is one hop executed on p's current balances: in of tokenIn
// delivered, out of tokenOut paid.
func (m *Market) nativeSwap(p *pair, tokenIn, tokenOut string, in, out Int, block uint64) error {
	newIn, err := p.hop(tokenIn, tokenOut, in, out, true)
	if err != nil {
		return err
	}
	bOut := p.bal(tokenOut)
	m.touchPair(p)
	p.setBal(tokenIn, newIn)
	p.setBal(tokenOut, *bOut.Sub(&bOut, &out))
	p.lastSwapBlock = block
	return nil
}
