package sim

import "math"

// histogram counts values in fixed bins over [lo, hi] (values outside are
// clamped into the end bins) and keeps the exact count, sum, min and max;
// its size never depends on how many values it has seen.
type histogram struct {
	lo, width float64
	bins      []uint32
	n         int
	sum       float64
	min, max  float64
	log       bool // bins are over log10(1+v), for amounts of any size
	// zeros counts exact zeros: in a histogram of non-negative values they
	// make the lowest quantiles exactly 0 rather than a point in bin 0.
	zeros int
}

func newHistogram(lo, hi float64, bins int) *histogram {
	return &histogram{lo: lo, width: (hi - lo) / float64(bins), bins: make([]uint32, bins), min: math.Inf(1), max: math.Inf(-1)}
}

// newAmountHistogram bins non-negative amounts on a log scale, 50 bins a
// decade from 1 to 10^15 tokens.
func newAmountHistogram() *histogram {
	h := newHistogram(0, 15, 750)
	h.log = true
	return h
}

func (h *histogram) add(v float64) {
	if math.IsNaN(v) {
		return
	}
	h.n++
	h.sum += v
	if v == 0 {
		h.zeros++
	}
	h.min, h.max = min(h.min, v), max(h.max, v)
	x := v
	if h.log {
		x = math.Log10(1 + max(v, 0))
	}
	i := int((x - h.lo) / h.width)
	h.bins[min(max(i, 0), len(h.bins)-1)]++
}

// quantile is the q-quantile (0 ≤ q ≤ 1), interpolated inside its bin and
// kept within the exact min and max; 0 when empty.
func (h *histogram) quantile(q float64) float64 {
	if h.n == 0 {
		return 0
	}
	rank := q * float64(h.n)
	if (h.log || h.lo >= 0) && rank <= float64(h.zeros) {
		return 0
	}
	seen := 0.0
	for i, c := range h.bins {
		if c == 0 || seen+float64(c) < rank {
			seen += float64(c)
			continue
		}
		x := h.lo + h.width*(float64(i)+(rank-seen)/float64(c))
		if h.log {
			x = math.Pow(10, x) - 1
		}
		return min(max(x, h.min), h.max)
	}
	return h.max
}

func (h *histogram) mean() float64 {
	if h.n == 0 {
		return 0
	}
	return h.sum / float64(h.n)
}

// between counts the values in the bins whose centre is in [lo, hi).
func (h *histogram) between(lo, hi float64) float64 {
	n := 0.0
	for i, c := range h.bins {
		if x := h.lo + h.width*(float64(i)+0.5); x >= lo && x < hi {
			n += float64(c)
		}
	}
	return n
}
