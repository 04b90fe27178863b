package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vpool/vpool/scenario"
	"github.com/vpool/vpool/store"
)

// who sends each request of the route × role table: no key, a malformed
// key, a well-formed unknown key, each role, and bob, a user reading or
// acting on alice's things.
var callers = []string{"none", "malformed", "unknown", "admin", "arbiter", "alice", "bob"}

func callerKey(ta *testAPI, who string) string {
	switch who {
	case "none":
		return ""
	case "malformed":
		return "not-a-key"
	case "unknown":
		return "vpk_0123456789abcdef_" + strings.Repeat("ab", 32)
	}
	return who
}

// roleCase is one request and the status each caller must get.
type roleCase struct {
	name    string
	pattern string // the route it exercises
	method  string
	path    string
	body    string
	want    map[string]int // by caller; none, malformed and unknown default to 401
}

func TestEveryRouteByRole(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{Dev: true})
	ta.seed()     // alice: position 0; bob: cover 0, claim 0
	ta.seedSwap() // pair 0 USDC/WETH with alice's liquidity
	all := func(status int) map[string]int {
		return map[string]int{"admin": status, "arbiter": status, "alice": status, "bob": status}
	}
	staff := map[string]int{"admin": 200, "arbiter": 200, "alice": 403, "bob": 403}
	adminOnly := map[string]int{"admin": 200, "arbiter": 403, "alice": 403, "bob": 403}
	open := map[string]int{"none": 200, "malformed": 200, "unknown": 200, "admin": 200, "arbiter": 200, "alice": 200, "bob": 200}
	cases := []roleCase{
		{name: "admin op", pattern: "POST /v1/commands", method: "POST", path: "/v1/commands",
			body: `{"op":"check"}`, want: map[string]int{"admin": 200, "arbiter": 403, "alice": 403, "bob": 403}},
		{name: "mint (dev)", pattern: "POST /v1/commands", method: "POST", path: "/v1/commands",
			body: `{"op":"mint","args":{"to":"carol","asset":"USDC","amount":"1"}}`,
			want: map[string]int{"admin": 200, "arbiter": 403, "alice": 403, "bob": 403}},
		{name: "arbiter op", pattern: "POST /v1/commands", method: "POST", path: "/v1/commands",
			body: `{"op":"resolveClaim","args":{"claim":99,"accept":false}}`, // fails in the engine: still a 200
			want: map[string]int{"admin": 403, "arbiter": 200, "alice": 403, "bob": 403}},
		{name: "user op on alice's position", pattern: "POST /v1/commands", method: "POST", path: "/v1/commands",
			body: `{"op":"takeInterests","args":{"position":0,"as":"alice"}}`,
			want: map[string]int{"admin": 403, "arbiter": 403, "alice": 200, "bob": 403}},
		{name: "user op opening for alice", pattern: "POST /v1/commands", method: "POST", path: "/v1/commands",
			body: `{"op":"openCover","args":{"owner":"alice","pool":0,"amount":"1","premiums":"1"}}`,
			want: map[string]int{"admin": 403, "arbiter": 403, "alice": 200, "bob": 403}},
		{name: "swap admin op", pattern: "POST /v1/commands", method: "POST", path: "/v1/commands",
			body: `{"op":"createPair","args":{"tokenA":"USDC","tokenB":"USDC"}}`, // identical_tokens: still a 200
			want: map[string]int{"admin": 200, "arbiter": 403, "alice": 403, "bob": 403}},
		{name: "swap user op from alice", pattern: "POST /v1/commands", method: "POST", path: "/v1/commands",
			body: `{"op":"swap","args":{"from":"alice","tokenIn":"USDC","tokenOut":"USDC","amountIn":"1"}}`,
			want: map[string]int{"admin": 403, "arbiter": 403, "alice": 200, "bob": 403}},
		{name: "exchange with alice as caller", pattern: "POST /v1/commands", method: "POST", path: "/v1/commands",
			body: `{"op":"exchangeReserves","args":{"caller":"alice","jk1":0,"ik1":1,"jk2":1,"ik2":0,"amount":"1"}}`,
			want: map[string]int{"admin": 403, "arbiter": 403, "alice": 200, "bob": 403}},
		{name: "swap pairs", pattern: "GET /v1/swap/pairs", method: "GET", path: "/v1/swap/pairs", want: all(200)},
		{name: "swap pair", pattern: "GET /v1/swap/pairs/{id}", method: "GET", path: "/v1/swap/pairs/0", want: all(200)},
		{name: "swap quote", pattern: "POST /v1/swap/quote", method: "POST", path: "/v1/swap/quote",
			body: `{"tokenIn":"USDC","tokenOut":"WETH","amountIn":"1000"}`, want: all(200)},
		{name: "swap pair history", pattern: "GET /v1/swap/pairs/{id}/history", method: "GET", path: "/v1/swap/pairs/0/history", want: all(200)},
		{name: "virtual pools", pattern: "GET /v1/swap/vpools", method: "GET", path: "/v1/swap/vpools?in=USDC&out=WETH", want: all(200)},
		{name: "preview alice's swap", pattern: "POST /v1/swap/preview", method: "POST", path: "/v1/swap/preview",
			body: `{"op":"swap","args":{"from":"alice","tokenIn":"USDC","tokenOut":"WETH","amountIn":"1000"}}`, // alice holds no USDC
			want: map[string]int{"admin": 403, "arbiter": 403, "alice": 422, "bob": 403}},
		{name: "pools", pattern: "GET /v1/pools", method: "GET", path: "/v1/pools", want: all(200)},
		{name: "pool", pattern: "GET /v1/pools/{id}", method: "GET", path: "/v1/pools/0", want: all(200)},
		{name: "bob's cover", pattern: "GET /v1/covers/{id}", method: "GET", path: "/v1/covers/0",
			want: map[string]int{"admin": 200, "arbiter": 200, "alice": 403, "bob": 200}},
		{name: "alice's position", pattern: "GET /v1/positions/{id}", method: "GET", path: "/v1/positions/0",
			want: map[string]int{"admin": 200, "arbiter": 200, "alice": 200, "bob": 403}},
		{name: "bob's claim", pattern: "GET /v1/claims/{id}", method: "GET", path: "/v1/claims/0",
			want: map[string]int{"admin": 200, "arbiter": 200, "alice": 403, "bob": 200}},
		{name: "claims", pattern: "GET /v1/claims", method: "GET", path: "/v1/claims?status=open", want: staff},
		{name: "alice's account", pattern: "GET /v1/accounts/{name}", method: "GET", path: "/v1/accounts/alice",
			want: map[string]int{"admin": 200, "arbiter": 200, "alice": 200, "bob": 403}},
		{name: "state", pattern: "GET /v1/state", method: "GET", path: "/v1/state", want: staff},
		{name: "quote", pattern: "POST /v1/quote/cover", method: "POST", path: "/v1/quote/cover",
			body: `{"pool":0,"amount":"1000000","premiums":"1000000"}`, want: all(200)},
		{name: "events", pattern: "GET /v1/events", method: "GET", path: "/v1/events", want: staff},
		{name: "event stream", pattern: "GET /v1/events/stream", method: "GET", path: "/v1/events/stream", want: staff},
		{name: "whoami", pattern: "GET /v1/whoami", method: "GET", path: "/v1/whoami", want: all(200)},
		{name: "openapi", pattern: "GET /openapi.json", method: "GET", path: "/openapi.json", want: open},
		{name: "healthz", pattern: "GET /healthz", method: "GET", path: "/healthz", want: open},
		{name: "readyz", pattern: "GET /readyz", method: "GET", path: "/readyz", want: open},
		{name: "metrics", pattern: "GET /metrics", method: "GET", path: "/metrics", want: open},
		{name: "market", pattern: "GET /v1/market", method: "GET", path: "/v1/market", want: all(200)},
		{name: "market stream", pattern: "GET /v1/market/stream", method: "GET", path: "/v1/market/stream", want: all(200)},
		{name: "pool curve", pattern: "GET /v1/pools/{id}/curve", method: "GET", path: "/v1/pools/0/curve", want: all(200)},
		{name: "pool expiring", pattern: "GET /v1/pools/{id}/expiring", method: "GET", path: "/v1/pools/0/expiring", want: all(200)},
		{name: "pool history", pattern: "GET /v1/pools/{id}/history", method: "GET", path: "/v1/pools/0/history", want: all(200)},
		{name: "position quote", pattern: "POST /v1/quote/position", method: "POST", path: "/v1/quote/position",
			body: `{"pools":[0],"amount":"1000000"}`, want: all(200)},
		{name: "keys", pattern: "GET /v1/keys", method: "GET", path: "/v1/keys", want: adminOnly},
		{name: "create a key", pattern: "POST /v1/keys", method: "POST", path: "/v1/keys",
			body: `{"role":"user","account":"dave"}`, want: adminOnly},
		{name: "revoke an unknown key", pattern: "POST /v1/keys/{id}/revoke", method: "POST", path: "/v1/keys/0000000000000000/revoke",
			want: map[string]int{"admin": 404, "arbiter": 403, "alice": 403, "bob": 403}},
	}
	covered := map[string]bool{}
	for _, c := range cases {
		covered[c.pattern] = true
		for _, who := range callers {
			want, ok := c.want[who]
			if !ok {
				want = http.StatusUnauthorized
			}
			// The stream's context is already done: the handler answers
			// its status and returns at once.
			ctx := context.Background()
			if strings.HasSuffix(c.path, "/stream") {
				cctx, cancel := context.WithCancel(ctx)
				cancel()
				ctx = cctx
			}
			rec := ta.doCtx(ctx, c.method, c.path, callerKey(ta, who), c.body)
			if rec.Code != want {
				t.Errorf("%s (%s %s) as %s: %d, want %d: %s", c.name, c.method, c.path, who, rec.Code, want, rec.Body)
				continue
			}
			switch want {
			case http.StatusUnauthorized:
				if errorCode(t, rec) != codeUnauthorized || !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("%s as %s: 401 without its code or WWW-Authenticate", c.name, who)
				}
			case http.StatusForbidden:
				if errorCode(t, rec) != codeForbidden {
					t.Errorf("%s as %s: 403 with code %s", c.name, who, errorCode(t, rec))
				}
			}
		}
	}
	for _, rt := range routesOf(ta) {
		if !covered[rt.pattern()] {
			t.Errorf("route %s has no case in the route × role table", rt.pattern())
		}
	}
}

// routesOf is the route table of a handler made like ta's.
func routesOf(ta *testAPI) []route { return newAPI(ta.n, HandlerOptions{}).routes }

func TestUsersActOnlyAsTheirAccount(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{Dev: true})
	ta.seed()
	seq := ta.seq()
	// A different owner or as, in any spelling encoding/json would accept,
	// is refused and nothing is submitted.
	for _, body := range []string{
		`{"op":"openPosition","args":{"owner":"alice","amount":"1","pools":[0]}}`,
		`{"op":"openPosition","args":{"OWNER":"alice","amount":"1","pools":[0]}}`,
		`{"op":"openPosition","args":{"owner":"bob","owner":"alice","amount":"1","pools":[0]}}`,
		`{"op":"takeInterests","args":{"position":0,"as":"alice"}}`,
		`{"op":"takeInterests","args":{"position":0,"As":"alice"}}`,
		`[{"op":"openClaim","args":{"cover":0,"amount":"1"}},{"op":"updateCover","args":{"cover":0,"as":"alice"}}]`,
	} {
		rec := ta.do("POST", "/v1/commands", "bob", body)
		if rec.Code != http.StatusForbidden || errorCode(t, rec) != codeForbidden {
			t.Errorf("%s as bob: %d %s", body, rec.Code, rec.Body)
		}
	}
	if ta.seq() != seq {
		t.Fatalf("refused requests changed the seq: %d → %d", seq, ta.seq())
	}
	// Omitted or empty: the account is filled in; bob can act on alice's
	// position only as bob, which the engine refuses (not_owner).
	var out Outcome
	ta.must(200, "POST", "/v1/commands", "bob", `{"op":"takeInterests","args":{"position":0,"as":""}}`, &out)
	if out.OK || out.Error != "not_owner" {
		t.Fatalf("bob taking alice's interests: %+v", out)
	}
	ta.must(200, "POST", "/v1/commands", "bob", `{"op":"openCover","args":{"pool":0,"amount":"1000000","premiums":"1000000"}}`, &out)
	var opened struct{ Cover int }
	json.Unmarshal(out.Result, &opened)
	var cov struct{ Owner string }
	ta.must(200, "GET", fmt.Sprintf("/v1/covers/%d", opened.Cover), "bob", "", &cov)
	if cov.Owner != "bob" {
		t.Fatalf("cover opened by bob's key belongs to %q", cov.Owner)
	}
	// The log holds the args as rewritten.
	var logged []byte
	ta.n.Store().Records(context.Background(), out.Seq-1, 1, func(r store.Record) error { logged = r.Args; return nil })
	var args map[string]any
	json.Unmarshal(logged, &args)
	if args["owner"] != "bob" {
		t.Fatalf("logged args %s", logged)
	}
}

func TestUserKeyWithoutAccountCannotAct(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{})
	token, _, err := ta.n.Store().CreateKey(context.Background(), store.NewKey{Role: RoleUser}, time.Unix(1_700_000_000, 0))
	if err != nil {
		t.Fatal(err)
	}
	rec := ta.do("POST", "/v1/commands", token, `{"op":"openPosition","args":{"owner":"x","amount":"1","pools":[0]}}`)
	if rec.Code != http.StatusForbidden {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if rec := ta.do("GET", "/v1/accounts/", token, ""); rec.Code != http.StatusNotFound {
		t.Fatalf("empty account name: %d", rec.Code)
	}
	if rec := ta.do("GET", "/v1/accounts/x", token, ""); rec.Code != http.StatusForbidden {
		t.Fatalf("account x: %d", rec.Code)
	}
}

func TestMintNeedsDev(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{Dev: false})
	ta.submit("admin", opAsset)
	rec := ta.do("POST", "/v1/commands", "admin", `{"op":"mint","args":{"to":"a","asset":"USDC","amount":"1"}}`)
	if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "--dev") {
		t.Fatalf("mint without dev: %d %s", rec.Code, rec.Body)
	}
}

func TestEveryOpHasARoleAndDocumentedArgs(t *testing.T) {
	ops := append(scenario.Ops(), scenario.SwapOps()...)
	for _, op := range ops {
		if _, ok := opPolicies[op]; !ok {
			t.Errorf("op %s has no role in opPolicies", op)
		}
		if _, ok := opArgs[op]; !ok {
			t.Errorf("op %s has no args in the OpenAPI document", op)
		}
	}
	for op, pol := range opPolicies {
		if !slices.Contains(ops, op) {
			t.Errorf("opPolicies has %s, which scenario.DecodeStep does not know", op)
		}
		if (pol.role == RoleUser) != (pol.actor != "") {
			t.Errorf("op %s: a user op must name its actor arg, and only a user op", op)
		}
	}
}

func TestKeysAreCachedByDigestOnly(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{})
	ta.must(200, "GET", "/v1/whoami", "alice", "", nil)
	// A token differing in its last character is still unknown, cached
	// neighbour or not.
	token := ta.keys["alice"]
	other := token[:len(token)-1] + map[bool]string{true: "1", false: "0"}[token[len(token)-1] == '0']
	if rec := ta.do("GET", "/v1/whoami", other, ""); rec.Code != http.StatusUnauthorized {
		t.Fatalf("a near token: %d", rec.Code)
	}
	var p principal
	ta.must(200, "GET", "/v1/whoami", "alice", "", &p)
	if p.Role != RoleUser || p.Account != "alice" || p.KeyID == "" {
		t.Fatalf("whoami %+v", p)
	}
}
