package swap

import (
	"math/big"
	"testing"

	"pgregory.net/rapid"
)

// Split routing properties on random networks (issue 11): the split pays
// at least the best single route, its legs use disjoint pairs and add up,
// executing it is all or nothing and gives each leg exactly what that
// leg's own op gives after the legs before it, the model it searches with
// prices every route as a dry run does, and the search stays within its
// bound of quotes.

func TestPropertySplitNeverWorseThanBestSingle(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		nw := drawNetwork(t)
		w := nw.build(t)
		for range 4 {
			in, out, amount := drawSplitTrade(t)
			checkSplitQuote(t, w.m, nw.at, in, out, amount)
		}
	})
}

// checkSplitQuote checks one split quote against the single routes.
func checkSplitQuote(t *rapid.T, m *Market, at uint64, in, out string, amount Int) *SplitQuote {
	singles, _, err := m.QuoteRoutes(at, in, out, Trade{Amount: amount})
	if err != nil {
		t.Fatal(err)
	}
	var best *RouteQuote
	for i, q := range singles {
		if q.Err == nil && (best == nil || best.AmountOut.Lt(&q.AmountOut)) {
			best = &singles[i]
		}
	}
	q, err := m.QuoteSplit(at, in, out, amount)
	if err != nil {
		if best != nil {
			t.Fatalf("%s %s → %s: the split fails (%v) but %s pays %s", amount.Dec(), in, out, err, best.Route, best.AmountOut.Dec())
		}
		if CodeOf(err) != CodeNoRoute {
			t.Fatalf("split failed with %v, want no_route", err)
		}
		return nil
	}
	if best != nil && q.AmountOut.Lt(&best.AmountOut) {
		t.Fatalf("%s %s → %s: split pays %s, less than %s through %s", amount.Dec(), in, out, q.AmountOut.Dec(), best.AmountOut.Dec(), best.Route)
	}
	if bound := SplitEvaluationBound(len(singles)); q.Evaluations > bound {
		t.Fatalf("the split took %d quotes, above its bound %d for %d routes", q.Evaluations, bound, len(singles))
	}
	var sumIn, sumOut Int
	used := map[int]Route{}
	for _, leg := range q.Legs {
		if leg.AmountIn.IsZero() || leg.AmountOut.IsZero() {
			t.Fatalf("leg %s trades nothing: %+v", leg.Route, leg)
		}
		sumIn.Add(&sumIn, &leg.AmountIn)
		sumOut.Add(&sumOut, &leg.AmountOut)
		for _, id := range legPairs(leg.Route) {
			if other, ok := used[id]; ok {
				t.Fatalf("legs %s and %s share pair %d", other, leg.Route, id)
			}
			used[id] = leg.Route
		}
	}
	if sumIn != amount || sumOut != q.AmountOut {
		t.Fatalf("legs add up to %s in, %s out; the split says %s, %s", sumIn.Dec(), sumOut.Dec(), amount.Dec(), q.AmountOut.Dec())
	}
	return q
}

func legPairs(r Route) []int {
	if r.Kind == NativeKind {
		return []int{r.Pair}
	}
	return []int{r.IK, r.JK}
}

// legCommand is a leg as its own op: swapNative along its path, or
// swapVirtual.
func legCommand(m *Market, leg RouteResult, in, out, from string) Command {
	t := Trade{Amount: leg.AmountIn}
	if leg.Route.Kind == VirtualKind {
		return SwapVirtual{From: from, JK: leg.Route.JK, IK: leg.Route.IK, Trade: t}
	}
	path, _ := m.path(leg.Route, in, out)
	return SwapNative{From: from, Path: path, Trade: t}
}

func TestPropertySplitSwapIsItsLegsInOrder(t *testing.T) {
	splits := 0
	rapid.Check(t, func(t *rapid.T) {
		nw := drawNetwork(t)
		w, twin := nw.build(t), nw.build(t)
		var q *SplitQuote
		var in, out string
		var amount Int
		for range 8 { // a trade that splits, if one of eight does
			in, out, amount = drawSplitTrade(t)
			if q = checkSplitQuote(t, w.m, nw.at, in, out, amount); q != nil && len(q.Legs) > 1 {
				splits++
				break
			}
		}
		if q == nil {
			return
		}
		// The twin applies each leg as its own op, in order: each must
		// pay what the split said.
		for i, leg := range q.Legs {
			res, err := twin.m.Apply(nw.at, legCommand(twin.m, leg, in, out, "trader"))
			if err != nil {
				t.Fatalf("leg %d (%s) as its own op fails: %v", i, leg.Route, err)
			}
			var got Int
			switch r := res.(type) {
			case *NativeResult:
				got = r.Amounts[len(r.Amounts)-1]
			case *VirtualResult:
				got = r.AmountOut
			}
			if got != leg.AmountOut {
				t.Fatalf("leg %d (%s): the split says %s out, its op after the legs before it gives %s", i, leg.Route, leg.AmountOut.Dec(), got.Dec())
			}
		}
		// The split swap itself: refused whole above its total, then made
		// whole, leaving the market as the legs made one by one did.
		h := &harness{w: w, at: nw.at}
		before := h.snapshot()
		limit := q.AmountOut
		limit.AddUint64(&limit, 1)
		if _, err := w.m.Apply(nw.at, Swap{From: "trader", TokenIn: in, TokenOut: out, Trade: Trade{Amount: amount, Limit: &limit}, Split: true}); CodeOf(err) != CodeInsufficientOutput {
			t.Fatalf("split with minAmountOut = total + 1: %v, want insufficient_output", err)
		}
		if h.snapshot() != before {
			t.Fatal("a refused split changed the market")
		}
		res, err := w.m.Apply(nw.at, Swap{From: "trader", TokenIn: in, TokenOut: out, Trade: Trade{Amount: amount, Limit: &q.AmountOut}, Split: true})
		if err != nil {
			t.Fatalf("split swap: %v", err)
		}
		done := res.(*SplitResult)
		if done.AmountOut != q.AmountOut || len(done.Legs) != len(q.Legs) {
			t.Fatalf("the split swap made %+v, the quote said %+v", done, q.SplitResult)
		}
		for i := range done.Legs {
			if done.Legs[i] != q.Legs[i] {
				t.Fatalf("leg %d: made %+v, quoted %+v", i, done.Legs[i], q.Legs[i])
			}
		}
		if a, b := h.snapshot(), (&harness{w: twin, at: nw.at}).snapshot(); a != b {
			t.Fatalf("the split swap and its legs one by one leave different markets:\n%s\n---\n%s", a, b)
		}
	})
	if splits < 20 {
		t.Fatalf("only %d of the random networks had a trade that splits", splits)
	}
}

// runLegsCmd executes a given plan, as swap with split does after
// planning: the test's way to make a later leg fail.
type runLegsCmd struct{ plan SplitResult }

func (c runLegsCmd) apply(m *Market, at uint64) (any, error) {
	return m.runLegs(c.plan, "trader", "trader", m.Block(at))
}

// A split whose last leg fails undoes the legs before it.
func TestPropertySplitAllOrNothing(t *testing.T) {
	splits := 0
	rapid.Check(t, func(t *rapid.T) {
		nw := drawNetwork(t)
		w := nw.build(t)
		var q *SplitQuote
		var in, out string
		for range 8 { // a trade that splits
			var amount Int
			in, out, amount = drawSplitTrade(t)
			if sq, err := w.m.QuoteSplit(nw.at, in, out, amount); err == nil && len(sq.Legs) > 1 {
				q = sq
				break
			}
		}
		if q == nil {
			return
		}
		splits++
		h := &harness{w: w, at: nw.at}
		before := h.snapshot()
		last := q.Legs[len(q.Legs)-1]
		ids := legPairs(last.Route)
		p := w.m.pairs[ids[len(ids)-1]]
		p.closed = true // closed behind the plan's back
		_, err := w.m.Apply(nw.at, runLegsCmd{q.SplitResult})
		p.closed = false
		if CodeOf(err) != CodePairClosed {
			t.Fatalf("last leg on a closed pair: %v, want pair_closed", err)
		}
		if h.snapshot() != before {
			t.Fatal("the legs before the failing one were not undone")
		}
	})
	if splits < 20 {
		t.Fatalf("only %d of the random networks had a trade that splits", splits)
	}
}

// The model a split searches with prices every candidate as a dry run of
// its op does: the same amount out, failing where the op fails; without
// the input checks it fails less, never more, and the bound is above.
func TestPropertyPricedRouteIsTheDryRun(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		nw := drawNetwork(t)
		w := nw.build(t)
		in, out, _ := drawSplitTrade(t)
		block := w.m.Block(nw.at)
		for _, r := range w.m.allCandidates(in, out) {
			var pr pricedRoute
			perr := w.m.priceRoute(&pr, r, in, out, block)
			for range 5 {
				_, _, amount := drawSplitTrade(t)
				want, werr := w.m.tryRoute(r, in, out, Trade{Amount: amount}, block)
				if perr != nil {
					if werr == nil {
						t.Fatalf("%s: pricing fails (%v) but %s in pays %s", r, perr, amount.Dec(), want.AmountOut.Dec())
					}
					continue
				}
				got, gerr := pr.out(amount, true)
				if (gerr == nil) != (werr == nil) || gerr == nil && got != want.AmountOut {
					t.Fatalf("%s, %s in: the model says %s (%v), the dry run %s (%v)", r, amount.Dec(), got.Dec(), gerr, want.AmountOut.Dec(), werr)
				}
				// Without the input checks it pays wherever the full model
				// does, the same amount; the bound is never below.
				fast, ferr := pr.out(amount, false)
				if gerr == nil && (ferr != nil || fast != got) {
					t.Fatalf("%s, %s in: %s in full, %s (%v) without the input checks", r, amount.Dec(), got.Dec(), fast.Dec(), ferr)
				}
				if ub := pr.bound(amount); gerr == nil && ub.Lt(&got) {
					t.Fatalf("%s, %s in: bound %s below the amount out %s", r, amount.Dec(), ub.Dec(), got.Dec())
				}
			}
		}
	})
}

// A route's fee and price impact are those of exact rationals: the fee
// 1 − Π f/1000, and 1 − out / (in · Π f·bOut / (1000·bIn)) (virtual:
// v0, v1 and vFee), in ppm rounded down (the fixed point may round a
// value lying within 2^-64 of a ppm boundary the other way: ±1).
func TestPropertyRoutePriceIsExact(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		nw := drawNetwork(t)
		w := nw.build(t)
		in, out, amount := drawSplitTrade(t)
		quotes, _, err := w.m.QuoteRoutes(nw.at, in, out, Trade{Amount: amount})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range quotes {
			if q.Err != nil {
				continue
			}
			var pr pricedRoute
			if err := w.m.priceRoute(&pr, q.Route, in, out, w.m.Block(nw.at)); err != nil {
				t.Fatal(err)
			}
			price, keep := big.NewRat(1, 1), big.NewRat(1, 1)
			hop := func(f uint64, bIn, bOut Int) {
				r := new(big.Rat).SetFrac(new(big.Int).Mul(big.NewInt(int64(f)), bOut.ToBig()), new(big.Int).Mul(big.NewInt(1000), bIn.ToBig()))
				price.Mul(price, r)
				keep.Mul(keep, big.NewRat(int64(f), 1000))
			}
			if q.Route.Kind == VirtualKind {
				hop(pr.vp.jk.vFee, pr.vp.v0, pr.vp.v1)
			} else {
				for i, p := range pr.hops {
					hop(p.fee, p.bal(pr.path[i]), p.bal(pr.path[i+1]))
				}
			}
			floorPPM := func(r *big.Rat) int64 {
				r = new(big.Rat).Mul(r, big.NewRat(1_000_000, 1))
				return new(big.Int).Quo(r.Num(), r.Denom()).Int64()
			}
			wantFee := floorPPM(new(big.Rat).Sub(big.NewRat(1, 1), keep))
			atSpot := new(big.Rat).Mul(price, new(big.Rat).SetInt(q.AmountIn.ToBig()))
			short := new(big.Rat).Sub(big.NewRat(1, 1), new(big.Rat).Quo(new(big.Rat).SetInt(q.AmountOut.ToBig()), atSpot))
			wantImpact := max(floorPPM(short), 0)
			if int64(q.FeePPM) != wantFee || d(int64(q.PriceImpactPPM), wantImpact) > 1 {
				t.Fatalf("%s, %s → %s: fee %d ppm, impact %d ppm; want %d, %d", q.Route, q.AmountIn.Dec(), q.AmountOut.Dec(), q.FeePPM, q.PriceImpactPPM, wantFee, wantImpact)
			}
		}
	})
}

func d(a, b int64) int64 { return max(a-b, b-a) }
