package sim

import (
	"math"
	"testing"
)

// TestHistogramQuantiles: 1..1000 in 100 bins over [0, 1000] has its
// median at 500 and its 5th percentile at 50, within a bin (10).
func TestHistogramQuantiles(t *testing.T) {
	h := newHistogram(0, 1000, 100)
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
	z := newAmountHistogram()
	for range 90 {
		z.add(0)
	}
	for range 10 {
		z.add(1e6)
	}
	if z.quantile(0.5) != 0 || math.Abs(z.quantile(0.95)-1e6)/1e6 > 0.05 {
		t.Errorf("amounts: p50 %v p95 %v", z.quantile(0.5), z.quantile(0.95))
	}
}
