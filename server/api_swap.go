package server

import (
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

// SwapRouteQuote is one candidate route with its figures, or the error
// that drops it.
type SwapRouteQuote struct {
	Route     swap.Route `json:"route"`
	AmountIn  *swap.Int  `json:"amountIn,omitempty"`
	AmountOut *swap.Int  `json:"amountOut,omitempty"`
	Error     string     `json:"error,omitempty"`
	Message   string     `json:"message,omitempty"`
}

// SwapQuote is POST /v1/swap/quote's answer: the routes priced (every
// candidate of docs/swap.md §4, or the one asked for) and the one chosen.
type SwapQuote struct {
	TokenIn  string            `json:"tokenIn"`
	TokenOut string            `json:"tokenOut"`
	Block    uint64            `json:"block"`
	Routes   []SwapRouteQuote  `json:"routes"`
	Best     *swap.RouteResult `json:"best"`
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
// the figures are the swap router's dry runs (swap.Market.QuoteRoutes,
// or swap.Market.Quote for a route given), as of now.
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
	out := SwapQuote{TokenIn: q.TokenIn, TokenOut: q.TokenOut, Routes: []SwapRouteQuote{}}
	if err := a.readEngines(w, true, func(e *scenario.Engines, now uint64) error {
		out.Block = e.Swap.Block(now)
		if q.Route != nil {
			res, err := e.Swap.Quote(now, q)
			if err != nil {
				return engineError(err)
			}
			out.Routes = append(out.Routes, SwapRouteQuote{Route: res.Route, AmountIn: &res.AmountIn, AmountOut: &res.AmountOut})
			out.Best = res
			return nil
		}
		routes, best, err := e.Swap.QuoteRoutes(now, q.TokenIn, q.TokenOut, q.Trade)
		if err != nil {
			return engineError(err)
		}
		var dropped []string
		for _, rq := range routes {
			if rq.Err != nil {
				code, msg := scenario.CodeAndMessage(rq.Err)
				out.Routes = append(out.Routes, SwapRouteQuote{Route: rq.Route, Error: string(code), Message: msg})
				dropped = append(dropped, rq.Route.String()+": "+string(code))
				continue
			}
			out.Routes = append(out.Routes, SwapRouteQuote{Route: rq.Route, AmountIn: &rq.AmountIn, AmountOut: &rq.AmountOut})
		}
		if best < 0 {
			why := "no candidate route"
			if len(dropped) > 0 {
				why = "every candidate fails: " + strings.Join(dropped, "; ")
			}
			return errorf(http.StatusUnprocessableEntity, string(swap.CodeNoRoute), "no route trades %s for %s: %s", q.TokenIn, q.TokenOut, why)
		}
		out.Best = &routes[best].RouteResult
		return nil
	}); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, &out)
	return nil
}
