package workload

import (
	"runtime"
	"testing"
)

// TestMillionCoversFitInOneGiB is the memory figure: a market with
// 1,000,000 live covers and 100,000 positions holds under 1 GiB of heap.
func TestMillionCoversFitInOneGiB(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a million covers; run without -short")
	}
	l, err := New(Size{Pools: 50, Positions: 100_000, Covers: 1_000_000}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if c := l.M.Counts(); c.Covers != 1_000_000 || c.Positions != 100_000 {
		t.Fatalf("built %+v", c)
	}
	// Covers last at least 30 days and setup spans under 13: all are live.
	if v, err := l.M.CoverAt(0, l.Now); err != nil || !v.Active {
		t.Fatalf("the oldest cover is not live: %+v %v", v, err)
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	const limit = 1 << 30
	t.Logf("heap in use: %d MiB", ms.HeapInuse>>20)
	if ms.HeapInuse >= limit {
		t.Fatalf("heap in use %d MiB, want under 1024 MiB", ms.HeapInuse>>20)
	}
	runtime.KeepAlive(l)
}
