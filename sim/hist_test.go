package sim

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// TestHistogramQuantiles: 1..1000 in 100 bins over [0, 1000] has its
// median at 500 and its 5th percentile at 50, within a bin (10).
func TestHistogramQuantiles(t *testing.T) {
	h := newHistogram(&binning{lo: 0, width: 10, bins: 100, quanta: percentQuanta})
	for v := 1; v <= 1000; v++ {
		h.add(float64(v))
	}
	for q, want := range map[float64]float64{0.05: 50, 0.5: 500, 0.95: 950} {
		if got := h.quantile(q); math.Abs(got-want) > 10 {
			t.Errorf("q%v = %v, want %v", q, got, want)
		}
	}
	if h.mean() != 500.5 || h.min != 1 || h.max != 1000 {
		t.Errorf("mean %v min %v max %v", h.mean(), h.min, h.max)
	}
	z := newHistogram(amountBins)
	for range 90 {
		z.add(0)
	}
	for range 10 {
		z.add(1e6)
	}
	if z.quantile(0.5) != 0 || z.quantile(0.95) != 1e6 || z.mean() != 1e5 {
		t.Errorf("amounts: p50 %v p95 %v mean %v, want 0, 1e6, 1e5", z.quantile(0.5), z.quantile(0.95), z.mean())
	}
}

// TestTailHandComputed checks VaR and ES against a case worked by hand.
// Thirty paths lose 1, 2, …, 28 tokens, then 50 and 100.
// At 95%: α·n = 28.5, k = ⌈28.5⌉ = 29, VaR = x₂₉ = 50, and
// ES = (x₃₀ + (29 − 28.5)·x₂₉) / (0.05·30) = (100 + 25) / 1.5 = 83.333….
// At 99%: α·n = 29.7, k = 30, VaR = 100, ES = (0 + 0.3·100) / 0.3 = 100.
// At 90%: α·n = 27, k = 27, VaR = 27, ES = (28 + 50 + 100 + 0·27) / 3 = 59.333….
func TestTailHandComputed(t *testing.T) {
	h := newHistogram(amountBins)
	for v := 1; v <= 28; v++ {
		h.add(float64(v))
	}
	h.add(100) // out of order on purpose
	h.add(50)
	for _, tc := range []struct{ alpha, valueAtRisk, shortfall float64 }{
		{0.95, 50, 125.0 / 1.5}, {0.99, 100, 100}, {0.90, 27, 178.0 / 3},
	} {
		v, es := h.tail(tc.alpha)
		if math.Abs(v-tc.valueAtRisk) > 1e-9 || math.Abs(es-tc.shortfall) > 1e-9 {
			t.Errorf("alpha %v: VaR %v ES %v, want %v and %v", tc.alpha, v, es, tc.valueAtRisk, tc.shortfall)
		}
	}
	// Exact zeros rank below everything: with 70 more paths losing
	// nothing, α·n = 95 at 95%, k = 95 → x₉₅ = 25 (the 25th of the
	// non-zero losses), ES = (26 + 27 + 28 + 50 + 100 + 0) / 5 = 46.2.
	for range 70 {
		h.add(0)
	}
	if v, es := h.tail(0.95); math.Abs(v-25) > 1e-9 || math.Abs(es-46.2) > 1e-9 {
		t.Errorf("with zeros: VaR %v ES %v, want 25 and 46.2", v, es)
	}
}

// TestTailNearSortedValues: on 20,000 lognormal draws, VaR and ES from the
// histogram are within its resolution (1.2% relative) of the same
// figures computed from the sorted values.
func TestTailNearSortedValues(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	h := newHistogram(amountBins)
	values := make([]float64, 20_000)
	for i := range values {
		values[i] = 1000 * math.Exp(1.5*r.NormFloat64())
		h.add(values[i])
	}
	slices.Sort(values)
	for _, alpha := range []float64{0.95, 0.99} {
		n := float64(len(values))
		k := int(math.Ceil(alpha*n - 1e-9))
		wantVaR := values[k-1]
		sum := (float64(k) - alpha*n) * wantVaR
		for _, v := range values[k:] {
			sum += v
		}
		wantES := sum / ((1 - alpha) * n)
		v, es := h.tail(alpha)
		if math.Abs(v/wantVaR-1) > 0.012 || math.Abs(es/wantES-1) > 0.012 {
			t.Errorf("alpha %v: VaR %v ES %v, sorted values give %v and %v", alpha, v, es, wantVaR, wantES)
		}
	}
}

// TestHistogramMergeIsExact: values split over three histograms and
// merged, in either order, give exactly the histogram of all of them.
func TestHistogramMergeIsExact(t *testing.T) {
	for _, b := range []*binning{allBins.apy, amountBins, allBins.loss, batchBins.apy} {
		r := rand.New(rand.NewPCG(3, 4))
		whole := newHistogram(b)
		parts := []*histogram{newHistogram(b), newHistogram(b), newHistogram(b)}
		for i := range 5000 {
			v := 20 * r.NormFloat64()
			if b.nonNegative() {
				v = math.Abs(v) * float64(i%3)
			}
			whole.add(v)
			parts[i%3].add(v)
		}
		forward, backward := newHistogram(b), newHistogram(b)
		for i := range parts {
			forward.merge(parts[i])
			backward.merge(parts[len(parts)-1-i])
		}
		if !reflect.DeepEqual(whole, forward) || !reflect.DeepEqual(whole, backward) {
			t.Errorf("binning %+v: merged histograms differ from the whole", *b)
		}
	}
}

// TestOuterBins: with coarse bins beyond the fine range, every value
// falls in the bin whose edges hold it, the coarse bins are 1 point wide,
// and values beyond the outer span go to the end bins.
func TestOuterBins(t *testing.T) {
	b := allBins.apy
	for _, v := range []float64{-1499.5, -1217.3, -100.005, -100, -0.004, 0, 5.2345, 99.999, 100, 250.5, 1499.9} {
		i := b.index(v)
		if lo, hi := b.edge(i), b.edge(i+1); !(lo <= v+1e-9 && v < hi+1e-9) {
			t.Errorf("%v in bin %d [%v, %v)", v, i, lo, hi)
		}
	}
	if w := b.edge(b.index(-500)+1) - b.edge(b.index(-500)); math.Abs(w-1) > 1e-9 {
		t.Errorf("outer bins %v wide", w)
	}
	if b.index(-1e6) != 0 || b.index(1e6) != b.total()-1 || b.nonNegative() {
		t.Errorf("clamping: %d %d of %d", b.index(-1e6), b.index(1e6), b.total())
	}
	h := newHistogram(b)
	for _, v := range []float64{-1000, -1000, 10, 12, 14} {
		h.add(v)
	}
	if q := h.quantile(0.2); q < -1000 || q > -999 {
		t.Errorf("a quantile among the outer bins: %v", q)
	}
}
