package swap

import "testing"

// The virtual pools C → A of the worked split example, priced per 1,000
// C: locked until B/C has rested 40 blocks, then MIN-formula balances
// v0 = v1 = 200,000·200,000/200,000 = 200,000 and 1000·997·200000 /
// (1000·200000) = 997 A, as the native pair A/C (100,000 / 100,000, fee
// 997) pays. After 6,000 C through the native pair (getAmountOut =
// 6000·997·100000 / (100000·1000 + 6000·997) = 5,644 A) it pays
// 1000·997·94,356 / (1000·106,000) = 887 A, and the virtual pool 12.3%
// more; after a virtual trade in the block, the pool walks on its cache.
func TestVirtualPoolsView(t *testing.T) {
	w := splitExample(t)
	unit := u64(1000)
	v, err := w.m.VirtualPools(t0+12*39, "C", "A", unit)
	if err != nil || len(v.Pools) != 1 || v.Pools[0].Error != CodeVPoolLocked || v.Native == nil || v.Native.Pair != 0 {
		t.Fatalf("locked: %+v %v", v, err)
	}
	at := uint64(t0 + 12*41)
	v, _ = w.m.VirtualPools(at, "C", "A", unit)
	p := v.Pools[0]
	eq(t, "route", p.Route.String(), `{"jk":1,"ik":2}`)
	eq(t, "via", p.Via, "B")
	eq(t, "balances", p.BalanceIn+"/"+p.BalanceOut, "200000/200000")
	eq(t, "virtual out per 1000 C", p.OutPerUnit, "997")
	eq(t, "native out per 1000 C", v.Native.OutPerUnit, "997")
	if p.VsNativePPM == nil || *p.VsNativePPM != 0 || p.Cached {
		t.Fatalf("virtual vs native: %+v", p)
	}
	w.mint("trader", "C", "6000")
	w.ok(at, SwapNative{From: "trader", Path: []string{"C", "A"}, Trade: Trade{Amount: n("6000")}})
	v, _ = w.m.VirtualPools(at, "C", "A", unit)
	eq(t, "native out per 1000 C after the trade", v.Native.OutPerUnit, "887")
	// 997 / (997·94356/106000) − 1 = 106000/94356 − 1 = 0.123404… → 123404 ppm
	if got := *v.Pools[0].VsNativePPM; got != 123404 {
		t.Errorf("virtual vs native: %d ppm, want 123404", got)
	}
	w.ok(at, SwapVirtual{From: "trader", JK: 1, IK: 2, Trade: Trade{Amount: n("1000")}})
	v, _ = w.m.VirtualPools(at, "C", "A", unit)
	// The cache: v0 = 201,000, v1 = 200,000 − 992 (1000·997·200000 /
	// (200000·1000 + 997000) = 992) = 199,008, clipped to B/C's 200,000 C
	// (docs/swap.md §2.3): v1 = 199008·200000/201000 = 198,017.
	eq(t, "cached balances", v.Pools[0].BalanceIn+"/"+v.Pools[0].BalanceOut, "200000/198017")
	eq(t, "cached", v.Pools[0].Cached, true)
}
