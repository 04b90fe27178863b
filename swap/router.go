package swap

import (
	"encoding/json"
	"fmt"
)

// Route names one way to trade tokenIn for tokenOut: a native pair, or a
// virtual pool (JK, IK). It is written {"native": id} or {"jk": id, "ik": id}.
type Route struct {
	Virtual bool
	// Pair is the native pair (when not Virtual).
	Pair int
	// JK and IK are the active and reference pairs (when Virtual).
	JK, IK int
}

// NativeRoute is the route through pair id.
func NativeRoute(id int) Route { return Route{Pair: id} }

// VirtualRoute is the route through the virtual pool (jk, ik).
func VirtualRoute(jk, ik int) Route { return Route{Virtual: true, JK: jk, IK: ik} }

// MarshalJSON writes {"native": id} or {"jk": id, "ik": id}.
func (r Route) MarshalJSON() ([]byte, error) {
	if r.Virtual {
		return fmt.Appendf(nil, `{"jk":%d,"ik":%d}`, r.JK, r.IK), nil
	}
	return fmt.Appendf(nil, `{"native":%d}`, r.Pair), nil
}

// String is the route as in JSON.
func (r Route) String() string {
	b, _ := json.Marshal(r)
	return string(b)
}

// id is the pair id that breaks ties between routes: the native pair or jk.
func (r Route) id() int {
	if r.Virtual {
		return r.JK
	}
	return r.Pair
}

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
// extension): every candidate is dry-run, the best executed.
type Swap struct {
	From, To          string
	TokenIn, TokenOut string
	Trade
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
	best, err := m.bestRoute(s.TokenIn, s.TokenOut, Trade{ExactOut: s.ExactOut, Amount: s.Amount}, block)
	if err != nil {
		return nil, err
	}
	to := orDefault(s.To, s.From)
	if !best.Route.Virtual {
		p := m.pairs[best.Route.Pair]
		amounts, err := m.runNative([]string{s.TokenIn, s.TokenOut}, []*pair{p}, s.Trade, s.From, to, block, true)
		if err != nil {
			return nil, err
		}
		return &RouteResult{Route: best.Route, AmountIn: amounts[0], AmountOut: amounts[1]}, nil
	}
	res, err := m.runVirtual(m.pairs[best.Route.JK], m.pairs[best.Route.IK], s.Trade, s.From, to, block, true)
	if err != nil {
		return nil, err
	}
	return &RouteResult{Route: best.Route, AmountIn: res.AmountIn, AmountOut: res.AmountOut}, nil
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
	if !r.Virtual {
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
	var routes []Route
	if p := m.pairOf(tokenIn, tokenOut); p != nil && tokenIn != tokenOut {
		routes = append(routes, NativeRoute(p.id))
	}
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

// tryRoute dry-runs the full single-hop op of a route with no limit and
// the payer assumed to hold enough.
func (m *Market) tryRoute(r Route, tokenIn, tokenOut string, t Trade, block uint64) (RouteResult, error) {
	t.Limit = nil
	res, err := m.dryRun(func() (any, error) {
		if !r.Virtual {
			amounts, err := m.runNative([]string{tokenIn, tokenOut}, []*pair{m.pairs[r.Pair]}, t, "", "", block, false)
			if err != nil {
				return nil, err
			}
			return RouteResult{Route: r, AmountIn: amounts[0], AmountOut: amounts[1]}, nil
		}
		v, err := m.runVirtual(m.pairs[r.JK], m.pairs[r.IK], t, "", "", block, false)
		if err != nil {
			return nil, err
		}
		return RouteResult{Route: r, AmountIn: v.AmountIn, AmountOut: v.AmountOut}, nil
	})
	if err != nil {
		return RouteResult{}, err
	}
	return res.(RouteResult), nil
}

// RouteQuote is one candidate route with its dry-run figures, or the error
// that drops it.
type RouteQuote struct {
	RouteResult
	Err error
}

// QuoteRoutes dry-runs every candidate route for a trade at time at and
// returns them in candidate order with the index of the best (−1 when
// none succeeds). It leaves the market as it was (it is not safe to call
// concurrently with anything else on the market).
func (m *Market) QuoteRoutes(at uint64, tokenIn, tokenOut string, t Trade) ([]RouteQuote, int, error) {
	if err := m.tokens2(tokenIn, tokenOut); err != nil {
		return nil, -1, err
	}
	block := m.Block(at)
	var quotes []RouteQuote
	best := -1
	for _, r := range m.candidates(tokenIn, tokenOut) {
		res, err := m.tryRoute(r, tokenIn, tokenOut, t, block)
		if err != nil {
			quotes = append(quotes, RouteQuote{RouteResult: RouteResult{Route: r}, Err: err})
			continue
		}
		quotes = append(quotes, RouteQuote{RouteResult: res})
		if best < 0 || better(res, quotes[best].RouteResult, t.ExactOut) {
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
