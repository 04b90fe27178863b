package server

import "net/http"

// marketRoutes are the reads the dashboard is built on: the market at a
// glance and as a stream, a pool's curve, expiring cover and history, and
// the price of a position. Any key may call them: they name no account.
func (a *api) marketRoutes(hist *history) []route {
	id := pathParam("id", "The pool's id.", integerMin(0))
	read := []int{400, 401, 403, 404, 503}
	return []route{
		{method: "GET", path: "/v1/market", access: anyRole, handle: a.getMarket,
			summary: "The market at a glance: assets, strategies with their yield, pools with their rates",
			doc:     opDoc{ok: readResponse("The market.", marketSchema), errors: []int{401, 403, 503}}},
		{method: "GET", path: "/v1/market/stream", access: anyRole, handle: a.getMarketStream, stream: true,
			summary: "Server-Sent Events: the market (as GET /v1/market) whenever it changes",
			doc: opDoc{description: "One `market` event at once, then one after new commands (at most every 300 ms) and one every 5 s while idle, " +
				"since views are as of now. Each has `id:` the seq it reflects and `data:` the whole market. Comment lines keep an idle stream open.",
				ok:     opResponse{description: "An endless text/event-stream.", contentType: "text/event-stream", schema: str()},
				errors: []int{400, 401, 403, 429, 503}}},
		{method: "GET", path: "/v1/pools/{id}/curve", access: anyRole, handle: a.getPoolCurve,
			summary: "A pool's fees, premium curve (sampled by the engine) and current point, and the pools it may share liquidity with",
			doc:     opDoc{params: []param{id}, ok: readResponse("The curve.", curveSchema), errors: read}},
		{method: "GET", path: "/v1/pools/{id}/expiring", access: anyRole, handle: a.getPoolExpiring,
			summary: "The next ticks at which a pool's cover expires, with when",
			doc: opDoc{description: "Each tick's time is when a purge would cross it if no command came first (the engine's refresh walk).",
				params: []param{id, queryParam("limit", "At most this many ticks, 1 to 500 (default 50).", integerRange(1, maxExpiringLimit))},
				ok:     readResponse("The tick line ahead.", tickLineSchema), errors: read}},
		{method: "GET", path: "/v1/pools/{id}/history", access: anyRole, handle: func(w http.ResponseWriter, r *http.Request, _ *principal) error {
			return a.getPoolHistory(w, r, hist)
		},
			summary: "A pool's utilization, premium rate, covered capital and liquidity over time",
			doc: opDoc{description: "Built from the command log (replayed from the latest snapshot on the first request, which may wait for it) " +
				"and then sampled as commands become durable and every 30 s while idle. A point is kept only when the pool changed; " +
				"at most 600 points, thinned evenly as the history grows.",
				params: []param{id}, ok: readResponse("The series, oldest first.", historySchema), errors: read}},
		{method: "POST", path: "/v1/quote/position", access: anyRole, handle: a.postQuotePosition,
			summary: "Price a position over one or several pools without opening it",
			doc: opDoc{description: "What openPosition(amount, pools) would earn right after opening: each pool's reward rate with the amount deposited, " +
				"the pool fee and leverage fee (leverageFeePerPool × pools, when more than one) taken from it, the strategy's rate and the APY. " +
				"Refused as openPosition would refuse the pools (422 with the engine's code); the balance is not checked.",
				body: object(props{"pools": arrayOf(idIn), "amount": amountIn}, "pools", "amount"),
				ok:   readResponse("The quote.", positionQuoteSchema), errors: []int{400, 401, 403, 404, 413, 422, 503}}},
	}
}

var (
	strategySchema = object(props{"id": integer(), "asset": str(), "compounds": boolean(), "feeRate": rayOut,
		"payoutDeductible": rayOut, "rewardIndex": rayOut,
		"rate": describe(rayOut, "Yearly rate of the reward index over its last move (ray percent; \"0\" when it cannot be computed).")},
		"id", "asset", "compounds", "feeRate", "payoutDeductible", "rewardIndex", "rate")
	marketSchema = object(props{"seq": integer(), "at": integer(),
		"assets":     arrayOf(object(props{"symbol": str(), "decimals": integer()}, "symbol", "decimals")),
		"strategies": arrayOf(strategySchema), "pools": arrayOf(ref("Pool")),
		"swap": describe(swapMarketSchema, "The swap market, once it has a pair.")},
		"seq", "at", "assets", "strategies", "pools")
	curvePoint  = object(props{"utilization": rayOut, "premiumRate": rayOut}, "utilization", "premiumRate")
	curveSchema = object(props{"pool": integer(), "feeRate": rayOut, "leverageFeePerPool": rayOut,
		"uOptimal": rayOut, "r0": rayOut, "rSlope1": rayOut, "rSlope2": rayOut,
		"compatiblePools": arrayOf(integer()),
		"points":          describe(arrayOf(curvePoint), "P(U) at 21 even utilizations and uOptimal, ascending."),
		"current":         describe(curvePoint, "The pool's utilization and premium rate now.")},
		"pool", "feeRate", "leverageFeePerPool", "uOptimal", "r0", "rSlope1", "rSlope2", "compatiblePools", "points", "current")
	tickLineSchema = object(props{"pool": integer(), "at": integer(), "tick": describe(integer(), "The pool's tick now."),
		"secondsPerTick": decimalOut,
		"expiring": arrayOf(object(props{"tick": integer(), "at": describe(integer(), "When the tick is crossed (unix seconds)."),
			"amount": describe(decimalOut, "Cover ending at the tick."), "coveredAfter": decimalOut},
			"tick", "at", "amount", "coveredAfter"))},
		"pool", "at", "tick", "secondsPerTick", "expiring")
	historySchema = object(props{"pool": integer(), "points": arrayOf(object(props{"seq": integer(), "at": integer(),
		"utilization": rayOut, "premiumRate": rayOut, "coveredCapital": decimalOut, "totalLiquidity": decimalOut},
		"seq", "at", "utilization", "premiumRate", "coveredCapital", "totalLiquidity"))}, "pool", "points")
	positionQuoteSchema = object(props{
		"pools": arrayOf(object(props{"pool": integer(), "utilization": rayOut, "premiumRate": rayOut,
			"rewardRate":  describe(rayOut, "U × P after the deposit."),
			"feeRate":     rayOut,
			"leverageFee": describe(rayOut, "Share of the rewards paid to the risk fund: leverageFeePerPool × pools, or 0 for one pool."),
			"netRate":     rayOut},
			"pool", "utilization", "premiumRate", "rewardRate", "feeRate", "leverageFee", "netRate")),
		"strategy": integer(), "strategyRate": rayOut,
		"apy": describe(rayOut, "Σ net rates + the strategy's rate, as the position's APY would be right after opening.")},
		"pools", "strategy", "strategyRate", "apy")
)
