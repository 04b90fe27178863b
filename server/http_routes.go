package server

import (
	"net/http"
	"strconv"
	"time"
)

// route is one entry of the API: NewHandler registers exactly these on
// its mux, and the OpenAPI document is generated from the same table, so
// a route cannot be served without being documented.
type route struct {
	method, path string
	access       access
	summary      string
	handle       func(http.ResponseWriter, *http.Request, *principal) error
	doc          opDoc
	// stream routes answer an endless event stream (openStream).
	stream bool
}

func (rt route) pattern() string { return rt.method + " " + rt.path }

// table is every route of the API.
func (a *api) table() []route {
	id := pathParam("id", "The object's id (ids start at 0 per kind).", integerMin(0))
	read := []int{400, 401, 403, 404, 503}
	core := []route{
		{method: "POST", path: "/v1/commands", access: anyRole, handle: a.postCommands,
			summary: "Submit one command or an array of them",
			doc: opDoc{
				description: "Each command is a scenario step without `at`: the server stamps the time (unix seconds, never going back). " +
					"Every command of the request is authorized and parsed strictly before any is applied: any refusal is a 4xx and changes nothing. " +
					"The commands are then applied in order, each all-or-nothing, and answered once durable. " +
					"An engine failure is not an HTTP error: that command still gets a seq and `ok: false` with its error code. " +
					"Admin keys submit admin ops (mint only on a --dev server), arbiter keys resolveClaim, user keys the position, cover, claim and swap trading ops, " +
					"always as their own account: `owner` (openPosition, openCover), `from` (the swap ops that pay), `caller` (exchangeReserves) " +
					"or `as` (the others) is set to it, and a different value is 403. Each op's role is in the Command schema.",
				body: oneOf(ref("Command"), arrayOf(ref("Command"))),
				ok: response("One outcome per command; a single command gives a single outcome.",
					oneOf(ref("Outcome"), arrayOf(ref("Outcome")))),
				errors: []int{400, 401, 403, 413, 421, 503},
			}},
		{method: "GET", path: "/v1/pools", access: anyRole, handle: a.getPools,
			summary: "Every pool as of now, with its rates",
			doc: opDoc{ok: readResponse("The pools.", object(props{"pools": arrayOf(ref("Pool"))}, "pools")),
				errors: []int{401, 403, 503}}},
		{method: "GET", path: "/v1/pools/{id}", access: anyRole, handle: a.getPool,
			summary: "One pool as of now, with its rates",
			doc:     opDoc{params: []param{id}, ok: readResponse("The pool.", ref("Pool")), errors: read}},
		{method: "GET", path: "/v1/covers/{id}", access: anyRole, handle: a.getCover,
			summary: "One cover as of now (a user key reads only its own)",
			doc:     opDoc{params: []param{id}, ok: readResponse("The cover.", ref("Cover")), errors: read}},
		{method: "GET", path: "/v1/positions/{id}", access: anyRole, handle: a.getPosition,
			summary: "One position as of now, with its APY (a user key reads only its own)",
			doc:     opDoc{params: []param{id}, ok: readResponse("The position.", ref("Position")), errors: read}},
		{method: "GET", path: "/v1/claims/{id}", access: anyRole, handle: a.getClaim,
			summary: "One claim as it stands (a user key reads only claims on its own covers)",
			doc:     opDoc{params: []param{id}, ok: readResponse("The claim.", ref("Claim")), errors: read}},
		{method: "GET", path: "/v1/claims", access: staffOnly, handle: a.getClaims,
			summary: "Every claim, or those of one status, in id order",
			doc: opDoc{description: "Admin and arbiter keys only: it names every account.",
				params: []param{queryParam("status", "Only claims of this status (default: all).", schema{"type": "string", "enum": claimStatuses})},
				ok:     readResponse("The claims, by id.", object(props{"claims": arrayOf(ref("Claim"))}, "claims")),
				errors: []int{400, 401, 403, 503}}},
		{method: "GET", path: "/v1/accounts/{name}", access: anyRole, handle: a.getAccount,
			summary: "An account's balances, covers and positions (a user key reads only its own)",
			doc: opDoc{params: []param{pathParam("name", "The account name.", str())},
				ok: readResponse("The account; an account with nothing is empty, not 404.", ref("Account")), errors: []int{401, 403, 503}}},
		{method: "GET", path: "/v1/state", access: staffOnly, handle: a.getState,
			summary: "The whole state object of docs/scenario.md as of now",
			doc: opDoc{description: "Admin and arbiter keys only: it holds every account. X-Vpool-State-Hash is the canonical state hash.",
				ok:     readResponse("The state.", ref("State"), "X-Vpool-State-Hash"),
				errors: []int{401, 403, 503}}},
		{method: "POST", path: "/v1/quote/cover", access: anyRole, handle: a.postQuoteCover,
			summary: "Price a cover without buying it",
			doc: opDoc{description: "For a pool, an amount and either premiums or a duration (seconds): what openCover would register now. " +
				"Pricing failures (insufficient_capacity, duration_below_one_tick, …) are 422 with the engine's code.",
				body: ref("QuoteRequest"), ok: readResponse("The quote.", ref("CoverQuote")),
				errors: []int{400, 401, 403, 404, 413, 422, 503}}},
		{method: "GET", path: "/v1/events", access: staffOnly, handle: a.getEvents,
			summary: "Outcomes of the logged commands after a seq, a page at a time",
			doc: opDoc{description: "Admin and arbiter keys only (messages name accounts). Ask again with after=next while more is true.",
				params: []param{
					queryParam("after", "Return outcomes with a seq above this one, at most the last seq (else 400).", integerMin(0)),
					queryParam("limit", "Page size, 1 to 1000 (default 100).", integerRange(1, maxEventsLimit)),
				},
				ok: response("A page of outcomes, as stored in the log.", ref("EventsPage")), errors: []int{400, 401, 403, 503}}},
		{method: "GET", path: "/v1/events/stream", access: staffOnly, handle: a.getEventStream, stream: true,
			summary: "Server-Sent Events: one `outcome` event per durable command",
			doc: opDoc{description: "Each event has `id:` its seq and `data:` its outcome (the Outcome schema). " +
				"Resumes after the Last-Event-ID header or ?after=: the log first, then live, without gaps or repeats. " +
				"Comment lines are sent while idle. A client that falls more than " + strconv.Itoa(feedRing) + " events behind the live feed is closed, " +
				"and resumes from the log by reconnecting with Last-Event-ID. Admin and arbiter keys only.",
				params: []param{
					queryParam("after", "Start after this seq (default 0: the whole log), at most the last seq (else 400).", integerMin(0)),
					{name: "Last-Event-ID", in: "header", description: "The last seq received; wins over ?after=; at most the last seq (else 400).", schema: str()},
				},
				ok:     opResponse{description: "An endless text/event-stream.", contentType: "text/event-stream", schema: str()},
				errors: []int{400, 401, 403, 429, 503}}},
		{method: "GET", path: "/v1/whoami", access: anyRole, handle: a.getWhoami,
			summary: "The key's id, role and account",
			doc:     opDoc{ok: response("The key.", ref("Whoami")), errors: []int{401, 503}}},
		{method: "GET", path: "/openapi.json", access: public, handle: a.getOpenAPI,
			summary: "This document (OpenAPI 3.1)",
			doc:     opDoc{ok: response("The document.", object(nil))}},
		{method: "GET", path: "/healthz", access: public, handle: a.getHealthz,
			summary: "Liveness: the process answers",
			doc:     opDoc{ok: opResponse{description: "ok", contentType: "text/plain", schema: str()}}},
		{method: "GET", path: "/readyz", access: public, handle: a.getReadyz,
			summary: "Readiness: the node is open, has not stopped on a storage failure, and a follower or standby reaches the log",
			doc: opDoc{description: "The body names the node's role: `ready: leader`, `ready: standby` or `ready: follower`. " +
				"A follower or standby that has not read to the end of the log for 10s is 503 behind.",
				ok:     opResponse{description: "ready: ROLE", contentType: "text/plain", schema: str()},
				errors: []int{503}}},
		{method: "GET", path: "/metrics", access: public, handle: a.getMetrics,
			summary: "Prometheus metrics",
			doc: opDoc{description: "Requests by route and status, commit batch sizes and fsync time, the writer's queue depth, " +
				"and per-pool utilization, premium rate, reward rate and liquidity computed at scrape time.",
				ok: opResponse{description: "The Prometheus text format.", contentType: "text/plain", schema: str()}}},
	}
	hist := newHistory() // pools' and pairs' series, built once
	return append(append(append(core, a.marketRoutes(hist)...), a.swapRoutes(hist)...), a.keyRoutes()...)
}

func (a *api) getHealthz(w http.ResponseWriter, _ *http.Request, _ *principal) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
	return nil
}

func (a *api) getReadyz(w http.ResponseWriter, _ *http.Request, _ *principal) error {
	if err := nodeUp(a.n); err != nil {
		return errorf(http.StatusServiceUnavailable, codeUnavailable, "%v", err)
	}
	role := a.n.Role().String()
	if stale := a.n.Staleness(); stale > maxReadyStaleness {
		return errorf(http.StatusServiceUnavailable, codeBehind, "this %s last read to the end of the log %s ago", role, stale.Round(time.Second))
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ready: " + role + "\n"))
	return nil
}

// maxReadyStaleness is how stale a follower or standby may be and still
// be ready: past it, it has not reached the log for many polls.
const maxReadyStaleness = 10 * time.Second

func (a *api) getMetrics(w http.ResponseWriter, r *http.Request, _ *principal) error {
	a.metrics.Handler().ServeHTTP(w, r)
	return nil
}

func (a *api) getOpenAPI(w http.ResponseWriter, _ *http.Request, _ *principal) error {
	w.Header().Set("Content-Type", "application/json")
	w.Write(a.openAPI())
	return nil
}
