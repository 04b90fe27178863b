package server

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/vpool/vpool/scenario"
	"github.com/vpool/vpool/swap"
)

// SwapPairs is GET /v1/swap/pairs: the block now and every pair as the
// state object shows it (docs/swap.md §5).
type SwapPairs struct {
	Block uint64          `json:"block"`
	Pairs []swap.PairView `json:"pairs"`
}

// SwapRouteQuote is one candidate route with its figures and prices, or
// the error that drops it.
type SwapRouteQuote struct {
	Route swap.Route `json:"route"`
	// Kind is native, twoHop or virtual; Words the route for a person.
	Kind           string    `json:"kind"`
	Words          string    `json:"words"`
	AmountIn       *swap.Int `json:"amountIn,omitempty"`
	AmountOut      *swap.Int `json:"amountOut,omitempty"`
	FeePPM         *uint64   `json:"feePpm,omitempty"`
	PriceImpactPPM *uint64   `json:"priceImpactPpm,omitempty"`
	Error          string    `json:"error,omitempty"`
	Message        string    `json:"message,omitempty"`
}

// SwapSplitQuote is the split of an exact-in trade (docs/swap.md "Split
// routing"): its totals and prices, and each leg.
type SwapSplitQuote struct {
	AmountIn  swap.Int `json:"amountIn"`
	AmountOut swap.Int `json:"amountOut"`
	// MinAmountOut is AmountOut less the slippage asked for, rounded down.
	MinAmountOut   *swap.Int        `json:"minAmountOut,omitempty"`
	FeePPM         uint64           `json:"feePpm"`
	PriceImpactPPM uint64           `json:"priceImpactPpm"`
	Legs           []SwapRouteQuote `json:"legs"`
}

// SwapQuote is POST /v1/swap/quote's answer: the routes priced (every
// candidate, or the one asked for), the best of docs/swap.md §4 (what
// swap without split takes; null when none succeeds), and for an
// exact-in trade without a route the split (what swap with split takes).
type SwapQuote struct {
	TokenIn  string            `json:"tokenIn"`
	TokenOut string            `json:"tokenOut"`
	Block    uint64            `json:"block"`
	Routes   []SwapRouteQuote  `json:"routes"`
	Best     *swap.RouteResult `json:"best"`
	Split    *SwapSplitQuote   `json:"split,omitempty"`
}

// getSwapPairs is GET /v1/swap/pairs.
func (a *api) getSwapPairs(w http.ResponseWriter, _ *http.Request, _ *principal) error {
	return writeView(a, w, func(e *scenario.Engines, now uint64) (SwapPairs, error) {
		v := e.Swap.ViewAt(now)
		return SwapPairs{Block: v.Block, Pairs: v.Pairs}, nil
	})
}

// getSwapPair is GET /v1/swap/pairs/{id}.
func (a *api) getSwapPair(w http.ResponseWriter, r *http.Request, _ *principal) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return writeView(a, w, func(e *scenario.Engines, _ uint64) (swap.PairView, error) { return e.Swap.PairAt(id) })
}

// postSwapQuote is POST /v1/swap/quote: the body is op quote's args, and
// the answer is QuoteSwapRoutes as of now.
func (a *api) postSwapQuote(w http.ResponseWriter, r *http.Request, _ *principal) error {
	body, err := readBody(w, r, a.opt.MaxBodyBytes)
	if err != nil {
		return err
	}
	cmd, err := scenario.DecodeSwap("quote", body)
	if err != nil {
		return decodeError(err)
	}
	q := cmd.(swap.QuoteSwap)
	hasSlippage := r.URL.Query().Has("slippageBps")
	slippage, err := queryUint(r, "slippageBps", 0)
	if err != nil {
		return err
	}
	if slippage > 10_000 {
		return badRequest("slippageBps must be between 0 and 10000")
	}
	var out SwapQuote
	if err := a.readEngines(w, true, func(e *scenario.Engines, now uint64) (err error) {
		if out, err = QuoteSwapRoutes(e.Swap, now, q); err != nil {
			return engineError(err)
		}
		return nil
	}); err != nil {
		return err
	}
	if sp := out.Split; sp != nil && hasSlippage {
		var least swap.Int
		least.Mul(&sp.AmountOut, u64p(10_000-slippage))
		least.Div(&least, u64p(10_000))
		sp.MinAmountOut = &least
	}
	writeJSON(w, http.StatusOK, &out)
	return nil
}

// QuoteSwapRoutes is the quote of POST /v1/swap/quote (and of vpool quote
// swap) at time at: through q.Route when given, else every candidate,
// the best and the split. It fails with the engine's error, or no_route
// when neither a route nor a split can trade; out then still lists the
// candidates. Like every dry run it must not run beside a command.
func QuoteSwapRoutes(m *swap.Market, at uint64, q swap.QuoteSwap) (out SwapQuote, err error) {
	out = SwapQuote{TokenIn: q.TokenIn, TokenOut: q.TokenOut, Block: m.Block(at), Routes: []SwapRouteQuote{}}
	if q.Route != nil {
		res, err := m.Quote(at, q)
		if err != nil {
			return out, err
		}
		out.Routes = append(out.Routes, routeQuote(m, q, swap.RouteQuote{RouteResult: *res}, false))
		out.Best = res
		return out, nil
	}
	routes, best, err := m.QuoteRoutes(at, q.TokenIn, q.TokenOut, q.Trade)
	if err != nil {
		return out, err
	}
	var dropped []string
	for _, rq := range routes {
		out.Routes = append(out.Routes, routeQuote(m, q, rq, true))
		if rq.Err != nil {
			dropped = append(dropped, rq.Route.String()+": "+string(swap.CodeOf(rq.Err)))
		}
	}
	if best >= 0 {
		out.Best = &routes[best].RouteResult
	}
	if !q.ExactOut {
		if sq, err := m.QuoteSplit(at, q.TokenIn, q.TokenOut, q.Amount); err == nil {
			out.Split = &SwapSplitQuote{AmountIn: sq.AmountIn, AmountOut: sq.AmountOut, FeePPM: sq.FeePPM, PriceImpactPPM: sq.PriceImpactPPM}
			for _, leg := range sq.Legs {
				out.Split.Legs = append(out.Split.Legs, routeQuote(m, q, swap.RouteQuote{RouteResult: leg}, false))
			}
		}
	}
	if out.Best == nil && out.Split == nil {
		why := "no candidate route"
		if len(dropped) > 0 {
			why = "every candidate fails: " + strings.Join(dropped, "; ")
		}
		return out, &swap.Error{Code: swap.CodeNoRoute, Msg: fmt.Sprintf("no route trades %s for %s: %s", q.TokenIn, q.TokenOut, why)}
	}
	return out, nil
}

// routeQuote is one quoted route as the API shows it, with its prices
// when priced.
func routeQuote(m *swap.Market, q swap.QuoteSwap, rq swap.RouteQuote, priced bool) SwapRouteQuote {
	out := SwapRouteQuote{Route: rq.Route, Kind: rq.Route.Kind.String(), Words: m.Words(rq.Route, q.TokenIn, q.TokenOut)}
	if rq.Err != nil {
		code, msg := scenario.CodeAndMessage(rq.Err)
		out.Error, out.Message = string(code), msg
		return out
	}
	out.AmountIn, out.AmountOut = &rq.AmountIn, &rq.AmountOut
	if priced {
		out.FeePPM, out.PriceImpactPPM = &rq.FeePPM, &rq.PriceImpactPPM
	}
	return out
}
