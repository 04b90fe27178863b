package swap

import (
	"fmt"
	"strings"
	"testing"
)

// Benchmarks of the hot paths (issue 6 goals on one core: ≥ 1,000,000
// native quotes/s, ≥ 300,000 virtual swaps/s; issue 11: ≥ 50,000 split
// quotes/s on a 20-pair network):
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

// BenchmarkBestRouteQuote prices C → A over every candidate (the native
// pair, the two-hop route through B and the virtual pool) by dry runs,
// with their fees and price impacts, as POST /v1/swap/quote lists them.
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

// splitBenchTokens are the eight tokens of the split benchmark network.
var splitBenchTokens = []string{"T0", "T1", "T2", "T3", "T4", "T5", "T6", "T7"}

// splitBenchMarket is a 20-pair network over eight tokens of 18 decimals
// (every pair of tokens but eight), with depths from 10^5 to 10^7 tokens
// a side and fees of 0.1% to 1%, every pair accepting every token as a
// reserve, rested past every lock. T0 → T1 has 13 candidate routes: the
// native pair, six two-hop routes and six virtual pools.
func splitBenchMarket(b *testing.B) *world {
	w := newWorld(b, splitBenchTokens...)
	w.ok(t0, SetDefaultAllowList{Tokens: splitBenchTokens})
	for _, tok := range splitBenchTokens {
		w.mint("lp", tok, "1"+strings.Repeat("0", 40))
		w.mint("trader", tok, "1"+strings.Repeat("0", 40))
	}
	skip := map[[2]int]bool{{2, 3}: true, {2, 5}: true, {3, 6}: true, {4, 5}: true, {4, 7}: true, {5, 6}: true, {5, 7}: true, {6, 7}: true}
	fees := []int64{997, 995, 999, 990}
	id := 0
	for i := range splitBenchTokens {
		for j := i + 1; j < len(splitBenchTokens); j++ {
			if skip[[2]int{i, j}] {
				continue
			}
			depth := 100_000 * (1 + (i*7+j*13)%100) // whole tokens
			a := fmt.Sprintf("%d%s", depth, strings.Repeat("0", 18))
			bb := fmt.Sprintf("%d%s", depth*(95+(i+j)%11)/100, strings.Repeat("0", 18))
			w.ok(t0, PairDeposit{From: "lp", TokenA: splitBenchTokens[i], TokenB: splitBenchTokens[j], AmountA: n(a), AmountB: n(bb)})
			w.ok(t0, SetPairFee{Pair: id, Fee: fees[id%len(fees)], VFee: fees[(id+1)%len(fees)]})
			w.ok(t0, SetMaxReserveRatio{Pair: id, Value: n("10000")})
			id++
		}
	}
	if id != 20 {
		b.Fatalf("%d pairs", id)
	}
	return w
}

// BenchmarkSplitQuote prices a split of 50,000 T0 → T1 (about 1% of the
// native pair's depth) on the 20-pair network (issue 11 goal on one core:
// ≥ 50,000 split quotes/s).
func BenchmarkSplitQuote(b *testing.B) {
	w := splitBenchMarket(b)
	at := uint64(t0 + 12*41)
	amount := n("50000" + strings.Repeat("0", 18))
	q, err := w.m.QuoteSplit(at, "T0", "T1", amount)
	if err != nil || len(q.Legs) < 2 {
		b.Fatal(err, q)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := w.m.QuoteSplit(at, "T0", "T1", amount); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "quotes/s")
	b.ReportMetric(float64(q.Evaluations), "evaluations")
	b.ReportMetric(float64(len(q.Legs)), "legs")
}

// BenchmarkSplitQuoteNetwork prices splits of 20,000 tokens between every
// ordered pair of tokens of the 20-pair network in turn (56 trades, from
// 3 to 13 candidate routes each).
func BenchmarkSplitQuoteNetwork(b *testing.B) {
	w := splitBenchMarket(b)
	at := uint64(t0 + 12*41)
	amount := n("20000" + strings.Repeat("0", 18))
	var trades [][2]string
	for _, in := range splitBenchTokens {
		for _, out := range splitBenchTokens {
			if in != out {
				trades = append(trades, [2]string{in, out})
			}
		}
	}
	splits := 0
	for _, tr := range trades {
		q, err := w.m.QuoteSplit(at, tr[0], tr[1], amount)
		if err != nil {
			b.Fatal(tr, err)
		}
		if len(q.Legs) > 1 {
			splits++
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		tr := trades[i%len(trades)]
		if _, err := w.m.QuoteSplit(at, tr[0], tr[1], amount); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "quotes/s")
	b.ReportMetric(float64(splits)/float64(len(trades)), "split-share")
}
