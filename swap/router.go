package swap

// RouteResult is the result of quote and swap: the route and its amounts.
type RouteResult struct {
	Route     Route `json:"route"`
	AmountIn  Int   `json:"amountIn"`
	AmountOut Int   `json:"amountOut"`
}

// QuoteSwap prices a trade without changing anything (op quote): through
// Route when given, else through the best route (docs/swap.md §4). The
// figures are those of a dry run of the full op, so a route that would
// fail (locked, closed, ratio exceeded …) reports its error.
type QuoteSwap struct {
	TokenIn, TokenOut string
	Trade
	Route *Route
}

func (q QuoteSwap) apply(m *Market, at uint64) (any, error) {
	if err := m.tokens2(q.TokenIn, q.TokenOut); err != nil {
		return nil, err
	}
	block := m.Block(at)
	if q.Route == nil {
		best, err := m.bestRoute(q.TokenIn, q.TokenOut, q.Trade, block)
		if err != nil {
			return nil, err
		}
		return &best, nil
	}
	if err := m.checkRoute(*q.Route, q.TokenIn, q.TokenOut); err != nil {
		return nil, err
	}
	res, err := m.tryRoute(*q.Route, q.TokenIn, q.TokenOut, q.Trade, block)
	if err != nil {
		return nil, err
	}
	return &res, nil
}

// Swap trades through the best route for the amount (docs/swap.md §4
// extension): every candidate is dry-run, the best executed. With Split
// (exact-in only) it trades through the split of SplitSwap instead and
// its result is a *SplitResult.
type Swap struct {
	From, To          string
	TokenIn, TokenOut string
	Trade
	Split    bool
	Deadline *uint64
}

func (s Swap) apply(m *Market, at uint64) (any, error) {
	if err := checkDeadline(s.Deadline, at); err != nil {
		return nil, err
	}
	if err := m.tokens2(s.TokenIn, s.TokenOut); err != nil {
		return nil, err
	}
	block := m.Block(at)
	to := orDefault(s.To, s.From)
	if s.Split {
		return m.swapSplit(s.TokenIn, s.TokenOut, s.Trade, s.From, to, block)
	}
	best, err := m.bestRoute(s.TokenIn, s.TokenOut, Trade{ExactOut: s.ExactOut, Amount: s.Amount}, block)
	if err != nil {
		return nil, err
	}
	res, err := m.runRoute(best.Route, s.TokenIn, s.TokenOut, s.Trade, s.From, to, block, true)
	if err != nil {
		return nil, err
	}
	return &res, nil
}

func (m *Market) tokens2(a, b string) error {
	if err := m.token(a); err != nil {
		return err
	}
	return m.token(b)
}

// checkRoute checks that the route's pairs exist and that it trades
// tokenIn for tokenOut (invalid_argument). A virtual route whose pairs do
// not share exactly one token is left to the virtual pool's own checks.
func (m *Market) checkRoute(r Route, tokenIn, tokenOut string) error {
	if r.Kind != VirtualKind {
		p, err := m.pair(r.Pair)
		if err != nil {
			return err
		}
		if tokenIn == tokenOut || !p.has(tokenIn) || !p.has(tokenOut) {
			return fail(CodeInvalidArgument, "route %s trades %s, not %s->%s", r, p.name(), tokenIn, tokenOut)
		}
		return nil
	}
	jk, ik, err := m.pairs2(r.JK, r.IK)
	if err != nil {
		return err
	}
	if k, ok := commonToken(jk, ik); ok && (ik.other(k) != tokenIn || jk.other(k) != tokenOut) {
		return fail(CodeInvalidArgument, "route %s trades %s->%s, not %s->%s", r, ik.other(k), jk.other(k), tokenIn, tokenOut)
	}
	return nil
}

// candidates lists the routes of docs/swap.md §4 for tokenIn → tokenOut:
// the native pair, then every virtual pool in jk id order.
func (m *Market) candidates(tokenIn, tokenOut string) []Route {
	return m.appendVirtual(m.appendNative(nil, tokenIn, tokenOut), tokenIn, tokenOut)
}

// allCandidates are the native pair, every two-hop route through a common
// token in id order of its first pair, then every virtual pool in jk id
// order: the routes QuoteRoutes lists and split routing draws from.
func (m *Market) allCandidates(tokenIn, tokenOut string) []Route {
	routes := m.appendNative(nil, tokenIn, tokenOut)
	for _, first := range m.pairs {
		if !first.has(tokenIn) || first.has(tokenOut) {
			continue
		}
		if second := m.pairOf(first.other(tokenIn), tokenOut); second != nil {
			routes = append(routes, TwoHopRoute(first.id, second.id))
		}
	}
	return m.appendVirtual(routes, tokenIn, tokenOut)
}

func (m *Market) appendNative(routes []Route, tokenIn, tokenOut string) []Route {
	if p := m.pairOf(tokenIn, tokenOut); p != nil && tokenIn != tokenOut {
		routes = append(routes, NativeRoute(p.id))
	}
	return routes
}

func (m *Market) appendVirtual(routes []Route, tokenIn, tokenOut string) []Route {
	for _, jk := range m.pairs {
		if !jk.has(tokenOut) || jk.has(tokenIn) || !jk.allows(tokenIn) {
			continue
		}
		if ik := m.pairOf(tokenIn, jk.other(tokenOut)); ik != nil {
			routes = append(routes, VirtualRoute(jk.id, ik.id))
		}
	}
	return routes
}

// path is the tokens and pairs of a native or two-hop route.
func (m *Market) path(r Route, tokenIn, tokenOut string) ([]string, []*pair) {
	return m.pathInto(r, tokenIn, tokenOut, make([]string, 3), make([]*pair, 2))
}

// pathInto is path in the given room for three tokens and two pairs.
func (m *Market) pathInto(r Route, tokenIn, tokenOut string, tokens []string, hops []*pair) ([]string, []*pair) {
	if r.Kind == TwoHopKind {
		first := m.pairs[r.IK]
		tokens[0], tokens[1], tokens[2] = tokenIn, first.other(tokenIn), tokenOut
		hops[0], hops[1] = first, m.pairs[r.JK]
		return tokens[:3], hops[:2]
	}
	tokens[0], tokens[1], hops[0] = tokenIn, tokenOut, m.pairs[r.Pair]
	return tokens[:2], hops[:1]
}

// runRoute executes route r (one of the candidates) for trade t with its
// limit, as its own op would: swapNative along its path, or swapVirtual.
// When moveTokens is false nothing is paid or received: a dry run.
func (m *Market) runRoute(r Route, tokenIn, tokenOut string, t Trade, from, to string, block uint64, moveTokens bool) (RouteResult, error) {
	if r.Kind == VirtualKind {
		v, err := m.runVirtual(m.pairs[r.JK], m.pairs[r.IK], t, from, to, block, moveTokens)
		if err != nil {
			return RouteResult{}, err
		}
		return RouteResult{Route: r, AmountIn: v.AmountIn, AmountOut: v.AmountOut}, nil
	}
	path, hops := m.path(r, tokenIn, tokenOut)
	amounts, err := m.runNative(path, hops, t, from, to, block, moveTokens)
	if err != nil {
		return RouteResult{}, err
	}
	return RouteResult{Route: r, AmountIn: amounts[0], AmountOut: amounts[len(amounts)-1]}, nil
}

// tryRoute dry-runs the full op of a route with no limit and the payer
// assumed to hold enough.
func (m *Market) tryRoute(r Route, tokenIn, tokenOut string, t Trade, block uint64) (RouteResult, error) {
	t.Limit = nil
	res, err := m.dryRun(func() (any, error) { return m.runRoute(r, tokenIn, tokenOut, t, "", "", block, false) })
	if err != nil {
		return RouteResult{}, err
	}
	return res.(RouteResult), nil
}

// RouteQuote is one candidate route with its dry-run figures and their
// price (RoutePrice), or the error that drops it.
type RouteQuote struct {
	RouteResult
	RoutePrice
	Err error
}

// QuoteRoutes dry-runs every candidate route for a trade at time at: the
// native pair, the two-hop routes through a common token, and the virtual
// pools (allCandidates). It returns them in that order with the index of
// the best route of docs/swap.md §4, the one swap takes (two-hop routes
// are not among its candidates), or −1 when none succeeds. It leaves the
// market as it was (it is not safe to call concurrently with anything
// else on the market).
func (m *Market) QuoteRoutes(at uint64, tokenIn, tokenOut string, t Trade) ([]RouteQuote, int, error) {
	if err := m.tokens2(tokenIn, tokenOut); err != nil {
		return nil, -1, err
	}
	block := m.Block(at)
	var quotes []RouteQuote
	best := -1
	for _, r := range m.allCandidates(tokenIn, tokenOut) {
		res, err := m.tryRoute(r, tokenIn, tokenOut, t, block)
		if err != nil {
			quotes = append(quotes, RouteQuote{RouteResult: RouteResult{Route: r}, Err: err})
			continue
		}
		quotes = append(quotes, RouteQuote{RouteResult: res, RoutePrice: m.routePrice(res, tokenIn, tokenOut, block)})
		if r.Kind != TwoHopKind && (best < 0 || better(res, quotes[best].RouteResult, t.ExactOut)) {
			best = len(quotes) - 1
		}
	}
	return quotes, best, nil
}

// better reports whether a beats b: more out for exact-in, less in for
// exact-out, ties to the lower pair id.
func better(a, b RouteResult, exactOut bool) bool {
	x, y := a.AmountOut, b.AmountOut
	if exactOut {
		x, y = b.AmountIn, a.AmountIn
	}
	if c := x.Cmp(&y); c != 0 {
		return c > 0
	}
	return a.Route.id() < b.Route.id()
}

// bestRoute is the best candidate, or no_route.
func (m *Market) bestRoute(tokenIn, tokenOut string, t Trade, block uint64) (RouteResult, error) {
	var best RouteResult
	found := false
	for _, r := range m.candidates(tokenIn, tokenOut) {
		res, err := m.tryRoute(r, tokenIn, tokenOut, t, block)
		if err != nil {
			continue
		}
		if !found || better(res, best, t.ExactOut) {
			best, found = res, true
		}
	}
	if !found {
		return best, fail(CodeNoRoute, "no route trades %s for %s", tokenIn, tokenOut)
	}
	return best, nil
}

// QuoteNative is the router's quote of a native trade along path on the
// current balances (getAmountOut forwards, or getAmountIn backwards for
// exact-out), with the trade's limit, as the reference router's
// getAmountsOut/getAmountsIn: a view that executes nothing.
func (m *Market) QuoteNative(path []string, t Trade) ([]Int, error) {
	hops, err := m.nativeHops(path)
	if err != nil {
		return nil, err
	}
	return quoteNative(path, hops, t)
}
