package sim

import "math"

// binning is the fixed layout shared by a family of histograms: the same
// bins for every batch, worker or machine, so that they merge bin by bin.
type binning struct {
	lo, width float64
	bins      int
	// log bins over sign(v)·log10(1+|v|): amounts of any size, at a
	// constant relative resolution.
	log bool
	// quanta is the resolution of the exact sums, in quanta per unit
	// (percentQuanta or tokenQuanta).
	quanta float64
	// binSums keeps every bin's exact sum, so that VaR and ES use the
	// mean of the values in a bin rather than a point of its range.
	binSums bool
	// outer, when set, is the width of coarser bins reaching outerSpan
	// beyond each end of the range: rare values far out are kept apart
	// without fine bins (and their memory) all the way.
	outer, outerSpan float64
}

// outerBins is the number of outer bins on each side.
func (b *binning) outerBins() int {
	if b.outer == 0 {
		return 0
	}
	return int(math.Round(b.outerSpan / b.outer))
}

// total is the number of bins, outer ones included.
func (b *binning) total() int { return b.bins + 2*b.outerBins() }

// chunkBins is the size of the blocks a histogram allocates as values
// reach them: a wide range costs memory only where values fall.
const chunkBins = 64

// histogram counts values in the bins of a binning (values outside go to
// the end bins) and keeps their count, exact sum, exact zeros, min and
// max. Everything it holds is an integer or an exact min or max, so
// histograms merge exactly, in any order; its size never depends on how
// many values it has seen.
type histogram struct {
	b        *binning
	counts   []*[chunkBins]uint64
	sums     []*[chunkBins]sum128 // per bin, when b.binSums
	n        uint64
	zeros    uint64 // exact zeros of a non-negative histogram, kept out of the bins
	sum      sum128
	min, max float64
}

func newHistogram(b *binning) *histogram {
	chunks := (b.total() + chunkBins - 1) / chunkBins
	h := &histogram{b: b, counts: make([]*[chunkBins]uint64, chunks), min: math.Inf(1), max: math.Inf(-1)}
	if b.binSums {
		h.sums = make([]*[chunkBins]sum128, chunks)
	}
	return h
}

// nonNegative tells whether the binning holds no negative value, so that
// exact zeros sit below every bin.
func (b *binning) nonNegative() bool { return b.lo-b.outerSpan >= 0 }

// index is the bin of v.
func (b *binning) index(v float64) int {
	x := v
	if b.log {
		x = math.Copysign(math.Log10(1+math.Abs(v)), v)
	}
	ob := b.outerBins()
	hi := b.lo + b.width*float64(b.bins)
	var i float64
	switch {
	case ob > 0 && x < b.lo:
		i = min(math.Floor((x-(b.lo-b.outerSpan))/b.outer), float64(ob-1))
	case ob > 0 && x >= hi:
		i = float64(ob+b.bins) + math.Floor((x-hi)/b.outer)
	default:
		i = float64(ob) + min(math.Floor((x-b.lo)/b.width), float64(b.bins-1))
	}
	return int(min(max(i, 0), float64(b.total()-1)))
}

// value maps a point of the binned axis back to a value.
func (b *binning) value(x float64) float64 {
	if b.log {
		return math.Copysign(math.Pow(10, math.Abs(x))-1, x)
	}
	return x
}

// edge is the value at the lower edge of bin i (i = total: the top).
func (b *binning) edge(i int) float64 {
	ob := b.outerBins()
	switch {
	case i < ob:
		return b.lo - b.outerSpan + b.outer*float64(i)
	case i > ob+b.bins:
		return b.lo + b.width*float64(b.bins) + b.outer*float64(i-ob-b.bins)
	}
	return b.value(b.lo + b.width*float64(i-ob))
}

// within is the value a fraction f of the way through bin i.
func (b *binning) within(i int, f float64) float64 {
	if ob := b.outerBins(); i >= ob && i < ob+b.bins {
		return b.value(b.lo + b.width*(float64(i-ob)+f))
	}
	lo, hi := b.edge(i), b.edge(i+1)
	return lo + (hi-lo)*f
}

func (h *histogram) add(v float64) {
	if math.IsNaN(v) {
		return
	}
	h.n++
	q := quantize(v, h.b.quanta)
	h.sum.add(q)
	h.min, h.max = min(h.min, v), max(h.max, v)
	if v == 0 && h.b.nonNegative() {
		h.zeros++
		return
	}
	i := h.b.index(v)
	c, k := i/chunkBins, i%chunkBins
	if h.counts[c] == nil {
		h.counts[c] = new([chunkBins]uint64)
	}
	h.counts[c][k]++
	if h.sums != nil {
		if h.sums[c] == nil {
			h.sums[c] = new([chunkBins]sum128)
		}
		h.sums[c][k].add(q)
	}
}

// merge adds o (of the same binning) into h.
func (h *histogram) merge(o *histogram) {
	h.n += o.n
	h.zeros += o.zeros
	h.sum.merge(o.sum)
	h.min, h.max = min(h.min, o.min), max(h.max, o.max)
	for c, chunk := range o.counts {
		if chunk == nil {
			continue
		}
		if h.counts[c] == nil {
			h.counts[c] = new([chunkBins]uint64)
		}
		for k, n := range chunk {
			h.counts[c][k] += n
		}
		if o.sums == nil || o.sums[c] == nil {
			continue
		}
		if h.sums[c] == nil {
			h.sums[c] = new([chunkBins]sum128)
		}
		for k, s := range o.sums[c] {
			h.sums[c][k].merge(s)
		}
	}
}

// bin is bin i's count and, when kept, its exact sum in quanta.
func (h *histogram) bin(i int) (uint64, sum128) {
	c, k := i/chunkBins, i%chunkBins
	if h.counts[c] == nil {
		return 0, sum128{}
	}
	var s sum128
	if h.sums != nil && h.sums[c] != nil {
		s = h.sums[c][k]
	}
	return h.counts[c][k], s
}

// eachBin calls f for every non-empty bin in ascending order.
func (h *histogram) eachBin(f func(i int, n uint64, s sum128)) {
	for c, chunk := range h.counts {
		if chunk == nil {
			continue
		}
		for k, n := range chunk {
			if n > 0 {
				i := c*chunkBins + k
				_, s := h.bin(i)
				f(i, n, s)
			}
		}
	}
}

func (h *histogram) mean() float64 {
	if h.n == 0 {
		return 0
	}
	return h.sum.float() / float64(h.n) / h.b.quanta
}

// binMean is the mean of the n values of a bin whose exact sum is s.
func (h *histogram) binMean(n uint64, s sum128) float64 {
	return s.float() / float64(n) / h.b.quanta
}

// quantile is the q-quantile (0 ≤ q ≤ 1); 0 when empty. With bin sums it
// is the k-th smallest value for k = ⌈q·n⌉, read as the mean of its bin
// (exact when the bin holds one distinct value); without, it is
// interpolated inside its bin. Either way it stays within the exact min
// and max.
func (h *histogram) quantile(q float64) float64 {
	if h.n == 0 {
		return 0
	}
	if h.b.binSums {
		return h.rankValue(rankAt(q, h.n))
	}
	rank := q * float64(h.n)
	if rank <= float64(h.zeros) {
		return min(max(0, h.min), h.max)
	}
	seen := float64(h.zeros)
	x := h.max
	done := false
	h.eachBin(func(i int, n uint64, _ sum128) {
		if done {
			return
		}
		if seen+float64(n) < rank {
			seen += float64(n)
			return
		}
		x, done = h.b.within(i, (rank-seen)/float64(n)), true
	})
	return min(max(x, h.min), h.max)
}

// rankAt is ⌈q·n⌉, at least 1: the rank of the q-quantile among n sorted
// values (a hair below an integer counts as that integer).
func rankAt(q float64, n uint64) uint64 {
	return max(1, uint64(math.Ceil(q*float64(n)-1e-9)))
}

// rankValue is the k-th smallest value (1-based), as its bin's mean.
func (h *histogram) rankValue(k uint64) float64 {
	if k <= h.zeros {
		return 0
	}
	seen := h.zeros
	v := h.max
	done := false
	h.eachBin(func(_ int, n uint64, s sum128) {
		if done {
			return
		}
		if seen+n < k {
			seen += n
			return
		}
		v, done = h.binMean(n, s), true
	})
	return min(max(v, h.min), h.max)
}

// tail is the value at risk and the expected shortfall of the values at
// level alpha (0 < alpha < 1), large values being the bad ones:
// VaR = the k-th smallest value for k = ⌈alpha·n⌉, and
// ES = (Σ of the values ranked above k + (k − alpha·n)·VaR) / ((1−alpha)·n),
// the mean of the worst (1−alpha) share of outcomes (Acerbi and Tasche).
// Values are read as their bin's mean, so both are exact when no bin
// holds two distinct values. It needs bin sums.
func (h *histogram) tail(alpha float64) (valueAtRisk, shortfall float64) {
	if h.n == 0 {
		return 0, 0
	}
	n := float64(h.n)
	k := rankAt(alpha, h.n)
	valueAtRisk = h.rankValue(k)
	var above float64 // Σ of the values ranked above k
	seen := h.zeros
	h.eachBin(func(_ int, c uint64, s sum128) {
		switch {
		case seen >= k:
			above += s.float() / h.b.quanta
		case seen+c > k:
			above += float64(seen+c-k) * h.binMean(c, s)
		}
		seen += c
	})
	shortfall = (above + (float64(k)-alpha*n)*valueAtRisk) / ((1 - alpha) * n)
	return valueAtRisk, shortfall
}

// between is the number of values in the bins whose lower edge is in
// [lo, hi) (exact zeros of a non-negative histogram are in no bin).
func (h *histogram) between(lo, hi float64) uint64 {
	var n uint64
	h.eachBin(func(i int, c uint64, _ sum128) {
		if e := h.b.edge(i); e >= lo && e < hi {
			n += c
		}
	})
	return n
}
