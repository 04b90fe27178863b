package swap

import (
	"math/big"
	"testing"

	"pgregory.net/rapid"
)

// getOut is a native hop in plain uint64 arithmetic, for balances and
// amounts small enough that nothing overflows: the test's own model of
// docs/swap.md §2.1. ok is false when the pair refuses it (nothing out,
// or the input below getAmountIn of the output, trap T1).
func getOut(in, bIn, bOut, fee uint64) (out uint64, ok bool) {
	out = in * fee * bOut / (bIn*1000 + in*fee)
	return out, out > 0 && in >= bIn*out*1000/((bOut-out)*fee)+1
}

// The split of a trade of 100,000 to 2,000,000 units (1% to 20% of the
// pairs' depths) over a native pair and a two-hop route comes within 0.1%
// of the best split found by trying every allocation, plus 4 units: the
// floors of the three hops can each be gamed by the choice of allocation
// for up to a unit, which no search short of trying every amount finds.
// (Trades of a few thousand units, where those floors weigh more, can
// fall 0.15% short.)
func TestSplitNearBruteForceOptimum(t *testing.T) {
	worst := 0.0
	rapid.Check(t, func(t *rapid.T) {
		w := newWorld(t, "A", "B", "C")
		w.mint("lp", "A", "1000000000000")
		w.mint("lp", "B", "1000000000000")
		w.mint("lp", "C", "1000000000000")
		depth := func(label string) uint64 { return rapid.Uint64Range(10_000_000, 90_000_000).Draw(t, label) }
		fee := func(label string) int64 { return rapid.SampledFrom([]int64{990, 997, 999}).Draw(t, label) }
		ac := [2]uint64{depth("acA"), depth("acC")}
		ab := [2]uint64{depth("abA"), depth("abB")}
		bc := [2]uint64{depth("bcB"), depth("bcC")}
		fees := [3]int64{fee("acFee"), fee("abFee"), fee("bcFee")}
		w.ok(t0, PairDeposit{From: "lp", TokenA: "A", TokenB: "C", AmountA: u64(ac[0]), AmountB: u64(ac[1])})
		w.ok(t0, PairDeposit{From: "lp", TokenA: "A", TokenB: "B", AmountA: u64(ab[0]), AmountB: u64(ab[1])})
		w.ok(t0, PairDeposit{From: "lp", TokenA: "B", TokenB: "C", AmountA: u64(bc[0]), AmountB: u64(bc[1])})
		for i, f := range fees {
			w.ok(t0, SetPairFee{Pair: i, Fee: f, VFee: f})
		}
		amount := rapid.Uint64Range(100_000, 2_000_000).Draw(t, "amount")
		native := func(a uint64) (uint64, bool) { return getOut(a, ac[1], ac[0], uint64(fees[0])) }
		twoHop := func(a uint64) (uint64, bool) {
			b, ok1 := getOut(a, bc[1], bc[0], uint64(fees[2]))
			out, ok2 := getOut(b, ab[1], ab[0], uint64(fees[1]))
			return out, ok1 && ok2
		}
		var best uint64
		for a := uint64(0); a <= amount; a++ { // a through the native pair, the rest through B
			x, okX := native(a)
			y, okY := twoHop(amount - a)
			if (okX || a == 0) && (okY || a == amount) {
				best = max(best, x+y)
			}
		}
		q, err := w.m.QuoteSplit(t0, "C", "A", u64(amount))
		if err != nil {
			t.Fatal(err)
		}
		got := q.AmountOut.Uint64()
		if got > best {
			t.Fatalf("the split pays %d, above the best of every allocation %d", got, best)
		}
		gap := float64(max(best-got, 4)-4) / float64(best)
		worst = max(worst, gap)
		if best-got > best/1000+4 {
			t.Fatalf("%d C → A: the split pays %d, the best allocation %d (%.4f%% less); legs %+v", amount, got, best, gap*100, q.Legs)
		}
	})
	t.Logf("largest shortfall against the best allocation, beyond 4 units: %.5f%%", worst*100)
}

// The worked example of docs/swap.md "Split routing": 20,000 C → A over
// A/C (100,000 / 100,000), A/B and B/C (200,000 / 200,000 each), fees
// 0.3%, A/B accepting C as a reserve up to a 10% reserve ratio. Every
// expected figure is computed here from docs/swap.md's formulas.
func TestSplitWorkedExample(t *testing.T) {
	w := splitExample(t)
	at := uint64(t0 + 12*41) // B/C rested 41 blocks: it may serve as reference

	const amount = 20_000
	native := func(a uint64) (uint64, bool) { return getOut(a, 100_000, 100_000, 997) }
	twoHop := func(a uint64) (uint64, bool) {
		b, ok1 := getOut(a, 200_000, 200_000, 997)
		out, ok2 := getOut(b, 200_000, 200_000, 997)
		return out, ok1 && ok2
	}
	// Virtual C → A through (jk A/B, ik B/C): m = min(200,000, 200,000),
	// v0 = v1 = 200,000; C joins A/B's reserves at base value
	// quote(c, v0, v1) = c (A is token0), and the reserve ratio
	// c·100000 / (2·(200,000 − out)) must stay ≤ 10,000.
	virtual := func(c uint64) (uint64, bool) {
		out, ok := getOut(c, 200_000, 200_000, 997)
		return out, ok && c*100_000/(2*(200_000-out)) <= 10_000
	}
	singles := map[string]func(uint64) (uint64, bool){`{"native":0}`: native, `{"hops":[2,1]}`: twoHop, `{"jk":1,"ik":2}`: virtual}
	quotes, _, err := w.m.QuoteRoutes(at, "C", "A", Trade{Amount: u64(amount)})
	if err != nil || len(quotes) != 3 {
		t.Fatalf("routes %+v, %v", quotes, err)
	}
	var bestSingle uint64
	for _, q := range quotes {
		want, ok := singles[q.Route.String()](amount)
		if !ok || q.Err != nil || q.AmountOut.Uint64() != want {
			t.Fatalf("%s: %s (%v), want %d", q.Route, q.AmountOut.Dec(), q.Err, want)
		}
		bestSingle = max(bestSingle, want)
		t.Logf("single %s: %d A", w.m.Words(q.Route, "C", "A"), want)
	}
	eq(t, "best single (the virtual pool)", bestSingle, 18132)

	q, err := w.m.QuoteSplit(at, "C", "A", u64(amount))
	if err != nil {
		t.Fatal(err)
	}
	var total uint64
	for _, leg := range q.Legs {
		want, ok := singles[leg.Route.String()](leg.AmountIn.Uint64())
		if !ok || leg.AmountOut.Uint64() != want {
			t.Fatalf("leg %s: %s in, %s out, want %d", leg.Route, leg.AmountIn.Dec(), leg.AmountOut.Dec(), want)
		}
		total += want
		t.Logf("leg %s: %s C → %d A", w.m.Words(leg.Route, "C", "A"), leg.AmountIn.Dec(), want)
	}
	eq(t, "split total", q.AmountOut.Uint64(), total)
	if total <= bestSingle {
		t.Fatalf("the split pays %d, not more than the best single route %d", total, bestSingle)
	}
	// The best allocation between the native pair and the virtual pool
	// (the two-hop route trades on the virtual pool's pairs: a split uses
	// one of them).
	var best uint64
	for a := uint64(0); a <= amount; a++ {
		x, okX := native(a)
		y, okY := virtual(amount - a)
		if (okX || a == 0) && (okY || a == amount) {
			best = max(best, x+y)
		}
	}
	if best-total > best/1000+4 {
		t.Fatalf("the split pays %d, the best allocation %d", total, best)
	}
	t.Logf("split: %d A for %d C (best single %d, best allocation %d), %d quotes, price impact %d ppm", total, amount, bestSingle, best, q.Evaluations, q.PriceImpactPPM)
	// Price impact against the legs' pre-trade prices after fees (0.997 A
	// per C on both), from rationals.
	atSpot := new(big.Rat).SetFrac64(amount*997, 1000)
	short := new(big.Rat).Sub(atSpot, new(big.Rat).SetInt64(int64(total)))
	short.Quo(short, atSpot).Mul(short, big.NewRat(1_000_000, 1))
	eq(t, "split price impact (ppm)", q.PriceImpactPPM, new(big.Int).Quo(short.Num(), short.Denom()).Uint64())
	eq(t, "split fee (ppm)", q.FeePPM, uint64(3000))
}

// splitExample is the market of the worked example, at t0: A/C (pair 0),
// A/B (1) and B/C (2).
func splitExample(t tb) *world {
	w := newWorld(t, "A", "B", "C")
	w.ok(t0, SetDefaultAllowList{Tokens: []string{"A", "B", "C"}})
	for _, tok := range []string{"A", "B", "C"} {
		w.mint("lp", tok, "1000000")
	}
	w.mint("trader", "C", "20000")
	w.ok(t0, PairDeposit{From: "lp", TokenA: "A", TokenB: "C", AmountA: n("100000"), AmountB: n("100000")})
	w.ok(t0, PairDeposit{From: "lp", TokenA: "A", TokenB: "B", AmountA: n("200000"), AmountB: n("200000")})
	w.ok(t0, PairDeposit{From: "lp", TokenA: "B", TokenB: "C", AmountA: n("200000"), AmountB: n("200000")})
	w.ok(t0, SetMaxReserveRatio{Pair: 1, Value: n("10000")})
	return w
}

// Exact-out through a two-hop route inverts it hop by hop: 10,000 A out
// of C → B → A on the worked example's pairs (200,000 of each) costs
// getAmountIn(10000) = 200000·10000·1000 / (190000·997) + 1 = 10557 + 1
// = 10,558 B, then getAmountIn(10558) = 200000·10558·1000 / (189442·997)
// + 1 = 11179 + 1 = 11,180 C (docs/swap.md §2.1).
func TestTwoHopExactOut(t *testing.T) {
	w := splitExample(t)
	quotes, _, err := w.m.QuoteRoutes(t0, "C", "A", Trade{ExactOut: true, Amount: u64(10_000)})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range quotes {
		if q.Route.Kind == TwoHopKind {
			eqInt(t, "C in for 10,000 A", q.AmountIn, "11180")
			eqInt(t, "A out", q.AmountOut, "10000")
			return
		}
	}
	t.Fatalf("no two-hop route among %+v", quotes)
}
