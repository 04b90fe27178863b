package server

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/scenario"
)

// A strategy's name survives a snapshot and a restart, with and without
// the swap market in use, and vpool verify's full replay reaches the same
// state.
func TestStrategyNameSurvivesSnapshotsAndReplay(t *testing.T) {
	for _, swapToo := range []bool{false, true} {
		dir := t.TempDir()
		ctx := context.Background()
		n := openNode(t, dir, 3)
		cmds := []Command{
			{Op: "addAsset", Args: json.RawMessage(`{"symbol":"USDC","decimals":6}`)},
			{Op: "addStrategy", Args: json.RawMessage(`{"name":"USDC lending","asset":"USDC","compounds":false,"feeRate":"10","payoutDeductible":"0"}`)},
			{Op: "addStrategy", Args: json.RawMessage(`{"asset":"USDC","compounds":true,"feeRate":"0","payoutDeductible":"0"}`)},
			{Op: "check"},
		}
		if swapToo {
			cmds = append(cmds, Command{Op: "addAsset", Args: json.RawMessage(`{"symbol":"DAI","decimals":18}`)},
				Command{Op: "createPair", Args: json.RawMessage(`{"tokenA":"USDC","tokenB":"DAI"}`)})
		}
		if _, err := n.Submit(ctx, cmds); err != nil {
			t.Fatal(err)
		}
		hash, _ := stateHash(n)
		if err := n.Close(); err != nil {
			t.Fatal(err)
		}
		n = openNode(t, dir, 3)
		if snap, err := n.Store().LatestSnapshot(ctx); err != nil || snap.Seq < 3 {
			t.Fatalf("swap %v: no snapshot to recover from (%+v, %v)", swapToo, snap.Seq, err)
		}
		var names [2]string
		n.Read(func(m *cover.Market, _ uint64, _ uint64) {
			for i := range names {
				v, _ := m.StrategyAt(i)
				names[i] = v.Name
			}
		})
		if names != [2]string{"USDC lending", ""} {
			t.Fatalf("swap %v: names after the restart %q", swapToo, names)
		}
		var inUse bool
		n.ReadEngines(func(e *scenario.Engines, _ uint64, _ uint64) { inUse = e.SwapInUse() })
		if inUse != swapToo {
			t.Fatalf("swap %v: the swap market in use: %v", swapToo, inUse)
		}
		if h, _ := stateHash(n); h != hash {
			t.Fatalf("swap %v: the restarted node hashes %s, it closed at %s", swapToo, h, hash)
		}
		n.Close()
		rep, err := Verify(ctx, dir)
		if err != nil || rep.FullReplayHash != hash || rep.SnapshotSeq == 0 {
			t.Fatalf("swap %v: verify %+v, %v; the node reached %s", swapToo, rep, err, hash)
		}
	}
}
