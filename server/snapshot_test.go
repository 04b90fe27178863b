package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/vpool/vpool/ray"
	"github.com/vpool/vpool/scenario"
	"github.com/vpool/vpool/store"
	"github.com/vpool/vpool/swap"
)

// workedCommands are workedSteps as node commands with their times.
func workedCommands(t *testing.T) ([]Command, []uint64) {
	t.Helper()
	var cmds []Command
	var ats []uint64
	for _, s := range workedSteps {
		var c commandBody
		if err := json.Unmarshal([]byte(s.body), &c); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, Command{Op: c.Op, Args: c.Args})
		ats = append(ats, uint64(workedT0+s.after))
	}
	return cmds, ats
}

// Engines restored from a format 2 snapshot taken after any step of the
// swap traffic (the virtual pool cache live in some) hash the same and
// give the same outcome for the next step as the engines they were
// taken of.
func TestSnapshotOfSwapTrafficRestoresTheSameEngines(t *testing.T) {
	cmds, ats := workedCommands(t)
	e := newEngines()
	var prev uint64
	live := 0
	for i, c := range cmds {
		step := scenario.Step{At: ats[i], Op: c.Op, Args: c.Args}
		if i > 0 {
			if v := e.ViewAt(prev); v.SwapState != nil && len(v.VPoolCache) > 0 {
				live++
			}
			blob, hashed := encodeSnapshot(e)
			restored, err := restoreSnapshot(store.Snapshot{State: blob, Hash: digest(hashed), At: prev})
			if err != nil {
				t.Fatalf("after step %d: %v", i-1, err)
			}
			if restored.StateHash() != e.StateHash() || digest(hashed) != e.StateHash() {
				t.Fatalf("after step %d: the restored engines hash differently", i-1)
			}
			got, gotErr := restored.Apply(step, prev)
			want, wantErr := e.Apply(step, prev)
			if !reflect.DeepEqual(got, want) || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
				t.Fatalf("step %d (%s): restored engines give %v %v, the originals %v %v", i, c.Op, got, gotErr, want, wantErr)
			}
		} else {
			e.Apply(step, prev)
		}
		prev = ats[i]
	}
	if live == 0 {
		t.Fatal("no snapshot held a live virtual pool cache entry")
	}
}

// A node with swap traffic, closed and reopened from a snapshot plus the
// log tail, reaches the same state hash, and vpool verify agrees.
func TestSwapTrafficSurvivesARestart(t *testing.T) {
	dir := t.TempDir()
	clock := &manualClock{t: workedT0}
	open := func() *Node {
		n, err := Open(context.Background(), Options{Store: dir, Clock: clock.now, SnapshotEvery: 9})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	n := open()
	cmds, ats := workedCommands(t)
	var outs []Outcome
	for i, c := range cmds {
		clock.set(int64(ats[i]))
		o, err := n.Submit(context.Background(), []Command{c})
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, o...)
	}
	checkWorked(t, outs)
	hash, seq := stateHash(n)
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}

	n = open()
	snap, err := n.Store().LatestSnapshot(context.Background())
	if err != nil || snap.Seq == 0 || snap.Seq == seq || !bytes.HasPrefix(snap.State, snapshotMagic) {
		t.Fatalf("latest snapshot at seq %d of %d (%v): recovery must start from a format 2 snapshot and replay a tail", snap.Seq, seq, err)
	}
	if h, s := stateHash(n); h != hash || s != seq {
		t.Fatalf("reopened at seq %d with hash %s; closed at %d with %s", s, h, seq, hash)
	}
	// Trading goes on from the recovered state.
	clock.set(workedT0 + 1300)
	out, err := n.Submit(context.Background(), []Command{{Op: "swap", Args: json.RawMessage(`{"from":"bob","tokenIn":"B","tokenOut":"A","amountIn":"50"}`)}})
	if err != nil || !out[0].OK {
		t.Fatalf("swap after the restart: %v %+v", err, out)
	}
	hash, _ = stateHash(n)
	n.Close()
	rep, err := Verify(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if rep.FullReplayHash != hash || rep.RecoveredHash != hash || rep.SnapshotSeq == 0 {
		t.Fatalf("verify %+v; the node reached %s", rep, hash)
	}
}

// A snapshot written before the swap market existed (format 1: the cover
// encoding alone) still loads, and swap traffic goes on after it.
func TestFormat1SnapshotStillLoads(t *testing.T) {
	dir := t.TempDir()
	n := openNode(t, dir, 1_000_000)
	ctx := context.Background()
	if _, err := n.Submit(ctx, setupMarket); err != nil {
		t.Fatal(err)
	}
	hash, seq := stateHash(n)
	var old store.Snapshot
	n.ReadEngines(func(e *scenario.Engines, _, _ uint64) {
		old = store.Snapshot{Seq: n.seq, At: n.lastAt, Chain: n.chain, State: e.Cover.AppendCanonical(nil), Hash: scenario.StateHash(e.Cover)}
	})
	if err := n.Store().SaveSnapshot(ctx, old); err != nil {
		t.Fatal(err)
	}
	n.Close()

	n = openNode(t, dir, 1_000_000)
	if h, s := stateHash(n); h != hash || s != seq {
		t.Fatalf("reopened from a format 1 snapshot at seq %d with hash %s; closed at %d with %s", s, h, seq, hash)
	}
	if _, err := n.Submit(ctx, []Command{
		cmd("addAsset", map[string]any{"symbol": "WETH", "decimals": 18}),
		cmd("mint", map[string]any{"to": "bob", "asset": "USDC", "amount": "5000"}),
		cmd("mint", map[string]any{"to": "bob", "asset": "WETH", "amount": "5000"}),
		cmd("pairDeposit", map[string]any{"from": "bob", "tokenA": "USDC", "tokenB": "WETH", "amountA": "5000", "amountB": "5000"}),
	}); err != nil {
		t.Fatal(err)
	}
	hash, _ = stateHash(n)
	n.Close()
	rep, err := Verify(ctx, dir)
	if err != nil || rep.SnapshotSeq != old.Seq || rep.RecoveredHash != hash {
		t.Fatalf("verify %+v, %v; want snapshot %d and hash %s", rep, err, old.Seq, hash)
	}
}

// Quotes dry-run the swap market (they write and undo) while commands
// are applied and snapshots encoded: run with -race, nothing races, and
// every snapshot restores to its recorded hash.
func TestQuotesDuringSwapTrafficAndSnapshots(t *testing.T) {
	dir := t.TempDir()
	clock := &manualClock{t: workedT0}
	n, err := Open(context.Background(), Options{Store: dir, Clock: clock.now, SnapshotEvery: 1})
	if err != nil {
		t.Fatal(err)
	}
	cmds, ats := workedCommands(t)
	stop := make(chan struct{})
	quoted := make(chan int)
	go func() {
		count := 0
		defer func() { quoted <- count }()
		for {
			select {
			case <-stop:
				return
			default:
			}
			n.DryRun(func(e *scenario.Engines, now, _ uint64) {
				if e.SwapInUse() && e.Swap.Pairs() > 0 {
					e.Swap.QuoteRoutes(now, "C", "A", swap.Trade{Amount: ray.U64(300)})
					count++
				}
			})
		}
	}()
	for i, c := range cmds {
		clock.set(int64(ats[i]))
		if _, err := n.Submit(context.Background(), []Command{c}); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	if <-quoted == 0 {
		t.Fatal("no quote ran alongside the traffic")
	}
	hash, _ := stateHash(n)
	n.Close()
	if rep, err := Verify(context.Background(), dir); err != nil || rep.RecoveredHash != hash || rep.SnapshotSeq == 0 {
		t.Fatalf("verify %+v, %v; the node reached %s", rep, err, hash)
	}
}
