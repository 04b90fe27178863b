package swap

import (
	"testing"
)

// Benchmarks of the hot paths (issue 6 goals on one core: ≥ 1,000,000
// native quotes/s, ≥ 300,000 virtual swaps/s):
//
//	go test ./swap/ -run '^$' -bench . -benchmem -count 5 -cpu 1

// benchMarket is A/B and B/C with deep balances, a reference pair that
// never rests, room for reserves, and a rich trader.
func benchMarket(b *testing.B) *world {
	w := newWorld(b, "A", "B", "C")
	w.ok(t0, SetDefaultAllowList{Tokens: []string{"A", "B", "C"}})
	big := "1000000000000000000000000000000" // 10^30
	for _, tok := range []string{"A", "B", "C"} {
		w.mint("alice", tok, big+"0")
		w.mint("bob", tok, big+"0")
	}
	w.ok(t0, PairDeposit{From: "alice", TokenA: "A", TokenB: "B", AmountA: n(big), AmountB: n("4" + big[1:])})
	w.ok(t0, PairDeposit{From: "alice", TokenA: "B", TokenB: "C", AmountA: n("2" + big[1:]), AmountB: n("5" + big[2:])})
	w.ok(t0, SetBlocksDelay{Pair: 1, Blocks: 0})
	w.ok(t0, SetMaxReserveRatio{Pair: 0, Value: n("100000")})
	return w
}

func BenchmarkNativeQuote(b *testing.B) {
	w := benchMarket(b)
	path := []string{"B", "A"}
	t := Trade{Amount: n("1000000000")}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := w.m.QuoteNative(path, t); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "quotes/s")
}

func BenchmarkNativeSwap(b *testing.B) {
	w := benchMarket(b)
	at := uint64(t0 + 12)
	cmds := [2]Command{
		SwapNative{From: "bob", Path: []string{"B", "A"}, Trade: Trade{Amount: n("4000000000")}},
		SwapNative{From: "bob", Path: []string{"A", "B"}, Trade: Trade{Amount: n("1000000000")}},
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := w.m.Apply(at, cmds[i&1]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "swaps/s")
}

// BenchmarkVirtualSwap applies exact-in virtual swaps C → A through
// (A/B, B/C), all in one block: each walks the cached curve of the last.
func BenchmarkVirtualSwap(b *testing.B) {
	w := benchMarket(b)
	at := uint64(t0 + 12*41)
	cmd := SwapVirtual{From: "bob", JK: 0, IK: 1, Trade: Trade{Amount: n("1000000")}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := w.m.Apply(at, cmd); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "swaps/s")
}

// BenchmarkBestRouteQuote prices C → A over every candidate (one native,
// one virtual) by dry runs, as quote without a route does.
func BenchmarkBestRouteQuote(b *testing.B) {
	w := benchMarket(b)
	w.ok(t0, PairDeposit{From: "alice", TokenA: "A", TokenB: "C", AmountA: n("1000000000000"), AmountB: n("250000000000")})
	at := uint64(t0 + 12*41)
	b.ReportAllocs()
	for b.Loop() {
		if _, best, err := w.m.QuoteRoutes(at, "C", "A", Trade{Amount: n("1000000")}); err != nil || best < 0 {
			b.Fatal(err, best)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "quotes/s")
}
