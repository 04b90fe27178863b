package server

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/vpool/vpool/scenario"
)

// schema is a JSON Schema (2020-12, as OpenAPI 3.1 uses) as a value.
type schema = map[string]any

// props are an object schema's properties.
type props = map[string]schema

// opDoc documents a route: its parameters, request body, success answer
// and the error statuses it can give.
type opDoc struct {
	description string
	params      []param
	body        schema
	ok          opResponse
	errors      []int
}

type param struct {
	name, in, description string
	schema                schema
}

type opResponse struct {
	description string
	contentType string
	schema      schema
	headers     []string
}

func pathParam(name, description string, s schema) param {
	return param{name: name, in: "path", description: description, schema: s}
}

func queryParam(name, description string, s schema) param {
	return param{name: name, in: "query", description: description, schema: s}
}

func response(description string, s schema) opResponse {
	return opResponse{description: description, contentType: "application/json", schema: s}
}

// readResponse is a read's answer, with the headers saying which state it
// reflects.
func readResponse(description string, s schema, headers ...string) opResponse {
	r := response(description, s)
	r.headers = append([]string{"X-Vpool-Seq", "X-Vpool-At"}, headers...)
	return r
}

func ref(name string) schema    { return schema{"$ref": "#/components/schemas/" + name} }
func str() schema               { return schema{"type": "string"} }
func boolean() schema           { return schema{"type": "boolean"} }
func integer() schema           { return schema{"type": "integer"} }
func integerMin(min int) schema { return schema{"type": "integer", "minimum": min} }
func integerRange(lo, hi int) schema {
	return schema{"type": "integer", "minimum": lo, "maximum": hi}
}
func arrayOf(items schema) schema { return schema{"type": "array", "items": items} }
func oneOf(s ...schema) schema    { return schema{"oneOf": s} }
func describe(s schema, d string) schema {
	out := schema{"description": d}
	for k, v := range s {
		out[k] = v
	}
	return out
}

// object is a closed object schema: no property but those listed.
func object(p props, required ...string) schema {
	if p == nil {
		return schema{"type": "object"}
	}
	s := schema{"type": "object", "properties": p, "additionalProperties": false}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

// mapOf is an object with any keys and values of s.
func mapOf(s schema) schema { return schema{"type": "object", "additionalProperties": s} }

// Number formats of docs/scenario.md.
var (
	decimalOut = schema{"type": "string", "pattern": "^[0-9]+$", "description": "A decimal integer (amount in base units)."}
	rayOut     = schema{"type": "string", "pattern": "^[0-9]+$", "description": "A ray value: 10^27 is 1% (a rate) or 1.0 (an index)."}
	amountIn   = schema{"description": "A token amount in base units: a decimal string, or an integer below 2^53.",
		"oneOf": []schema{{"type": "string", "pattern": "^[0-9]+$"}, {"type": "integer", "minimum": 0, "maximum": 1<<53 - 1}}}
	percentIn = schema{"description": "A rate in percent with at most 27 decimals, e.g. \"1.5\".",
		"oneOf": []schema{{"type": "string", "pattern": `^[0-9]+(\.[0-9]{1,27})?$`}, {"type": "number", "minimum": 0}}}
	maxAmountIn = schema{"description": "An amount, or \"max\" for all that is left.",
		"oneOf": []schema{amountIn, {"const": "max"}}}
	idIn = integerMin(0)
)

// opArgs documents the args of every op of docs/scenario.md; a test
// checks it against scenario.Decode.
var opArgs = map[string]props{
	"addAsset":    {"symbol": str(), "decimals": integerRange(0, 255)},
	"addStrategy": {"name": describe(str(), "Optional: at most 64 bytes, shown by the dashboard."), "asset": str(), "compounds": boolean(), "feeRate": percentIn, "payoutDeductible": percentIn},
	"setMarket": {"withdrawDelay": describe(integerMin(0), "Seconds."), "maxLeverage": integerMin(1), "leverageFeePerPool": percentIn,
		"blockTime": describe(integerMin(1), "Seconds per block of the swap market (docs/swap.md §1).")},
	"mint": {"to": str(), "asset": str(), "amount": amountIn},
	"createPool": {"paymentAsset": str(), "strategy": idIn, "feeRate": percentIn, "uOptimal": percentIn, "r0": percentIn,
		"rSlope1": percentIn, "rSlope2": percentIn, "compatiblePools": arrayOf(idIn)},
	"setCompatibility": {"pairs": arrayOf(schema{"type": "array", "minItems": 3, "maxItems": 3,
		"prefixItems": []schema{idIn, idIn, boolean()}, "description": "[poolA, poolB, compatible]"})},
	"updatePoolConfig":        {"pool": idIn, "feeRate": percentIn, "uOptimal": percentIn, "r0": percentIn, "rSlope1": percentIn, "rSlope2": percentIn},
	"pausePool":               {"pool": idIn, "paused": boolean()},
	"freeze":                  {"frozen": boolean()},
	"setStrategyIndex":        {"strategy": idIn, "index": describe(amountIn, "A ray integer: 10^27 is 1.0; must not decrease, at most 2^128−1.")},
	"openPosition":            {"owner": actorDoc, "amount": amountIn, "pools": arrayOf(idIn)},
	"addLiquidity":            {"as": actorDoc, "position": idIn, "amount": amountIn},
	"takeInterests":           {"as": actorDoc, "position": idIn},
	"commitRemoveLiquidity":   {"as": actorDoc, "position": idIn},
	"uncommitRemoveLiquidity": {"as": actorDoc, "position": idIn},
	"removeLiquidity":         {"as": actorDoc, "position": idIn, "amount": amountIn},
	"openCover":               {"owner": actorDoc, "pool": idIn, "amount": amountIn, "premiums": amountIn},
	"updateCover": {"as": actorDoc, "cover": idIn, "coverToAdd": amountIn, "coverToRemove": amountIn,
		"premiumsToAdd": amountIn, "premiumsToRemove": maxAmountIn},
	"openClaim":    {"as": actorDoc, "cover": idIn, "amount": amountIn},
	"resolveClaim": {"claim": idIn, "accept": boolean()},
	"purge":        {"pool": idIn},
	"check":        {},

	"setDefaultAllowList": {"tokens": arrayOf(str())},
	"createPair":          {"tokenA": str(), "tokenB": str()},
	"setPairFee":          {"pair": idIn, "fee": feeIn, "vFee": feeIn},
	"setAllowList":        {"pair": idIn, "tokens": arrayOf(str())},
	"setMaxReserveRatio":  {"pair": idIn, "value": thresholdIn},
	"setWarningThreshold": {"pair": idIn, "value": thresholdIn},
	"setBlocksDelay":      {"pair": idIn, "blocks": integerRange(0, 1<<53-1)},
	"setPairClosed":       {"pair": idIn, "closed": boolean()},
	"setIncentivesLimit":  {"pct": integerRange(0, 100)},
	"pairDeposit": withPayer(props{"tokenA": str(), "tokenB": str(), "amountA": amountIn, "amountB": amountIn,
		"minA": amountIn, "minB": amountIn}),
	"pairWithdraw": withPayer(props{"tokenA": str(), "tokenB": str(), "shares": amountIn, "minA": amountIn, "minB": amountIn}),
	"swapNative":   withPayer(withTrade(props{"path": arrayOf(str())})),
	"swapVirtual":  withPayer(withTrade(props{"jk": idIn, "ik": idIn})),
	"swap": withPayer(withTrade(props{"tokenIn": str(), "tokenOut": str(),
		"split": describe(boolean(), "Split the amount among the candidate routes (exact-in only; docs/swap.md \"Split routing\"); the result then lists each leg.")})),
	"quote": {"tokenIn": str(), "tokenOut": str(), "amountIn": amountIn, "amountOut": amountIn,
		"route": describe(routeIn, "Omitted: the best route (docs/swap.md §4).")},
	"maxVirtualIn":     {"jk": idIn, "ik": idIn},
	"exchangeReserves": {"caller": actorDoc, "jk1": idIn, "ik1": idIn, "jk2": idIn, "ik2": idIn, "amount": amountIn},
	"liquidateReserve": {"pair": idIn, "token": str(), "nativePair": idIn, "emergency": boolean()},
}

// Args of the swap ops (docs/swap.md §3).
var (
	feeIn       = describe(integerRange(1, 999), "Parts per 1000 kept: 997 charges 0.3%.")
	thresholdIn = describe(amountIn, "A reserve ratio in 10^-5 units: 100000 is 100%.")
	routeIn     = schema{"type": "object", "oneOf": []schema{object(props{"native": idIn}, "native"), object(props{"jk": idIn, "ik": idIn}, "jk", "ik")}}
)

// withPayer adds the accounts and deadline of a swap op that pays.
func withPayer(p props) props {
	p["from"] = actorDoc
	p["to"] = describe(str(), "Who receives (default: from).")
	p["deadline"] = describe(integerMin(0), "Unix seconds; a command stamped later fails with expired.")
	return p
}

// withTrade adds a swap's amounts: amountIn (with minAmountOut) or
// amountOut (with maxAmountIn).
func withTrade(p props) props {
	p["amountIn"], p["minAmountOut"] = amountIn, amountIn
	p["amountOut"], p["maxAmountIn"] = amountIn, amountIn
	return p
}

var actorDoc = schema{"type": "string", "description": "The account acting: set by the server to the user key's account; another value is 403."}

// opRequired lists the args a client must send with op: those the
// decoder requires, less the account a user op acts as, which the server
// sets from the key.
func opRequired(op string) []string {
	required, _, _ := scenario.OpArgs(op)
	actor := opPolicies[op].actor
	return slices.DeleteFunc(slices.Clone(required), func(name string) bool { return name == actor })
}

// components are the schemas the routes refer to.
func components() map[string]schema {
	poolView := props{
		"id": integer(), "paused": boolean(), "strategy": integer(), "paymentAsset": str(),
		"totalLiquidity": decimalOut, "availableLiquidity": decimalOut, "coveredCapital": decimalOut,
		"utilization": rayOut, "premiumRate": rayOut, "secondsPerTick": decimalOut, "tick": integer(),
		"liquidityIndex": rayOut, "lastUpdateTimestamp": integer(),
		"overlaps":      describe(mapOf(decimalOut), "Liquidity shared with each pool id; the pool's own id maps to its total liquidity."),
		"ongoingClaims": integer(), "compensations": arrayOf(integer()),
	}
	coverView := props{
		"id": integer(), "pool": integer(), "owner": str(), "coverAmount": decimalOut, "premiumsLeft": decimalOut,
		"dailyCost": decimalOut, "premiumRate": rayOut, "lastTick": integer(), "active": boolean(),
	}
	positionView := props{
		"id": integer(), "owner": str(), "pools": arrayOf(integer()), "supplied": decimalOut, "capital": decimalOut,
		"commitTimestamp": integer(), "coverRewards": arrayOf(decimalOut), "strategyRewards": decimalOut,
	}
	keys := func(p props) []string {
		var out []string
		for k := range p {
			out = append(out, k)
		}
		return out
	}
	pool := withProps(poolView, props{"rewardRate": describe(rayOut, "U × P: yearly premium reward of LP capital before fees (ray percent; \"0\" when it cannot be computed)."),
		"netLpRate": describe(rayOut, "The reward rate after the pool fee, for an unleveraged LP (ray percent; \"0\" when it cannot be computed).")})
	position := withProps(positionView, props{"apy": describe(rayOut, "Net rate of every pool backed plus the strategy's rate (ray percent; \"0\" when it cannot be computed).")})
	var commands []schema
	for _, op := range sortedOps() {
		args := opArgsSchema(op)
		if len(opArgs[op]) == 0 {
			args = schema{"type": "object", "additionalProperties": false}
		}
		pol := opPolicies[op]
		d := "Role: " + pol.role + "."
		if pol.devOnly {
			d = "Role: admin, on a --dev server only."
		}
		commands = append(commands, describe(object(props{"op": {"const": op}, "args": args}, "op"), d))
	}
	return map[string]schema{
		"Error": object(props{"error": describe(str(), "A stable code: an engine code of docs/scenario.md or unauthorized, forbidden, "+
			"not_found, method_not_allowed, body_too_large, unavailable, internal."), "message": str()}, "error", "message"),
		"Command": describe(oneOf(commands...), "One scenario step without `at`."),
		"Outcome": object(props{"seq": integer(), "at": integer(), "op": str(), "ok": boolean(),
			"result": describe(object(nil), "The op's result, e.g. {\"cover\": 3}."),
			"error":  describe(str(), "The engine's error code when ok is false."), "message": str()},
			"seq", "at", "op", "ok"),
		"Pool":          object(pool, keys(pool)...),
		"Cover":         object(coverView, keys(coverView)...),
		"Position":      object(position, keys(position)...),
		"StatePool":     object(poolView, keys(poolView)...),
		"StateCover":    object(coverView, keys(coverView)...),
		"StatePosition": object(positionView, keys(positionView)...),
		"Claim": object(props{"id": integer(), "cover": integer(), "pool": integer(),
			"owner":  describe(str(), "The cover's owner."),
			"amount": decimalOut, "status": schema{"type": "string", "enum": claimStatuses},
			"compensation": describe(integerMin(-1), "The payout's id once accepted, else -1.")},
			"id", "cover", "pool", "owner", "amount", "status", "compensation"),
		"Account": object(props{"account": str(), "balances": describe(mapOf(decimalOut), "Holdings by asset symbol."),
			"covers": arrayOf(ref("Cover")), "positions": arrayOf(ref("Position"))}, "account", "balances", "covers", "positions"),
		"State": object(withProps(props{
			"pools": arrayOf(ref("StatePool")), "covers": arrayOf(ref("StateCover")), "positions": arrayOf(ref("StatePosition")),
			"balances": describe(mapOf(mapOf(decimalOut)), "Account → asset → amount."),
			"custody": object(props{"premiums": mapOf(decimalOut), "strategies": mapOf(decimalOut), "shortfall": mapOf(decimalOut)},
				"premiums", "strategies"),
		}, swapStateProps), "pools", "covers", "positions", "balances", "custody"),
		"QuoteRequest": describe(object(props{"pool": idIn, "amount": amountIn, "premiums": amountIn,
			"duration": describe(integerMin(1), "Seconds of cover wanted.")}, "pool", "amount"),
			"Give exactly one of premiums and duration."),
		"CoverQuote": object(props{"pool": integer(), "amount": decimalOut,
			"premiumRate":     describe(rayOut, "The pool's premium rate after the purchase (ray percent)."),
			"secondsPerTick":  describe(decimalOut, "The pool's seconds per tick after the purchase."),
			"durationSeconds": decimalOut, "ticks": integer(),
			"premiums":  describe(decimalOut, "The premiums given, or the least that buy the duration."),
			"dailyCost": decimalOut},
			"pool", "amount", "premiumRate", "secondsPerTick", "durationSeconds", "ticks", "premiums", "dailyCost"),
		"EventsPage": object(props{"events": arrayOf(ref("Outcome")), "next": describe(integer(), "The seq to ask after next."),
			"more": boolean()}, "events", "next", "more"),
		"KeyInfo": keyInfoSchema,
		"Whoami": object(props{"key": str(), "role": schema{"enum": []string{RoleAdmin, RoleArbiter, RoleUser}}, "account": str()},
			"key", "role"),
	}
}

var errorStatuses = map[int]string{
	400: "Bad request: unknown field, wrong type, negative, non-decimal or overflowing number, unknown op (nothing changed).",
	401: "Missing, malformed or unknown API key.",
	403: "The key's role may not do this, or the object belongs to another account.",
	404: "Unknown object (not_found, pool_not_found, pair_not_found).",
	413: "The body is too large.",
	421: "not_leader: this node serves reads only (a follower or a standby); send commands to the leader, whose URL is in X-Vpool-Leader.",
	422: "The engine cannot do this with these values (its error code).",
	429: "too_many_streams: the key, or the server, has as many event streams open as it allows; close one, or retry after Retry-After.",
	503: "The node is closed, or stopped after a storage failure; or no node leads the market right now (no_leader: a standby is taking over); " +
		"or a read's minSeq was not reached in time (behind). Retry-After says when to try again.",
}

// openAPI is the document, built once.
func (a *api) openAPI() []byte {
	a.docOnce.Do(func() { a.doc = buildOpenAPI(a.routes) })
	return a.doc
}

var pathParamRE = regexp.MustCompile(`\{[^}]+\}`)

func buildOpenAPI(routes []route) []byte {
	paths := map[string]map[string]any{}
	for _, rt := range routes {
		if paths[rt.path] == nil {
			paths[rt.path] = map[string]any{}
		}
		paths[rt.path][strings.ToLower(rt.method)] = operation(rt)
	}
	responses := map[string]any{}
	for status, d := range errorStatuses {
		responses[responseName(status)] = errorResponse(d)
	}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "vpool", "version": "1",
			"description": "The cover and swap markets as a durable service. Amounts are decimal strings in base units; rates are ray integers " +
				"(10^27 is 1%). Every /v1 route needs an API key (Authorization: Bearer); roles are admin, arbiter and user."},
		"security": []any{map[string]any{"bearerAuth": []any{}}},
		"paths":    paths,
		"components": map[string]any{
			"schemas":         components(),
			"responses":       responses,
			"securitySchemes": map[string]any{"bearerAuth": map[string]any{"type": "http", "scheme": "bearer", "description": "A key from `vpool keys create`."}},
		},
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		panic(err) // the document is built from constant values
	}
	return append(out, '\n')
}

func operation(rt route) map[string]any {
	op := map[string]any{
		"summary":     rt.summary,
		"operationId": operationID(rt),
		"responses":   map[string]any{},
	}
	if rt.doc.description != "" {
		op["description"] = rt.doc.description
	}
	if rt.access == public {
		op["security"] = []any{}
	} else {
		op["x-vpool-roles"] = rt.access.roles()
	}
	var params []any
	docParams := rt.doc.params
	if slices.Contains(rt.doc.ok.headers, "X-Vpool-Seq") {
		docParams = append(slices.Clip(docParams), minSeqParam)
	}
	for _, p := range docParams {
		pm := map[string]any{"name": p.name, "in": p.in, "schema": p.schema}
		if p.description != "" {
			pm["description"] = p.description
		}
		if p.in == "path" {
			pm["required"] = true
		}
		params = append(params, pm)
	}
	if params != nil {
		op["parameters"] = params
	}
	if rt.doc.body != nil {
		op["requestBody"] = map[string]any{"required": true,
			"content": map[string]any{"application/json": map[string]any{"schema": rt.doc.body}}}
	}
	ok := map[string]any{"description": rt.doc.ok.description,
		"content": map[string]any{rt.doc.ok.contentType: map[string]any{"schema": rt.doc.ok.schema}}}
	if len(rt.doc.ok.headers) > 0 {
		headers := map[string]any{}
		for _, h := range rt.doc.ok.headers {
			headers[h] = map[string]any{"description": headerDocs[h], "schema": str()}
		}
		ok["headers"] = headers
	}
	responses := op["responses"].(map[string]any)
	responses["200"] = ok
	for _, status := range rt.doc.errors {
		responses[strconv.Itoa(status)] = map[string]any{"$ref": "#/components/responses/" + responseName(status)}
	}
	return op
}

// minSeqParam is every read's ?minSeq=.
var minSeqParam = queryParam("minSeq", "Answer only once the node reflects at least this seq (read your own writes on a follower); "+
	"503 behind if it does not within 5s.", integerMin(0))

var headerDocs = map[string]string{
	"X-Vpool-Seq":        "The seq of the last command the answer reflects.",
	"X-Vpool-At":         "The time (unix seconds) the answer is computed at.",
	"X-Vpool-State-Hash": "The canonical state hash (as vpool verify computes it).",
}

func errorResponse(description string) map[string]any {
	return map[string]any{"description": description,
		"content": map[string]any{"application/json": map[string]any{"schema": ref("Error")}}}
}

// operationID is e.g. getV1PoolsId for GET /v1/pools/{id}.
func operationID(rt route) string {
	id := strings.ToLower(rt.method)
	for _, part := range strings.FieldsFunc(pathParamRE.ReplaceAllStringFunc(rt.path, func(s string) string {
		return "by-" + strings.Trim(s, "{}")
	}), func(r rune) bool { return r == '/' || r == '-' || r == '.' }) {
		id += strings.ToUpper(part[:1]) + part[1:]
	}
	return id
}

// responseName is the component name of an error status, e.g. NotFound.
func responseName(status int) string { return strings.ReplaceAll(http.StatusText(status), " ", "") }

func sortedOps() []string {
	ops := make([]string, 0, len(opArgs))
	for op := range opArgs {
		ops = append(ops, op)
	}
	slices.Sort(ops)
	return ops
}
