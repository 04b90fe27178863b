package server

import (
	"net/http"
	"slices"

	"github.com/vpool/vpool/scenario"
	"github.com/vpool/vpool/swap"
)

// The swap market's reads for the dashboard: its pairs with their prices
// in the market stream, each pair's history, the virtual pools between
// two tokens, and a preview of a user's swap op.

// SwapMarketInfo is the swap market in GET /v1/market and its stream:
// the block now and every pair with its price.
type SwapMarketInfo struct {
	Block uint64         `json:"block"`
	Pairs []SwapPairInfo `json:"pairs"`
}

// SwapPairInfo is a pair as the state shows it, with its price: what one
// whole token0 is worth in token1 at the pair's balances (docs/swap.md
// §2.1 quote, in token1's base units), and the other way round.
type SwapPairInfo struct {
	swap.PairView
	Price0 string `json:"price0,omitempty"`
	Price1 string `json:"price1,omitempty"`
}

// swapMarketInfo is the swap market of e as of now, nil before it has a
// pair.
func swapMarketInfo(e *scenario.Engines, now uint64) *SwapMarketInfo {
	if e.Swap.Pairs() == 0 {
		return nil
	}
	v := e.Swap.ViewAt(now)
	info := &SwapMarketInfo{Block: v.Block, Pairs: make([]SwapPairInfo, len(v.Pairs))}
	for i, p := range v.Pairs {
		b0, b1 := amountOf(p.Balance0), amountOf(p.Balance1)
		info.Pairs[i] = SwapPairInfo{PairView: p, Price0: priceOf(e, p.Token0, b0, b1), Price1: priceOf(e, p.Token1, b1, b0)}
	}
	return info
}

// priceOf is quote(one whole token, bToken, bOther): "" when a balance is
// zero.
func priceOf(e *scenario.Engines, token string, bToken, bOther swap.Int) string {
	q, err := swap.Quote(wholeToken(e, token), bToken, bOther)
	if err != nil {
		return ""
	}
	return q.Dec()
}

// wholeToken is one whole token in base units (10^decimals).
func wholeToken(e *scenario.Engines, token string) swap.Int {
	var dec uint8
	for _, a := range e.Cover.Assets() {
		if a.Symbol == token {
			dec = a.Decimals
		}
	}
	return *tenPow(dec)
}

// PairPoint is a pair as it stood after a command: its balances, its
// prices (token1 base units per whole token0 and token0 base units per
// whole token1; absent while the pair is empty), its reserve ratio (10^-5
// units) and LP supply.
type PairPoint struct {
	Seq          uint64 `json:"seq"`
	At           uint64 `json:"at"`
	Balance0     string `json:"balance0"`
	Balance1     string `json:"balance1"`
	Price0       string `json:"price0,omitempty"`
	Price1       string `json:"price1,omitempty"`
	ReserveRatio string `json:"reserveRatio"`
	TotalSupply  string `json:"totalSupply"`
}

// pairPoint samples pair id of e.
func pairPoint(e *scenario.Engines, id int, at, seq uint64) PairPoint {
	p, _ := e.Swap.PairAt(id)
	b0, b1 := amountOf(p.Balance0), amountOf(p.Balance1)
	return PairPoint{Seq: seq, At: at, Balance0: p.Balance0, Balance1: p.Balance1,
		Price0: priceOf(e, p.Token0, b0, b1), Price1: priceOf(e, p.Token1, b1, b0), ReserveRatio: p.ReserveRatio, TotalSupply: p.TotalSupply}
}

// PairHistory is the answer of GET /v1/swap/pairs/{id}/history.
type PairHistory struct {
	Pair   int         `json:"pair"`
	Points []PairPoint `json:"points"`
}

// getSwapPairHistory is GET /v1/swap/pairs/{id}/history.
func (a *api) getSwapPairHistory(w http.ResponseWriter, r *http.Request, h *history) error {
	return a.writeHistory(w, r, h, func(e *scenario.Engines, id int, _ uint64) error {
		_, err := e.Swap.PairAt(id)
		return err
	}, func(id int) any { return PairHistory{Pair: id, Points: h.pairPoints(id)} })
}

// getSwapVPools is GET /v1/swap/vpools?in=X&out=Y: every virtual pool
// trading X for Y, priced per whole X, beside the native pair.
func (a *api) getSwapVPools(w http.ResponseWriter, r *http.Request, _ *principal) error {
	in, out := r.URL.Query().Get("in"), r.URL.Query().Get("out")
	if in == "" || out == "" {
		return badRequest("in and out name the two tokens")
	}
	return writeView(a, w, func(e *scenario.Engines, now uint64) (swap.VirtualPoolsView, error) {
		return e.Swap.VirtualPools(now, in, out, wholeToken(e, in))
	})
}

// previewOps are the ops POST /v1/swap/preview runs: a user's own.
var previewOps = []string{"pairDeposit", "pairWithdraw", "swapNative", "swapVirtual", "swap"}

// SwapPreview is POST /v1/swap/preview's answer: the op and the result it
// would have now.
type SwapPreview struct {
	Op     string `json:"op"`
	Result any    `json:"result"`
}

// postSwapPreview is POST /v1/swap/preview: a user's deposit, withdrawal
// or swap, authorized as POST /v1/commands would (its from is the key's
// account), applied on the markets as of now and undone: what it would
// do, or the engine's error (422), without logging anything.
func (a *api) postSwapPreview(w http.ResponseWriter, r *http.Request, p *principal) error {
	body, err := readBody(w, r, a.opt.MaxBodyBytes)
	if err != nil {
		return err
	}
	var c commandBody
	if err := decodeStrict(body, &c); err != nil {
		return err
	}
	if !slices.Contains(previewOps, c.Op) {
		return badRequest("op %q cannot be previewed; these can: %v", c.Op, previewOps)
	}
	cmd, err := authorize(p, Command{Op: c.Op, Args: c.Args}, a.opt.Dev)
	if err != nil {
		return err
	}
	out := SwapPreview{Op: c.Op}
	if err := a.readEngines(w, true, func(e *scenario.Engines, now uint64) (err error) {
		if out.Result, err = e.Swap.Preview(now, cmd.cmd.Swap); err != nil {
			return engineError(err)
		}
		return nil
	}); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, &out)
	return nil
}

// swapPreviewBody is the schema of a previewed command.
var swapPreviewBody = object(props{"op": schema{"type": "string", "enum": previewOps},
	"args": describe(object(nil), "The op's args, as in POST /v1/commands.")}, "op", "args")
