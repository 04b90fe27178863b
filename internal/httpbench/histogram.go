package httpbench

import (
	"math/bits"
	"sync/atomic"
	"time"
)

// Latencies are counted in a log-linear histogram of microseconds: exact
// below 128µs, then 128 buckets per power of two (under 0.8% wide), up to
// 2^26µs (67s; longer times count in the last bucket). It takes 20 KiB
// whatever the number of requests, and clients add to it concurrently.
const (
	histSub     = 128
	histShift   = 7 // log2(histSub)
	histMaxExp  = 26
	histBuckets = histSub + (histMaxExp-histShift)*histSub
)

// Histogram counts request latencies.
type Histogram struct {
	counts [histBuckets]atomic.Uint64
}

func histIndex(us uint64) int {
	if us < histSub {
		return int(us)
	}
	e := bits.Len64(us) - 1 // us is in [2^e, 2^(e+1))
	if e >= histMaxExp {
		return histBuckets - 1
	}
	return histSub + (e-histShift)*histSub + int(us>>(e-histShift)) - histSub
}

// histValue is the middle of bucket i, in microseconds.
func histValue(i int) float64 {
	if i < histSub {
		return float64(i) + 0.5
	}
	e := (i-histSub)/histSub + histShift
	sub := (i-histSub)%histSub + histSub
	width := uint64(1) << (e - histShift)
	return float64(uint64(sub)*width) + float64(width)/2
}

// Add counts one latency.
func (h *Histogram) Add(d time.Duration) {
	us := d.Microseconds()
	if us < 0 {
		us = 0
	}
	h.counts[histIndex(uint64(us))].Add(1)
}

// Count is the number of latencies counted.
func (h *Histogram) Count() uint64 {
	var n uint64
	for i := range h.counts {
		n += h.counts[i].Load()
	}
	return n
}

// merge adds o's counts to h.
func (h *Histogram) merge(o *Histogram) {
	for i := range h.counts {
		if c := o.counts[i].Load(); c > 0 {
			h.counts[i].Add(c)
		}
	}
}

// Quantile is the q-quantile (nearest rank) in milliseconds, 0 when empty.
func (h *Histogram) Quantile(q float64) float64 {
	n := h.Count()
	if n == 0 {
		return 0
	}
	rank := uint64(q*float64(n) + 0.999999999)
	rank = min(max(rank, 1), n)
	var seen uint64
	for i := range h.counts {
		if seen += h.counts[i].Load(); seen >= rank {
			return histValue(i) / 1000
		}
	}
	return histValue(histBuckets-1) / 1000
}
