package server

import (
	"strings"
	"testing"
)

// refusedWhole sends body as who and requires a 400 invalid_argument whose
// message names field, with the state hash and seq unchanged.
func (ta *testAPI) refusedWhole(who, body, field string) {
	ta.t.Helper()
	hash, seq := stateHash(ta.n)
	rec := ta.do("POST", "/v1/commands", who, body)
	if rec.Code != 400 || errorCode(ta.t.(*testing.T), rec) != "invalid_argument" || !strings.Contains(rec.Body.String(), field) {
		ta.t.Errorf("%s as %s: %d %s, want 400 invalid_argument naming %s", body, who, rec.Code, rec.Body, field)
	}
	if h, s := stateHash(ta.n); h != hash || s != seq {
		ta.t.Fatalf("%s as %s changed the state: seq %d → %d", body, who, seq, s)
	}
}

// Missing or null required args are refused, naming the arg, and change
// nothing: they used to decode as zero, so that a bare resolveClaim
// rejected claim 0 for good and a bare freeze unfroze (issue 12, item 4).
func TestMissingArgsAreRefusedNotZero(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{Dev: true})
	ta.seed() // claim 0 is open
	ta.submit("admin", `{"op":"freeze","args":{"frozen":true}}`, `{"op":"pausePool","args":{"pool":0,"paused":true}}`)
	for _, c := range []struct{ who, body, field string }{
		{"arbiter", `{"op":"resolveClaim"}`, "claim"},
		{"arbiter", `{"op":"resolveClaim","args":null}`, "claim"},
		{"arbiter", `{"op":"resolveClaim","args":{}}`, "claim"},
		{"arbiter", `{"op":"resolveClaim","args":{"claim":0}}`, "accept"},
		{"arbiter", `{"op":"resolveClaim","args":{"claim":null,"accept":false}}`, "claim"},
		{"admin", `{"op":"freeze"}`, "frozen"},
		{"admin", `{"op":"freeze","args":{"frozen":null}}`, "frozen"},
		{"admin", `{"op":"pausePool"}`, "pool"},
		{"admin", `{"op":"pausePool","args":{"pool":0}}`, "paused"},
		{"admin", `{"op":"setStrategyIndex","args":{"index":"1000000000000000000000000001"}}`, "strategy"},
		{"bob", `{"op":"openClaim","args":{"amount":"1"}}`, "cover"},
		{"bob", `{"op":"openClaim","args":{"cover":null,"amount":"1"}}`, "cover"},
		{"bob", `{"op":"updateCover","args":{"premiumsToAdd":"1"}}`, "cover"},
		{"alice", `{"op":"takeInterests","args":{"as":null}}`, "position"},
		{"alice", `{"op":"openPosition","args":{"amount":"1","pools":[0,null]}}`, "pools"},
	} {
		ta.refusedWhole(c.who, c.body, c.field)
	}
	var claim struct{ Status string }
	ta.must(200, "GET", "/v1/claims/0", "arbiter", "", &claim)
	var state struct {
		Pools []struct{ Paused bool }
	}
	ta.must(200, "GET", "/v1/state", "admin", "", &state)
	if claim.Status != "open" || !state.Pools[0].Paused {
		t.Fatalf("claim 0 is %s, pool 0 paused %v", claim.Status, state.Pools[0].Paused)
	}
}

// Every account-naming arg of both markets follows the rules of
// `vpool keys create --account`: an account no key can ever act as would
// strand what it receives (issue 12, item 6).
func TestAccountNamesFollowTheKeyRules(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{Dev: true})
	ta.seed()
	ta.seedSwap()
	ta.submit("admin", `{"op":"mint","args":{"to":"alice","asset":"USDC","amount":"1000"}}`)
	long := strings.Repeat("a", 100_000)
	for _, bad := range []string{`"bob\u0000"`, `"` + long + `"`, `"bob smith"`, `"tab\there"`, `"\u200bbob"`, `""`} {
		ta.refusedWhole("alice", `{"op":"swapNative","args":{"to":`+bad+`,"path":["USDC","WETH"],"amountIn":"10"}}`, "to")
		ta.refusedWhole("alice", `{"op":"swap","args":{"to":`+bad+`,"tokenIn":"USDC","tokenOut":"WETH","amountIn":"10"}}`, "to")
		ta.refusedWhole("alice", `{"op":"pairDeposit","args":{"to":`+bad+`,"tokenA":"USDC","tokenB":"WETH","amountA":"10","amountB":"10"}}`, "to")
		ta.refusedWhole("admin", `{"op":"mint","args":{"to":`+bad+`,"asset":"USDC","amount":"1"}}`, "to")
	}
	// A name at the limit, in any script, is fine.
	ta.submit("alice", `{"op":"swapNative","args":{"to":"`+strings.Repeat("é", 32)+`","path":["USDC","WETH"],"amountIn":"10"}}`,
		`{"op":"swapNative","args":{"to":"carol","path":["USDC","WETH"],"amountIn":"10"}}`)
}
