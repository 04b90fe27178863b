package server

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/scenario"
)

// fixedClock starts at t and moves one second per reading.
func fixedClock(t int64) func() time.Time {
	var mu sync.Mutex
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t++
		return time.Unix(t, 0)
	}
}

func cmd(op string, args any) Command {
	raw, _ := json.Marshal(args)
	return Command{Op: op, Args: raw}
}

// setupMarket is an asset, a strategy, a pool and alice's liquidity.
var setupMarket = []Command{
	cmd("addAsset", map[string]any{"symbol": "USDC", "decimals": 6}),
	cmd("addStrategy", map[string]any{"asset": "USDC", "compounds": false, "feeRate": "0", "payoutDeductible": "0"}),
	cmd("createPool", map[string]any{"paymentAsset": "USDC", "strategy": 0, "feeRate": "10", "uOptimal": "80", "r0": "2", "rSlope1": "6", "rSlope2": "15", "compatiblePools": []int{}}),
	cmd("mint", map[string]any{"to": "alice", "asset": "USDC", "amount": "100000000000"}),
	cmd("openPosition", map[string]any{"owner": "alice", "amount": "100000000000", "pools": []int{0}}),
}

func openNode(t *testing.T, dir string, snapshotEvery int) *Node {
	t.Helper()
	n, err := Open(context.Background(), Options{Store: dir, Clock: fixedClock(1_700_000_000), SnapshotEvery: snapshotEvery})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func stateHash(n *Node) (hash string, seq uint64) {
	n.ReadEngines(func(e *scenario.Engines, _ uint64, s uint64) { hash, seq = e.StateHash(), s })
	return hash, seq
}

func TestNodeSurvivesRestartWithAndWithoutSnapshots(t *testing.T) {
	for _, every := range []int{1_000_000, 7} {
		t.Run(fmt.Sprintf("snapshot every %d", every), func(t *testing.T) {
			dir := t.TempDir()
			n := openNode(t, dir, every)
			ctx := context.Background()
			outs, err := n.Submit(ctx, setupMarket)
			if err != nil {
				t.Fatal(err)
			}
			for i, o := range outs {
				if !o.OK || o.Seq != uint64(i+1) {
					t.Fatalf("setup command %d: %+v", i, o)
				}
			}
			var wg sync.WaitGroup
			for b := 0; b < 8; b++ {
				wg.Add(1)
				go func(b int) {
					defer wg.Done()
					for i := 0; i < 10; i++ {
						buyer := fmt.Sprintf("buyer%d", b)
						batch := []Command{
							cmd("mint", map[string]any{"to": buyer, "asset": "USDC", "amount": "1000000"}),
							cmd("openCover", map[string]any{"owner": buyer, "pool": 0, "amount": "100000000", "premiums": "1000000"}),
							cmd("openCover", map[string]any{"owner": buyer, "pool": 0, "amount": "0", "premiums": "1"}),
						}
						outs, err := n.Submit(ctx, batch)
						if err != nil || len(outs) != 3 || !outs[0].OK || !outs[1].OK || outs[2].Error != cover.CodeZeroAmount {
							t.Errorf("batch: %+v %v", outs, err)
						}
					}
				}(b)
			}
			wg.Wait()
			hash, seq := stateHash(n)
			if seq != uint64(len(setupMarket)+8*10*3) {
				t.Fatalf("seq %d after every command", seq)
			}
			if err := n.Close(); err != nil {
				t.Fatal(err)
			}
			rep, err := Verify(ctx, dir)
			if err != nil || rep.Commands != int(seq) || rep.FullReplayHash != hash {
				t.Fatalf("verify: %+v, %v; want %d commands reaching %s", rep, err, seq, hash)
			}
			again := openNode(t, dir, every)
			defer again.Close()
			if h, s := stateHash(again); h != hash || s != seq {
				t.Fatalf("after restart: seq %d hash %s, want %d %s", s, h, seq, hash)
			}
			outs, err = again.Submit(ctx, []Command{cmd("check", nil)})
			if err != nil || outs[0].Seq != seq+1 {
				t.Fatalf("the next command after restart: %+v %v", outs, err)
			}
		})
	}
}

func TestNodePublishesDurableOutcomesInOrder(t *testing.T) {
	n := openNode(t, t.TempDir(), 0)
	defer n.Close()
	feed := n.Events()
	defer feed.Close()
	if _, err := n.Submit(context.Background(), setupMarket); err != nil {
		t.Fatal(err)
	}
	for i, o := range awaitOutcomes(t, feed, 0, len(setupMarket), 5*time.Second) {
		if o.Seq != uint64(i+1) || o.Op != setupMarket[i].Op || !o.OK {
			t.Fatalf("event %d: %+v", i, o)
		}
	}
}

func TestNodeStampsTimeThatNeverGoesBack(t *testing.T) {
	dir := t.TempDir()
	clock := time.Unix(1_800_000_000, 0)
	n, err := Open(context.Background(), Options{Store: dir, Clock: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	outs, _ := n.Submit(context.Background(), []Command{cmd("check", nil)})
	n.Close()
	clock = time.Unix(1_700_000_000, 0) // the machine's clock went back
	n, err = Open(context.Background(), Options{Store: dir, Clock: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	again, _ := n.Submit(context.Background(), []Command{cmd("check", nil)})
	if again[0].At < outs[0].At {
		t.Fatalf("stamped %d after %d", again[0].At, outs[0].At)
	}
}

// A command with no args at all is logged as {} and the node goes on.
func TestNodeAcceptsCommandsWithoutArgs(t *testing.T) {
	dir := t.TempDir()
	n := openNode(t, dir, 0)
	outs, err := n.Submit(context.Background(), []Command{{Op: "check"}, {Op: "check", Args: json.RawMessage{}}})
	if err != nil || !outs[0].OK || !outs[1].OK {
		t.Fatalf("%+v %v", outs, err)
	}
	if outs, err := n.Submit(context.Background(), []Command{{Op: "check"}}); err != nil || outs[0].Seq != 3 {
		t.Fatalf("the node stopped: %+v %v", outs, err)
	}
	n.Close()
	if _, err := Verify(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
}

// Commands before a restart count towards the next snapshot.
func TestNodeSnapshotsAcrossRestarts(t *testing.T) {
	dir := t.TempDir()
	for round := 0; round < 3; round++ {
		n := openNode(t, dir, 10)
		for i := 0; i < 4; i++ {
			if _, err := n.Submit(context.Background(), []Command{cmd("check", nil)}); err != nil {
				t.Fatal(err)
			}
		}
		n.Close()
	}
	n := openNode(t, dir, 10)
	defer n.Close()
	snap, err := n.Store().LatestSnapshot(context.Background())
	if err != nil || snap.Seq != 10 {
		t.Fatalf("12 commands over three runs of 4, a snapshot every 10: got %+v, %v", snap.Seq, err)
	}
}
