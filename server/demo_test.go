package server

import (
	"context"
	"encoding/json"
	"errors"
	"github.com/vpool/vpool/scenario"
	"github.com/vpool/vpool/swap"
	"testing"
	"time"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/ray"
)

func TestDemoSeedsAnEmptyNode(t *testing.T) {
	n := openNode(t, t.TempDir(), 0)
	defer n.Close()
	d := NewDemo(1)
	seeded, err := d.Prepare(context.Background(), n)
	if err != nil || !seeded {
		t.Fatalf("prepare: seeded=%v %v", seeded, err)
	}
	var counts cover.Counts
	var balance cover.Int
	n.Read(func(m *cover.Market, _ uint64, seq uint64) {
		counts, balance = m.Counts(), m.Balance(DemoUserAccount, DemoAsset)
		if want := len(demoSeed()) + len(demoSwapSeed()); seq != uint64(want) {
			t.Errorf("seq %d after seeding, want %d", seq, want)
		}
	})
	if counts.Pools != 4 || counts.Positions != 4 || counts.Covers != 5 || counts.Strategies != 1 {
		t.Fatalf("seeded market: %+v", counts)
	}
	if balance.Uint64() != DemoUserFunds {
		t.Fatalf("the newcomer holds %s, want %d", balance.Dec(), DemoUserFunds)
	}
	if len(d.positions) != 4 || len(d.covers) != 5 {
		t.Fatalf("the demo tracks %d positions and %d covers", len(d.positions), len(d.covers))
	}
	// A leveraged position backs three pools with the same capital.
	n.Read(func(m *cover.Market, now uint64, _ uint64) {
		v, err := m.PositionAt(2, now)
		if err != nil || len(v.Pools) != 3 {
			t.Errorf("carol's position: %+v %v", v, err)
		}
	})
}

// runSteps seeds a node and runs steps demo steps on it, returning the
// number of commands that succeeded and failed and the node's state hash.
func runSteps(t *testing.T, seed uint64, steps int) (ok, failed int, hash string, d *Demo) {
	t.Helper()
	n := openNode(t, t.TempDir(), 0)
	defer n.Close()
	d = NewDemo(seed)
	ctx := context.Background()
	if _, err := d.Prepare(ctx, n); err != nil {
		t.Fatal(err)
	}
	for range steps {
		outs, err := d.Step(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		for _, out := range outs {
			if out.OK {
				ok++
			} else {
				failed++
				t.Logf("seq %d %s: %s %s", out.Seq, out.Op, out.Error, out.Message)
			}
		}
	}
	hash, _ = stateHash(n)
	return ok, failed, hash, d
}

func TestDemoStepsMostlySucceedAndAreDeterministic(t *testing.T) {
	ok, failed, hash, d := runSteps(t, 7, 300)
	if ok < 9*(ok+failed)/10 {
		t.Fatalf("%d commands ok, %d failed: the demo should mostly succeed", ok, failed)
	}
	if len(d.claims) > 2 {
		t.Fatalf("%d claims left open: the demo should resolve them", len(d.claims))
	}
	ok2, failed2, hash2, _ := runSteps(t, 7, 300)
	if ok2 != ok || failed2 != failed || hash2 != hash {
		t.Fatalf("same seed, same clock: %d/%d %s then %d/%d %s", ok, failed, hash, ok2, failed2, hash2)
	}
}

// Over 600 steps every kind of activity succeeds: in the cover market,
// and in the swap market the four kinds of swap (a split among them in
// several legs), LPs adding and removing, reserves exchanged, and a
// reserve liquidated by the admin, which it may only do once the pair's
// ratio has reached its warning.
func TestDemoCoversEveryAction(t *testing.T) {
	n := openNode(t, t.TempDir(), 0)
	defer n.Close()
	d := NewDemo(3)
	ctx := context.Background()
	if _, err := d.Prepare(ctx, n); err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for range 600 {
		outs, err := d.Step(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		for _, out := range outs {
			if !out.OK {
				continue
			}
			seen[out.Op]++
			var split struct{ Legs []json.RawMessage }
			if out.Op == "swap" && json.Unmarshal(out.Result, &split) == nil && len(split.Legs) > 1 {
				seen["split in legs"]++
			}
		}
	}
	for _, op := range []string{"openCover", "updateCover", "openPosition", "addLiquidity", "takeInterests",
		"setStrategyIndex", "openClaim", "resolveClaim", "mint",
		"swapNative", "swapVirtual", "swap", "split in legs", "pairDeposit", "pairWithdraw", "exchangeReserves", "liquidateReserve"} {
		if seen[op] == 0 {
			t.Errorf("no successful %s in 600 steps: %v", op, seen)
		}
	}
}

func TestDemoPicksUpItsMarketAfterARestart(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	n := openNode(t, dir, 0)
	d := NewDemo(5)
	if _, err := d.Prepare(ctx, n); err != nil {
		t.Fatal(err)
	}
	for range 100 {
		if _, err := d.Step(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	n.Close()
	n = openNode(t, dir, 0)
	defer n.Close()
	again := NewDemo(5)
	seeded, err := again.Prepare(ctx, n)
	if err != nil || seeded {
		t.Fatalf("prepare after restart: seeded=%v %v", seeded, err)
	}
	if len(again.positions) != len(d.positions) || len(again.claims) != len(d.claims) || again.index != d.index || again.indexAt != d.indexAt {
		t.Fatalf("rebuilt %d positions, %d claims, index %s; the demo had %d, %d, %s",
			len(again.positions), len(again.claims), again.index.Dec(), len(d.positions), len(d.claims), d.index.Dec())
	}
	// Covers the running demo saw expire are forgotten lazily, so the
	// rebuilt list may hold a few more; it must hold every live one.
	if len(again.covers) < len(d.covers) {
		t.Fatalf("rebuilt %d covers, the demo had %d", len(again.covers), len(d.covers))
	}
}

func TestDemoRefusesAMarketItDidNotSeed(t *testing.T) {
	n := openNode(t, t.TempDir(), 0)
	defer n.Close()
	ctx := context.Background()
	if _, err := n.Submit(ctx, setupMarket); err != nil {
		t.Fatal(err)
	}
	if _, err := NewDemo(1).Prepare(ctx, n); !errors.Is(err, ErrNotDemoMarket) {
		t.Fatalf("prepare on another market: %v, want ErrNotDemoMarket", err)
	}
}

func TestDemoStopsWhenCancelled(t *testing.T) {
	n := openNode(t, t.TempDir(), 0)
	defer n.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		d := NewDemo(1)
		if _, err := d.Prepare(ctx, n); err != nil {
			done <- err
			return
		}
		done <- d.Run(ctx, n, nil, time.Millisecond)
	}()
	// Let it run until it has done a few steps of its own.
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, seq := stateHash(n)
		if seq > uint64(len(demoSeed())+len(demoSwapSeed())+10) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the demo made no progress")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run returned %v after cancel, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the demo did not stop when its context was cancelled")
	}
	_, before := stateHash(n)
	time.Sleep(50 * time.Millisecond)
	if _, after := stateHash(n); after != before {
		t.Fatalf("commands kept coming after the demo stopped: seq %d then %d", before, after)
	}
}

func TestDemoLeavesOtherAccountsAloneAndFollowsTheAdminsIndex(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	n := openNode(t, dir, 0)
	d := NewDemo(9)
	if _, err := d.Prepare(ctx, n); err != nil {
		t.Fatal(err)
	}
	// Through the API: the newcomer opens a cover and a position, and an
	// admin moves the strategy index far up.
	outs, err := n.Submit(ctx, []Command{
		cmd("openCover", map[string]any{"owner": DemoUserAccount, "pool": 0, "amount": "1000000000", "premiums": "20000000"}),
		cmd("openPosition", map[string]any{"owner": DemoUserAccount, "amount": "1000000000", "pools": []int{0}}),
		cmd("setStrategyIndex", map[string]any{"strategy": 0, "index": "2000000000000000000000000000"}),
	})
	if err != nil || !outs[0].OK || !outs[1].OK || !outs[2].OK {
		t.Fatalf("%+v %v", outs, err)
	}
	raised := 0
	for range 400 {
		outs, err := d.Step(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		for _, out := range outs {
			if out.Op == "setStrategyIndex" && out.OK {
				raised++
			}
		}
	}
	two, _ := ray.ParseAmount("2000000000000000000000000000")
	if raised == 0 || d.index.Cmp(&two) <= 0 {
		t.Fatalf("the demo raised the index %d times, to %s: it should follow the admin's 2.0", raised, d.index.Dec())
	}
	n.Close()
	n = openNode(t, dir, 0)
	defer n.Close()
	again := NewDemo(9)
	if _, err := again.Prepare(ctx, n); err != nil {
		t.Fatal(err)
	}
	for _, demo := range []*Demo{d, again} {
		for _, c := range demo.covers {
			if c.owner == DemoUserAccount {
				t.Fatalf("the demo tracks the newcomer's cover %d", c.id)
			}
		}
		for _, p := range demo.positions {
			if p.owner == DemoUserAccount {
				t.Fatalf("the demo tracks the newcomer's position %d", p.id)
			}
		}
	}
}

// The seeded swap market: six tokens, eight pairs, virtual pools between
// many pairs of tokens, and the newcomer holding some of each token.
func TestDemoSeedsASwapNetwork(t *testing.T) {
	n := openNode(t, t.TempDir(), 0)
	defer n.Close()
	if _, err := NewDemo(1).Prepare(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	n.DryRun(func(e *scenario.Engines, now uint64, _ uint64) {
		if e.Swap.Pairs() != 8 {
			t.Fatalf("%d pairs", e.Swap.Pairs())
		}
		for _, tok := range demoTokens {
			if b := e.Cover.Balance(DemoUserAccount, tok.symbol); b.IsZero() {
				t.Errorf("the newcomer holds no %s", tok.symbol)
			}
		}
		virtual, split := 0, 0
		for _, in := range demoTokens {
			for _, out := range demoTokens {
				if in == out {
					continue
				}
				routes, _, err := e.Swap.QuoteRoutes(now, in.symbol, out.symbol, swap.Trade{Amount: units(in.symbol, 5_000)})
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range routes {
					if r.Route.Kind == swap.VirtualKind && r.Err == nil {
						virtual++
					}
				}
				if q, err := e.Swap.QuoteSplit(now, in.symbol, out.symbol, units(in.symbol, 50_000)); err == nil && len(q.Legs) > 1 {
					split++
				}
			}
		}
		// 30 ordered pairs of tokens: many have a virtual pool that takes
		// $5,000, and $50,000 is large enough to split between many.
		if virtual < 20 || split < 10 {
			t.Errorf("%d virtual pools can trade $5,000, %d trades of $50,000 split", virtual, split)
		}
	})
}

// A data directory of a demo from before the swap market gets the swap
// market seeded when the demo starts on it again.
func TestDemoSeedsTheSwapMarketOfAnOlderDemo(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	n := openNode(t, dir, 0)
	if _, err := n.Submit(ctx, append(demoSeed(), demoCmd("check", nil))); err != nil {
		t.Fatal(err)
	}
	d := NewDemo(1)
	if seeded, err := d.Prepare(ctx, n); err != nil || seeded {
		t.Fatalf("prepare: seeded=%v %v", seeded, err)
	}
	n.ReadEngines(func(e *scenario.Engines, _ uint64, _ uint64) {
		if e.Swap.Pairs() != len(demoPairs) {
			t.Errorf("%d pairs after preparing an older demo", e.Swap.Pairs())
		}
	})
	n.Close()
	n = openNode(t, dir, 0)
	defer n.Close()
	if _, err := NewDemo(1).Prepare(ctx, n); err != nil {
		t.Fatalf("the upgraded demo does not prepare again: %v", err)
	}
}
