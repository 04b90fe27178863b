package ray

import (
	"testing"

	"github.com/holiman/uint256"
)

// Inputs live in package variables so the compiler cannot fold the calls,
// and results go to sinks so it cannot drop them.
var (
	benchU     = rayPercent(50)
	benchP     = rayPercent(8)
	benchT     = U64(864000)
	benchYear  = U64(31536000)
	benchBig   = *new(Int).Lsh(uint256.NewInt(3), 126)
	benchPct   = "12.345678901234567890123456789"
	benchShort = "1.5"
	benchAmt   = "1000000000000000000000000"
	benchMax   = maxDec

	sinkInt Int
	sinkErr error
)

// rayPercent returns k% in ray.
func rayPercent(k uint64) Int { return *new(Int).Mul(&RAY, uint256.NewInt(k)) }

// indexDelta is the spec's rayDiv(rayMul(rayMul(U, P), t), YEAR), the
// chain the cover engine runs on every refresh segment.
func indexDelta(u, p, t Int) (Int, error) {
	var c Calc
	z := c.Div(c.Mul(c.Mul(u, p), t), benchYear)
	return z, c.Err
}

func BenchmarkAdd(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkInt, sinkErr = Add(benchBig, benchU)
	}
}

func BenchmarkMul(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkInt, sinkErr = Mul(benchU, benchP)
	}
}

func BenchmarkDiv(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkInt, sinkErr = Div(benchBig, benchYear)
	}
}

func BenchmarkMulDiv(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkInt, sinkErr = MulDiv(benchBig, benchU, benchP)
	}
}

func BenchmarkCalcIndexDelta(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkInt, sinkErr = indexDelta(benchU, benchP, benchT)
	}
}

func BenchmarkParsePercent(b *testing.B) {
	for _, c := range []struct{ name, s string }{{"short", benchShort}, {"27decimals", benchPct}} {
		s := c.s
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkInt, sinkErr = ParsePercent(s)
			}
		})
	}
}

func BenchmarkParseAmount(b *testing.B) {
	for _, c := range []struct{ name, s string }{{"short", "1000000"}, {"25digits", benchAmt}, {"max", benchMax}} {
		s := c.s
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkInt, sinkErr = ParseAmount(s)
			}
		})
	}
}

func BenchmarkFormatPercent(b *testing.B) {
	b.ReportAllocs()
	x := U64(1500000000000000000)
	var s string
	for b.Loop() {
		s = FormatPercent(x)
	}
	_ = s
}

// TestZeroAllocs checks that the arithmetic, the Calc chain and successful
// parses never allocate.
func TestZeroAllocs(t *testing.T) {
	ops := []struct {
		name string
		f    func()
	}{
		{"Add", func() { sinkInt, sinkErr = Add(benchBig, benchU) }},
		{"Sub", func() { sinkInt, sinkErr = Sub(benchBig, benchT) }},
		{"MulInt", func() { sinkInt, sinkErr = MulInt(benchBig, benchT) }},
		{"DivInt", func() { sinkInt, sinkErr = DivInt(benchBig, benchT) }},
		{"Mul", func() { sinkInt, sinkErr = Mul(benchU, benchP) }},
		{"Div", func() { sinkInt, sinkErr = Div(benchBig, benchYear) }},
		{"MulDiv", func() { sinkInt, sinkErr = MulDiv(benchBig, benchU, benchP) }},
		{"MulDivFull", func() { sinkInt, sinkErr = MulDivFull(benchBig, benchU, benchP) }},
		{"Mul overflow", func() { sinkInt, sinkErr = Mul(benchBig, benchBig) }},
		{"Div by zero", func() { sinkInt, sinkErr = Div(benchBig, Int{}) }},
		{"Calc chain", func() { sinkInt, sinkErr = indexDelta(benchU, benchP, benchT) }},
		{"Calc chain with error", func() { sinkInt, sinkErr = indexDelta(benchBig, benchBig, benchT) }},
		{"ParsePercent", func() { sinkInt, sinkErr = ParsePercent(benchPct) }},
		{"ParseAmount", func() { sinkInt, sinkErr = ParseAmount(benchMax) }},
	}
	for _, op := range ops {
		if n := testing.AllocsPerRun(100, op.f); n != 0 {
			t.Errorf("%s allocates %v times per call, want 0", op.name, n)
		}
	}
}
