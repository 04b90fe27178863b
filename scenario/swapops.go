package scenario

import (
	"encoding/json"
	"fmt"

	"github.com/vpool/vpool/swap"
)

// tradeArgs are the amount args of swapNative, swapVirtual, swap and quote.
type tradeArgs struct {
	AmountIn     *Amount `json:"amountIn" arg:"optional"`
	AmountOut    *Amount `json:"amountOut" arg:"optional"`
	MinAmountOut *Amount `json:"minAmountOut" arg:"optional"`
	MaxAmountIn  *Amount `json:"maxAmountIn" arg:"optional"`
}

func (a tradeArgs) trade() (swap.Trade, error) {
	switch {
	case (a.AmountIn == nil) == (a.AmountOut == nil):
		return swap.Trade{}, fmt.Errorf("exactly one of amountIn and amountOut is required")
	case a.AmountIn != nil && a.MaxAmountIn != nil:
		return swap.Trade{}, fmt.Errorf("maxAmountIn goes with amountOut, not amountIn")
	case a.AmountOut != nil && a.MinAmountOut != nil:
		return swap.Trade{}, fmt.Errorf("minAmountOut goes with amountIn, not amountOut")
	case a.AmountIn != nil:
		return swap.Trade{Amount: a.AmountIn.Int, Limit: limit(a.MinAmountOut)}, nil
	}
	return swap.Trade{ExactOut: true, Amount: a.AmountOut.Int, Limit: limit(a.MaxAmountIn)}, nil
}

func limit(a *Amount) *swap.Int {
	if a == nil {
		return nil
	}
	return &a.Int
}

// payer are the accounts of a router op.
type payer struct {
	From     Account `json:"from"`
	To       Account `json:"to" arg:"optional"`
	Deadline *uint64 `json:"deadline" arg:"optional"`
}

// routeArgs is {"native": id} or {"jk": id, "ik": id}.
type routeArgs struct {
	Native *int `json:"native"`
	JK     *int `json:"jk"`
	IK     *int `json:"ik"`
}

func (r routeArgs) route() (swap.Route, error) {
	switch {
	case r.Native != nil && r.JK == nil && r.IK == nil:
		return swap.NativeRoute(*r.Native), nil
	case r.Native == nil && r.JK != nil && r.IK != nil:
		return swap.VirtualRoute(*r.JK, *r.IK), nil
	}
	return swap.Route{}, fmt.Errorf(`route is {"native": pair} or {"jk": pair, "ik": pair}`)
}

func optional(a *Amount) swap.Int {
	if a == nil {
		return swap.Int{}
	}
	return a.Int
}

// swapOps maps each swap-market op of docs/swap.md §3 to its decoder.
var swapOps = map[string]decoder[swap.Command]{
	"setDefaultAllowList": args(func(a struct {
		Tokens []string `json:"tokens"`
	}) (swap.Command, error) {
		return swap.SetDefaultAllowList{Tokens: a.Tokens}, nil
	}),
	"createPair": args(func(a struct {
		TokenA string `json:"tokenA"`
		TokenB string `json:"tokenB"`
	}) (swap.Command, error) {
		return swap.CreatePair{TokenA: a.TokenA, TokenB: a.TokenB}, nil
	}),
	"setPairFee": args(func(a struct {
		Pair int   `json:"pair"`
		Fee  int64 `json:"fee"`
		VFee int64 `json:"vFee"`
	}) (swap.Command, error) {
		return swap.SetPairFee{Pair: a.Pair, Fee: a.Fee, VFee: a.VFee}, nil
	}),
	"setAllowList": args(func(a struct {
		Pair   int      `json:"pair"`
		Tokens []string `json:"tokens"`
	}) (swap.Command, error) {
		return swap.SetAllowList{Pair: a.Pair, Tokens: a.Tokens}, nil
	}),
	"setMaxReserveRatio": args(func(a struct {
		Pair  int    `json:"pair"`
		Value Amount `json:"value"`
	}) (swap.Command, error) {
		return swap.SetMaxReserveRatio{Pair: a.Pair, Value: a.Value.Int}, nil
	}),
	"setWarningThreshold": args(func(a struct {
		Pair  int    `json:"pair"`
		Value Amount `json:"value"`
	}) (swap.Command, error) {
		return swap.SetWarningThreshold{Pair: a.Pair, Value: a.Value.Int}, nil
	}),
	"setBlocksDelay": args(func(a struct {
		Pair   int    `json:"pair"`
		Blocks uint64 `json:"blocks"`
	}) (swap.Command, error) {
		if a.Blocks > maxSafeInteger {
			return nil, fmt.Errorf("blocks %d is above 2^53-1", a.Blocks)
		}
		return swap.SetBlocksDelay{Pair: a.Pair, Blocks: a.Blocks}, nil
	}),
	"setPairClosed": args(func(a struct {
		Pair   int  `json:"pair"`
		Closed bool `json:"closed"`
	}) (swap.Command, error) {
		return swap.SetPairClosed{Pair: a.Pair, Closed: a.Closed}, nil
	}),
	"setIncentivesLimit": args(func(a struct {
		Pct uint64 `json:"pct"`
	}) (swap.Command, error) {
		return swap.SetIncentivesLimit{Pct: a.Pct}, nil
	}),
	"pairDeposit": args(func(a struct {
		payer
		TokenA  string  `json:"tokenA"`
		TokenB  string  `json:"tokenB"`
		AmountA Amount  `json:"amountA"`
		AmountB Amount  `json:"amountB"`
		MinA    *Amount `json:"minA" arg:"optional"`
		MinB    *Amount `json:"minB" arg:"optional"`
	}) (swap.Command, error) {
		return swap.PairDeposit{From: string(a.From), To: string(a.To), TokenA: a.TokenA, TokenB: a.TokenB, AmountA: a.AmountA.Int,
			AmountB: a.AmountB.Int, MinA: optional(a.MinA), MinB: optional(a.MinB), Deadline: a.Deadline}, nil
	}),
	"pairWithdraw": args(func(a struct {
		payer
		TokenA string  `json:"tokenA"`
		TokenB string  `json:"tokenB"`
		Shares Amount  `json:"shares"`
		MinA   *Amount `json:"minA" arg:"optional"`
		MinB   *Amount `json:"minB" arg:"optional"`
	}) (swap.Command, error) {
		return swap.PairWithdraw{From: string(a.From), To: string(a.To), TokenA: a.TokenA, TokenB: a.TokenB, Shares: a.Shares.Int,
			MinA: optional(a.MinA), MinB: optional(a.MinB), Deadline: a.Deadline}, nil
	}),
	"swapNative": args(func(a struct {
		payer
		Path []string `json:"path"`
		tradeArgs
	}) (swap.Command, error) {
		t, err := a.trade()
		if err != nil {
			return nil, err
		}
		return swap.SwapNative{From: string(a.From), To: string(a.To), Path: a.Path, Trade: t, Deadline: a.Deadline}, nil
	}),
	"swapVirtual": args(func(a struct {
		payer
		JK int `json:"jk"`
		IK int `json:"ik"`
		tradeArgs
	}) (swap.Command, error) {
		t, err := a.trade()
		if err != nil {
			return nil, err
		}
		return swap.SwapVirtual{From: string(a.From), To: string(a.To), JK: a.JK, IK: a.IK, Trade: t, Deadline: a.Deadline}, nil
	}),
	"swap": args(func(a struct {
		payer
		TokenIn  string `json:"tokenIn"`
		TokenOut string `json:"tokenOut"`
		Split    bool   `json:"split" arg:"optional"`
		tradeArgs
	}) (swap.Command, error) {
		t, err := a.trade()
		if err != nil {
			return nil, err
		}
		if a.Split && t.ExactOut {
			return nil, fmt.Errorf("split routing is exact-in only: split goes with amountIn, not amountOut")
		}
		return swap.Swap{From: string(a.From), To: string(a.To), TokenIn: a.TokenIn, TokenOut: a.TokenOut, Trade: t, Split: a.Split, Deadline: a.Deadline}, nil
	}),
	"quote": args(func(a struct {
		TokenIn   string     `json:"tokenIn"`
		TokenOut  string     `json:"tokenOut"`
		Route     *routeArgs `json:"route" arg:"optional"`
		AmountIn  *Amount    `json:"amountIn" arg:"optional"`
		AmountOut *Amount    `json:"amountOut" arg:"optional"`
	}) (swap.Command, error) {
		t, err := tradeArgs{AmountIn: a.AmountIn, AmountOut: a.AmountOut}.trade()
		if err != nil {
			return nil, err
		}
		q := swap.QuoteSwap{TokenIn: a.TokenIn, TokenOut: a.TokenOut, Trade: t}
		if a.Route != nil {
			r, err := a.Route.route()
			if err != nil {
				return nil, err
			}
			q.Route = &r
		}
		return q, nil
	}),
	"maxVirtualIn": args(func(a struct {
		JK int `json:"jk"`
		IK int `json:"ik"`
	}) (swap.Command, error) {
		return swap.MaxVirtualIn{JK: a.JK, IK: a.IK}, nil
	}),
	"exchangeReserves": args(func(a struct {
		Caller Account `json:"caller"`
		JK1    int     `json:"jk1"`
		IK1    int     `json:"ik1"`
		JK2    int     `json:"jk2"`
		IK2    int     `json:"ik2"`
		Amount Amount  `json:"amount"`
	}) (swap.Command, error) {
		return swap.ExchangeReserves{Caller: string(a.Caller), JK1: a.JK1, IK1: a.IK1, JK2: a.JK2, IK2: a.IK2, Amount: a.Amount.Int}, nil
	}),
	"liquidateReserve": args(func(a struct {
		Pair       int    `json:"pair"`
		Token      string `json:"token"`
		NativePair int    `json:"nativePair"`
		Emergency  bool   `json:"emergency" arg:"optional"`
	}) (swap.Command, error) {
		return swap.LiquidateReserve{Pair: a.Pair, Token: a.Token, NativePair: a.NativePair, Emergency: a.Emergency}, nil
	}),
}

// SwapOps returns the names of every swap-market op DecodeSwap knows, sorted.
func SwapOps() []string { return opNames(swapOps) }

// IsSwapOp reports whether op is a swap-market op.
func IsSwapOp(op string) bool { _, ok := swapOps[op]; return ok }

// DecodeSwap turns one swap op and its args into a swap command; bad args
// are a *swap.Error with code invalid_argument.
func DecodeSwap(op string, raw json.RawMessage) (swap.Command, error) {
	return decodeOp(swapOps, op, raw)
}
