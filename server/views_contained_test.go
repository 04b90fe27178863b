package server

import (
	"os"
	"testing"

	"github.com/vpool/vpool/cover"
)

// setStrategyIndex to 2^256−1 used to be accepted, and then every key got
// 422 overflow from GET /v1/market and from the account of anyone with a
// position. Now the index stops at 2^128−1 (issue 12, item 5).
func TestAnExtremeStrategyIndexIsRefused(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{Dev: true})
	ta.seed()
	const twoTo256Minus1 = "115792089237316195423570985008687907853269984665640564039457584007913129639935"
	const twoTo128 = "340282366920938463463374607431768211456"
	for _, index := range []string{twoTo256Minus1, twoTo128} {
		var out Outcome
		ta.must(200, "POST", "/v1/commands", "admin", `{"op":"setStrategyIndex","args":{"strategy":0,"index":"`+index+`"}}`, &out)
		if out.OK || out.Error != "invalid_argument" {
			t.Errorf("index %s: %+v, want invalid_argument", index, out)
		}
	}
	ta.submit("admin", `{"op":"setStrategyIndex","args":{"strategy":0,"index":"340282366920938463463374607431768211455"}}`)
	for _, who := range []string{"admin", "arbiter", "alice", "bob"} {
		ta.must(200, "GET", "/v1/market", who, "", nil)
	}
	ta.must(200, "GET", "/v1/accounts/alice", "alice", "", nil)
	ta.must(200, "GET", "/v1/positions/0", "alice", "", nil)
}

// A market that took such an index before the bound existed still loads,
// and the figure that cannot be computed (the strategy's rate, and the
// APY built on it) shows "0" while every other figure is served.
func TestAViewErrorStaysInItsFigure(t *testing.T) {
	// Strategy 0's index is 2^256−1; strategy 1 moved from 1.0 to 1.0001
	// in a day (3.65% a year). Alice has position 0 on pool 0 (strategy
	// 0) and position 1 on pool 1 (strategy 1); bob covers both pools.
	data, err := os.ReadFile("testdata/attacked-strategy-index.market")
	if err != nil {
		t.Fatal(err)
	}
	m, err := cover.Restore(data)
	if err != nil {
		t.Fatal(err)
	}
	const now = 1_700_086_400 + 3600
	info, err := marketInfo(m, now, 10)
	if err != nil {
		t.Fatalf("GET /v1/market: %v", err)
	}
	if info.Strategies[0].Rate != "0" || info.Strategies[1].Rate != "3650000000000000000000000000" {
		t.Fatalf("strategy rates %s and %s, want 0 (not computable) and 3.65%%", info.Strategies[0].Rate, info.Strategies[1].Rate)
	}
	for _, p := range info.Pools {
		if p.RewardRate == "0" || p.NetLPRate == "0" {
			t.Fatalf("pool %d lost its rates: %+v", p.ID, p)
		}
	}
	pos0, err := positionInfo(m, 0, now)
	if err != nil || pos0.APY != "0" || pos0.Supplied != "10000000000" {
		t.Fatalf("position 0: %+v %v", pos0, err)
	}
	pos1, err := positionInfo(m, 1, now)
	if err != nil {
		t.Fatal(err)
	}
	var want, net, strat cover.Int
	net.SetFromDecimal(info.Pools[1].NetLPRate)
	strat.SetFromDecimal(info.Strategies[1].Rate)
	want.Add(&net, &strat)
	if pos1.APY != want.Dec() {
		t.Fatalf("position 1's APY %s, want pool 1's net rate + strategy 1's rate = %s", pos1.APY, want.Dec())
	}
}
