package server

import (
	"net/http"
	"strings"
)

// swapRoutes are the reads of the swap market (docs/swap.md): its pairs
// and their history, the virtual pools between two tokens, the router's
// quotes, and a user's preview of its own op. Any key may call the reads:
// they name no account but the LPs of a pair, which the chain the
// reference runs on shows too.
func (a *api) swapRoutes(hist *history) []route {
	pairID := pathParam("id", "The pair's id.", integerMin(0))
	return []route{
		{method: "GET", path: "/v1/swap/pairs", access: anyRole, handle: a.getSwapPairs,
			summary: "Every swap pair as of now, with its reserves and reserve ratio",
			doc: opDoc{ok: readResponse("The block now and the pairs, by id.",
				object(props{"block": integer(), "pairs": arrayOf(swapPairSchema)}, "block", "pairs")),
				errors: []int{401, 403, 503}}},
		{method: "GET", path: "/v1/swap/pairs/{id}", access: anyRole, handle: a.getSwapPair,
			summary: "One swap pair as of now",
			doc: opDoc{params: []param{pathParam("id", "The pair's id.", integerMin(0))},
				ok: readResponse("The pair.", swapPairSchema), errors: []int{400, 401, 403, 404, 503}}},
		{method: "POST", path: "/v1/swap/quote", access: anyRole, handle: a.postSwapQuote,
			summary: "Price a swap without making it: the candidate routes, the best and the split",
			doc: opDoc{description: "The body is op quote's args (docs/swap.md §3): tokenIn, tokenOut, amountIn or amountOut, and optionally a route. " +
				"Without a route, every candidate is dry-run by the engine's router: the native pair, the two-hop routes through a common token, " +
				"then each virtual pool by jk id, each with its amounts, fee and price impact (ppm), or the error that drops it. " +
				"best is docs/swap.md §4's best route, what swap without split takes: the most out (exact-in) or least in (exact-out) among the native pair and the virtual pools, ties to the lowest pair id; null when none succeeds. " +
				"For amountIn, split is the split of docs/swap.md \"Split routing\", what swap with split takes: never less than any single route. " +
				"No route and no split is 422 no_route. With a route, only that one is priced (without fee and price impact), and its failure is the answer's error (422, or 404 pair_not_found).",
				params: []param{queryParam("slippageBps", "With an amountIn, the split's minAmountOut allows this much less out, in basis points (0 to 10000).", integerRange(0, 10_000))},
				body:   opArgsSchema("quote"), ok: readResponse("The quote.", swapQuoteSchema),
				errors: []int{400, 401, 403, 404, 413, 422, 503}}},
		{method: "GET", path: "/v1/swap/pairs/{id}/history", access: anyRole, handle: func(w http.ResponseWriter, r *http.Request, _ *principal) error {
			return a.getSwapPairHistory(w, r, hist)
		},
			summary: "A pair's balances, price, reserve ratio and LP supply over time",
			doc: opDoc{description: "Built as a pool's history is: the log replayed from the latest snapshot on the first request, then sampled as commands become durable; " +
				"a point is kept only when the pair changed, at most 600, thinned evenly as the history grows. price0 is one whole token0 in token1's base units, price1 the other way round.",
				params: []param{pairID}, ok: readResponse("The series, oldest first.", pairHistorySchema), errors: []int{400, 401, 403, 404, 503}}},
		{method: "GET", path: "/v1/swap/vpools", access: anyRole, handle: a.getSwapVPools,
			summary: "The virtual pools trading one token for another, with their virtual balances and price against the native pair",
			doc: opDoc{description: "Every virtual pool (jk, ik) the router would consider for in → out, by jk id: the common token, the virtual balances " +
				"(docs/swap.md §2.3: the MIN formula, or the block's cache), vFee, outPerUnit (what one whole token in gets at the pool's price before the trade, after its fee, " +
				"in base units of out) and vsNativePpm (how much more, or less, that is than the native pair's, in ppm, rounded toward zero). A pool that cannot trade now has error instead.",
				params: []param{queryParam("in", "The token paid.", str()), queryParam("out", "The token received.", str())},
				ok:     readResponse("The pools.", vpoolsSchema), errors: []int{400, 401, 403, 404, 503}}},
		{method: "POST", path: "/v1/swap/preview", access: anyRole, handle: a.postSwapPreview,
			summary: "What a user's deposit, withdrawal or swap would do now, without doing it",
			doc: opDoc{description: "The body is one command of POST /v1/commands, one of " + strings.Join(previewOps, ", ") + ", authorized the same way " +
				"(a user key's own account pays). It is applied to the markets as of now and undone: the answer is the result it would have, " +
				"or the engine's error (422). Nothing is logged.",
				body: swapPreviewBody, ok: response("The op and its result.", object(props{"op": str(), "result": object(nil)}, "op", "result")),
				errors: []int{400, 401, 403, 404, 413, 422, 503}}},
	}
}

var (
	pairHistorySchema = object(props{"pair": integer(), "points": arrayOf(object(props{"seq": integer(), "at": integer(),
		"balance0": decimalOut, "balance1": decimalOut, "price0": decimalOut, "price1": decimalOut, "reserveRatio": decimalOut, "totalSupply": decimalOut},
		"seq", "at", "balance0", "balance1", "reserveRatio", "totalSupply"))}, "pair", "points")
	vpoolsSchema = object(props{"tokenIn": str(), "tokenOut": str(), "block": integer(),
		"native": oneOf(object(props{"pair": integer(), "balanceIn": decimalOut, "balanceOut": decimalOut, "fee": integer(), "outPerUnit": decimalOut},
			"pair", "balanceIn", "balanceOut", "fee"), schema{"type": "null"}),
		"pools": arrayOf(object(props{"route": routeOut, "via": str(), "balanceIn": decimalOut, "balanceOut": decimalOut, "cached": boolean(),
			"vFee": integer(), "outPerUnit": decimalOut, "vsNativePpm": integer(), "error": str(), "message": str()}, "route", "via", "cached", "vFee"))},
		"tokenIn", "tokenOut", "block", "native", "pools")
	swapMarketSchema = object(props{"block": integer(), "pairs": arrayOf(swapPairInfoSchema)}, "block", "pairs")
	tokenAmounts     = describe(mapOf(decimalOut), "Token → amount, non-zero entries only.")
	swapPairProps    = props{"id": integer(), "token0": str(), "token1": str(),
		"balance0": decimalOut, "balance1": decimalOut, "fee": integer(), "vFee": integer(),
		"maxReserveRatio": decimalOut, "warningThreshold": decimalOut, "blocksDelay": integer(), "lastSwapBlock": integer(),
		"closed": boolean(), "allowList": arrayOf(str()), "reserves": tokenAmounts, "reservesBaseValue": tokenAmounts,
		"reservesBaseValueSum": decimalOut, "reserveRatio": describe(decimalOut, "In 10^-5 units: 100000 is 100%."),
		"totalSupply": decimalOut, "lockedShares": decimalOut, "lpBalances": describe(mapOf(decimalOut), "Account → LP shares.")}
	swapPairRequired = []string{"id", "token0", "token1", "balance0", "balance1", "fee", "vFee", "maxReserveRatio", "warningThreshold", "blocksDelay",
		"lastSwapBlock", "closed", "allowList", "reserves", "reservesBaseValue", "reservesBaseValueSum", "reserveRatio",
		"totalSupply", "lockedShares", "lpBalances"}
	swapPairSchema     = object(swapPairProps, swapPairRequired...)
	swapPairInfoSchema = object(withProps(swapPairProps, props{
		"price0": describe(decimalOut, "One whole token0 in token1's base units at the pair's balances (absent when one is 0)."),
		"price1": describe(decimalOut, "One whole token1 in token0's base units.")}), swapPairRequired...)
	routeOut = oneOf(object(props{"native": integer()}, "native"), object(props{"hops": arrayOf(integer())}, "hops"),
		object(props{"jk": integer(), "ik": integer()}, "jk", "ik"))
	routeResult       = object(props{"route": routeOut, "amountIn": decimalOut, "amountOut": decimalOut}, "route", "amountIn", "amountOut")
	ppmOut            = describe(integer(), "Parts per million, rounded down.")
	quotedRouteSchema = object(props{"route": routeOut, "kind": schema{"type": "string", "enum": []string{"native", "twoHop", "virtual"}},
		"words":    describe(str(), `The route for a person: "C → A virtual via B (active A–B, reference B–C)".`),
		"amountIn": decimalOut, "amountOut": decimalOut,
		"feePpm":         describe(ppmOut, "The share of the input the route's fees keep."),
		"priceImpactPpm": describe(ppmOut, "How much less the trade pays than the route's pre-trade price after fees."),
		"error":          describe(str(), "Why the route is dropped; amounts are then absent."), "message": str()}, "route", "kind", "words")
	swapQuoteSchema = object(props{"tokenIn": str(), "tokenOut": str(), "block": integer(),
		"routes": arrayOf(quotedRouteSchema),
		"best":   describe(oneOf(routeResult, schema{"type": "null"}), "Null when no route of docs/swap.md §4 succeeds."),
		"split": describe(object(props{"amountIn": decimalOut, "amountOut": decimalOut, "feePpm": ppmOut, "priceImpactPpm": ppmOut,
			"minAmountOut": describe(decimalOut, "With ?slippageBps: amountOut less that many basis points, rounded down."),
			"legs":         arrayOf(quotedRouteSchema)}, "amountIn", "amountOut", "feePpm", "priceImpactPpm", "legs"),
			"Exact-in without a route only; absent when no split can trade.")},
		"tokenIn", "tokenOut", "block", "routes", "best")
	// swapStateProps are the state object's swap additions (docs/swap.md
	// §5), present once the swap market is in use.
	swapStateProps = props{"block": integer(),
		"swap":       object(props{"defaultAllowList": arrayOf(str()), "incentivesLimitPct": integer()}, "defaultAllowList", "incentivesLimitPct"),
		"pairs":      arrayOf(swapPairSchema),
		"vpoolCache": arrayOf(object(props{"jk": integer(), "ik": integer(), "balance0": decimalOut, "balance1": decimalOut, "block": integer()}, "jk", "ik", "balance0", "balance1", "block")),
	}
)

// opArgsSchema is the args object of op, as the Command schema has it.
func opArgsSchema(op string) schema { return object(opArgs[op], opRequired(op)...) }

// withProps is p with more added, p unchanged.
func withProps(p, more props) props {
	out := props{}
	for k, v := range p {
		out[k] = v
	}
	for k, v := range more {
		out[k] = v
	}
	return out
}
