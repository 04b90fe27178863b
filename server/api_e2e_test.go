package server

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/scenario"
)

// client talks to an httptest.Server with one key.
type client struct {
	t     *testing.T
	base  string
	token string
}

func (c client) call(method, path, body string, out any) (int, http.Header) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if out != nil && res.StatusCode == http.StatusOK {
		if err := json.Unmarshal(data, out); err != nil {
			c.t.Fatalf("%s %s: %v in %s", method, path, err, data)
		}
	}
	if res.StatusCode != http.StatusOK {
		c.t.Logf("%s %s: %d %s", method, path, res.StatusCode, data)
	}
	return res.StatusCode, res.Header
}

// ok submits commands and returns their outcomes, failing on an engine
// failure.
func (c client) ok(cmds ...string) []Outcome {
	c.t.Helper()
	var outs []Outcome
	if status, _ := c.call("POST", "/v1/commands", "["+strings.Join(cmds, ",")+"]", &outs); status != 200 {
		c.t.Fatalf("commands: status %d", status)
	}
	for _, o := range outs {
		if !o.OK {
			c.t.Fatalf("%s: %s %s", o.Op, o.Error, o.Message)
		}
	}
	return outs
}

func TestEndToEnd(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{Dev: true})
	srv := httptest.NewServer(ta.h)
	defer srv.Close()
	as := func(who string) client { return client{t: t, base: srv.URL, token: ta.keys[who]} }
	admin, arbiter, alice, bob := as("admin"), as("arbiter"), as("alice"), as("bob")

	// The admin sets the §10 market up and mints (a dev server).
	outs := admin.ok(opAsset, opStrategy, opPool,
		`{"op":"mint","args":{"to":"alice","asset":"USDC","amount":"10000000000"}}`,
		`{"op":"mint","args":{"to":"bob","asset":"USDC","amount":"1000000000"}}`)
	if string(outs[1].Result) != `{"strategy":0}` || string(outs[2].Result) != `{"pool":0}` {
		t.Fatalf("results %s %s", outs[1].Result, outs[2].Result)
	}
	alice.ok(`{"op":"openPosition","args":{"amount":"10000000000","pools":[0]}}`)

	// Quotes: 5,000 of cover for 100 USDC in a 10,000 pool at 0% (§10),
	// and the least premiums buying the duration those premiums buy.
	var q CoverQuote
	if status, _ := bob.call("POST", "/v1/quote/cover", `{"pool":0,"amount":"5000000000","premiums":"100000000"}`, &q); status != 200 {
		t.Fatal(status)
	}
	if q.PremiumRate != "5750000000000000000000000000" || q.SecondsPerTick != "30052" || q.DurationSeconds != "10969043" ||
		q.Ticks != 365 || q.Premiums != "100000000" {
		t.Fatalf("quote %+v, want spec §10's", q)
	}
	var byDuration CoverQuote
	bob.call("POST", "/v1/quote/cover", `{"pool":0,"amount":"5000000000","duration":10969043}`, &byDuration)
	if p, err := strconv.ParseUint(byDuration.Premiums, 10, 64); err != nil || p == 0 || p > 100000000 || byDuration.Ticks != 365 {
		t.Fatalf("quote by duration %+v", byDuration)
	}
	for body, want := range map[string]int{
		`{"pool":0,"amount":"5000000000"}`:                             400, // neither premiums nor duration
		`{"pool":0,"amount":"5000000000","premiums":"1","duration":5}`: 400,
		`{"pool":9,"amount":"1","premiums":"1"}`:                       404,
		`{"pool":0,"amount":"50000000000","premiums":"100000000"}`:     422, // insufficient_capacity
		`{"pool":0,"amount":"1","premiums":"1","extra":1}`:             400,
	} {
		if status, _ := bob.call("POST", "/v1/quote/cover", body, nil); status != want {
			t.Errorf("quote %s: %d, want %d", body, status, want)
		}
	}

	// Bob buys the cover as quoted; its view right after is §10's.
	outs = bob.ok(`{"op":"openCover","args":{"pool":0,"amount":"5000000000","premiums":"100000000"}}`)
	if string(outs[0].Result) != `{"cover":0}` {
		t.Fatalf("openCover %s", outs[0].Result)
	}
	var cv cover.CoverView
	_, h := bob.call("GET", "/v1/covers/0", "", &cv)
	if cv.Owner != "bob" || cv.PremiumsLeft != "99999421" || cv.DailyCost != "787671" || !cv.Active {
		t.Fatalf("cover %+v", cv)
	}
	if h.Get("X-Vpool-Seq") != strconv.FormatUint(outs[0].Seq, 10) || h.Get("X-Vpool-At") == "" {
		t.Fatalf("read headers %v, last seq %d", h, outs[0].Seq)
	}
	var pool PoolInfo
	alice.call("GET", "/v1/pools/0", "", &pool)
	if pool.Utilization != "50000000000000000000000000000" || pool.PremiumRate != "5750000000000000000000000000" ||
		pool.RewardRate != "2875000000000000000000000000" || pool.NetLPRate != "2587500000000000000000000000" {
		t.Fatalf("pool %+v: want U 50%%, P 5.75%%, U×P 2.875%%, net of the 10%% fee 2.5875%%", pool)
	}
	var pos PositionInfo
	alice.call("GET", "/v1/positions/0", "", &pos)
	if pos.Owner != "alice" || pos.APY != pool.NetLPRate {
		t.Fatalf("position %+v: its APY is the pool's net rate (the strategy has no rate yet)", pos)
	}

	// A claim: bob opens it, the arbiter accepts it, the reads show it.
	outs = bob.ok(`{"op":"openClaim","args":{"cover":0,"amount":"1000000000"}}`)
	claim := outs[0].Result
	openSeq := strconv.FormatUint(outs[0].Seq, 10)
	wantOpen := cover.ClaimView{ID: 0, Cover: 0, Pool: 0, Owner: "bob", Amount: "1000000000", Status: "open", Compensation: -1}
	for _, who := range []client{bob, arbiter} {
		var cl cover.ClaimView
		_, h := who.call("GET", "/v1/claims/0", "", &cl)
		if cl != wantOpen || h.Get("X-Vpool-Seq") != openSeq || h.Get("X-Vpool-At") == "" {
			t.Fatalf("claim 0 %+v, headers %v; want %+v at seq %s", cl, h, wantOpen, openSeq)
		}
	}
	if status, _ := alice.call("GET", "/v1/claims/0", "", nil); status != 403 {
		t.Fatalf("alice reading bob's claim: %d", status)
	}
	var claims struct{ Claims []cover.ClaimView }
	_, h = arbiter.call("GET", "/v1/claims?status=open", "", &claims)
	if len(claims.Claims) != 1 || claims.Claims[0] != wantOpen || h.Get("X-Vpool-Seq") != openSeq {
		t.Fatalf("open claims %+v, headers %v", claims, h)
	}
	for path, want := range map[string]int{"/v1/claims?status=pending": 400, "/v1/claims?status=OPEN": 400} {
		if status, _ := admin.call("GET", path, "", nil); status != want {
			t.Errorf("GET %s: %d, want %d", path, status, want)
		}
	}
	if status, _ := bob.call("GET", "/v1/claims", "", nil); status != 403 {
		t.Fatalf("bob listing the claims: %d", status)
	}
	if status, _ := bob.call("POST", "/v1/commands", `{"op":"resolveClaim","args":{"claim":0,"accept":true}}`, nil); status != 403 {
		t.Fatalf("bob resolving his own claim: %d", status)
	}
	outs = arbiter.ok(`{"op":"resolveClaim","args":{"claim":0,"accept":true}}`)
	if string(claim) != `{"claim":0}` || string(outs[0].Result) != `{"compensation":0}` {
		t.Fatalf("claim %s, resolution %s", claim, outs[0].Result)
	}
	lastSeq := outs[0].Seq
	claims.Claims = nil
	admin.call("GET", "/v1/claims?status=accepted", "", &claims)
	wantAccepted := wantOpen
	wantAccepted.Status, wantAccepted.Compensation = "accepted", 0
	if len(claims.Claims) != 1 || claims.Claims[0] != wantAccepted {
		t.Fatalf("accepted claims %+v, want [%+v]", claims, wantAccepted)
	}
	claims.Claims = nil
	arbiter.call("GET", "/v1/claims?status=open", "", &claims)
	if claims.Claims == nil || len(claims.Claims) != 0 {
		t.Fatalf("open claims after the resolution %+v, want an empty list", claims)
	}
	alice.call("GET", "/v1/pools/0", "", &pool)
	if pool.TotalLiquidity != "9000000000" || fmt.Sprint(pool.Compensations) != "[0]" {
		t.Fatalf("pool after the payout %+v", pool)
	}
	alice.call("GET", "/v1/positions/0", "", &pos)
	if pos.Capital != "9000000000" {
		t.Fatalf("alice's capital after the payout: %s", pos.Capital)
	}
	var acct AccountInfo
	bob.call("GET", "/v1/accounts/bob", "", &acct)
	if acct.Account != "bob" || acct.Balances["USDC"] != "1900000000" || len(acct.Covers) != 1 || len(acct.Positions) != 0 ||
		acct.Covers[0].CoverAmount != "4000000000" {
		t.Fatalf("bob's account %+v: 900 USDC left + 1,000 paid out, his cover cut to 4,000", acct)
	}
	var alices AccountInfo
	alice.call("GET", "/v1/accounts/alice", "", &alices)
	if len(alices.Positions) != 1 || alices.Positions[0].ID != 0 || len(alices.Covers) != 0 || len(alices.Balances) != 0 {
		t.Fatalf("alice's account %+v", alices)
	}
	var state cover.View
	_, h = arbiter.call("GET", "/v1/state", "", &state)
	var hash string
	ta.n.Read(func(m *cover.Market, _, _ uint64) { hash = scenario.StateHash(m) })
	if len(state.Pools) != 1 || len(state.Covers) != 1 || len(state.Positions) != 1 || state.Balances["bob"]["USDC"] != "1900000000" ||
		h.Get("X-Vpool-State-Hash") != hash || h.Get("X-Vpool-Seq") != strconv.FormatUint(lastSeq, 10) {
		t.Fatalf("state %+v, headers %v", state, h)
	}
	var pools struct{ Pools []PoolInfo }
	bob.call("GET", "/v1/pools", "", &pools)
	if len(pools.Pools) != 1 || pools.Pools[0].ID != 0 {
		t.Fatalf("pools %+v", pools)
	}
	for path, want := range map[string]int{"/v1/pools/1": 404, "/v1/covers/5": 404, "/v1/positions/9": 404, "/v1/claims/1": 404,
		"/v1/claims/-1": 400,
		"/v1/pools/-1":  400, "/v1/pools/01": 400, "/v1/pools/x": 400} {
		if status, _ := admin.call("GET", path, "", nil); status != want {
			t.Errorf("GET %s: %d, want %d", path, status, want)
		}
	}
}

// TestReadsDuringWrites reads while commands are committed (a smoke test
// of the lock discipline and of the owner index under the race detector).
func TestReadsDuringWrites(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{Dev: true})
	ta.seed()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 20; i++ {
			ta.do("POST", "/v1/commands", "bob", `{"op":"openCover","args":{"pool":0,"amount":"1000","premiums":"100000"}}`)
		}
	}()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case <-done:
			var acct AccountInfo
			ta.must(200, "GET", "/v1/accounts/bob", "bob", "", &acct)
			if len(acct.Covers) != 21 {
				t.Fatalf("bob has %d covers, want 21", len(acct.Covers))
			}
			return
		case <-deadline:
			t.Fatal("writes did not finish")
		default:
			ta.must(200, "GET", "/v1/pools/0", "alice", "", nil)
			ta.must(200, "GET", "/v1/accounts/bob", "bob", "", nil)
		}
	}
}
