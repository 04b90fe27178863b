package sim

import (
	"math"
	"math/bits"
)

// sum128 is an exact sum of int64 terms in 128 bits: integer addition
// does not depend on the order of the terms, so sums kept by separate
// workers, batches or machines merge to the same bits.
type sum128 struct {
	hi int64
	lo uint64
}

func (s *sum128) add(v int64) {
	var carry uint64
	s.lo, carry = bits.Add64(s.lo, uint64(v), 0)
	s.hi += int64(carry) + v>>63 // v>>63 is -1 for a negative term
}

func (s *sum128) merge(o sum128) {
	var carry uint64
	s.lo, carry = bits.Add64(s.lo, o.lo, 0)
	s.hi += o.hi + int64(carry)
}

// float is the sum as a float64 (rounded once, the same way everywhere).
func (s sum128) float() float64 { return float64(s.hi)*0x1p64 + float64(s.lo) }

// The resolutions at which statistics sum values, in quanta per unit: a
// billionth of a percentage point, a millionth of a token. A term
// saturates at the int64 range: ±9.2e9 percentage points, ±9.2e12 tokens.
const (
	percentQuanta = 1e9
	tokenQuanta   = 1e6
)

// quantize is v in quanta (perUnit to a unit), saturating at the int64
// range.
func quantize(v, perUnit float64) int64 {
	q := math.Round(v * perUnit)
	switch {
	case q >= math.MaxInt64:
		return math.MaxInt64
	case q <= math.MinInt64:
		return math.MinInt64
	}
	return int64(q)
}
