package ray

import (
	"errors"
	"math/big"
	"regexp"
	"strings"
	"testing"
)

// Differential fuzzing: every operation is compared with the math/big model
// in ref_test.go. Operands arrive as big-endian bytes (at most 32 are used),
// so short inputs give small numbers and the rounding edges stay reachable.

// seedValues are the operands every arithmetic corpus starts from.
var seedValues = []*big.Int{
	bigDec("0"), bigDec("1"), bigDec("2"), bigDec("3"),
	plus(bigHalf, -1), bigHalf, bigRAY, plus(bigRAY, 1), times(bigRAY, 100),
	plus(p2(64), -1), p2(64), plus(p2(128), -1), p2(128), p2(255),
	maxR, plus(maxR, 1), new(big.Int).Sub(bigMax, bigHalf), plus(bigMax, -1), bigMax,
}

// operand reads a fuzz operand as a big-endian number of at most 32 bytes.
func operand(b []byte) []byte {
	if len(b) > 32 {
		return b[:32]
	}
	return b
}

// toBytes writes x as the 32-byte big-endian fuzz encoding.
func toBytes(x *big.Int) []byte { return x.FillBytes(make([]byte, 32)) }

// fuzzBinary fuzzes op against ref; divides says b is a divisor.
func fuzzBinary(f *testing.F, op func(a, b Int) (Int, error), ref func(a, b *big.Int) (*big.Int, bool), divides bool) {
	for _, a := range seedValues {
		for _, b := range seedValues {
			f.Add(toBytes(a), toBytes(b))
		}
	}
	f.Fuzz(func(t *testing.T, ab, bb []byte) {
		ab, bb = operand(ab), operand(bb)
		var a, b Int
		a.SetBytes(ab)
		b.SetBytes(bb)
		ba, bbig := new(big.Int).SetBytes(ab), new(big.Int).SetBytes(bb)
		got, err := op(a, b)
		want, ok := ref(ba, bbig)
		checkResult(t, got, err, want, ok, divides && bbig.Sign() == 0, ba, bbig)
	})
}

// checkResult compares a result with the reference: the same number when
// the reference is in range, otherwise ErrDivByZero when the failure is a
// zero divisor and ErrOverflow for anything else.
func checkResult(t *testing.T, got Int, err error, want *big.Int, ok, zeroDivisor bool, in ...*big.Int) {
	t.Helper()
	switch {
	case ok:
		if err != nil {
			t.Fatalf("%v: unexpected error %v, want %v", in, err, want)
		}
		if toBig(got).Cmp(want) != 0 {
			t.Fatalf("%v: got %v, want %v", in, &got, want)
		}
	case zeroDivisor:
		if err != ErrDivByZero {
			t.Fatalf("%v: got (%v, %v), want %v", in, &got, err, ErrDivByZero)
		}
	default:
		if err != ErrOverflow {
			t.Fatalf("%v: got (%v, %v), want %v", in, &got, err, ErrOverflow)
		}
	}
}

func FuzzAdd(f *testing.F) { fuzzBinary(f, Add, refAdd, false) }

func FuzzSub(f *testing.F) { fuzzBinary(f, Sub, refSub, false) }

func FuzzMulInt(f *testing.F) { fuzzBinary(f, MulInt, refMulInt, false) }

func FuzzMul(f *testing.F) { fuzzBinary(f, Mul, refMul, false) }

func FuzzDivInt(f *testing.F) { fuzzBinary(f, DivInt, refDivInt, true) }

func FuzzDiv(f *testing.F) { fuzzBinary(f, Div, refDiv, true) }

func FuzzMulDiv(f *testing.F) {
	fuzzTernary(f, MulDiv, func(a, b, d *big.Int) (*big.Int, bool, bool) {
		want, ok := refMulDiv(a, b, d)
		// The product is checked first, as in Solidity: an overflowing
		// product with a zero divisor is an overflow.
		return want, ok, fits(new(big.Int).Mul(a, b)) && d.Sign() == 0
	})
}

// fuzzTernary checks fn(a, b, d) against ref, which gives the expected
// value, whether there is one, and whether the error is division by zero.
func fuzzTernary(f *testing.F, fn func(a, b, d Int) (Int, error), ref func(a, b, d *big.Int) (*big.Int, bool, bool)) {
	few := []*big.Int{bigDec("0"), bigDec("1"), bigDec("3"), bigRAY, plus(p2(128), -1), p2(128), maxR, bigMax}
	for _, a := range few {
		for _, b := range few {
			for _, d := range few {
				f.Add(toBytes(a), toBytes(b), toBytes(d))
			}
		}
	}
	f.Fuzz(func(t *testing.T, ab, bb, db []byte) {
		ab, bb, db = operand(ab), operand(bb), operand(db)
		var a, b, d Int
		a.SetBytes(ab)
		b.SetBytes(bb)
		d.SetBytes(db)
		ba, bbig, bd := new(big.Int).SetBytes(ab), new(big.Int).SetBytes(bb), new(big.Int).SetBytes(db)
		got, err := fn(a, b, d)
		want, ok, zeroDivisor := ref(ba, bbig, bd)
		checkResult(t, got, err, want, ok, zeroDivisor, ba, bbig, bd)
	})
}

var (
	percentRE = regexp.MustCompile(`^[0-9]+(\.[0-9]{1,27})?$`)
	amountRE  = regexp.MustCompile(`^[0-9]+$`)
)

// parseSeeds are the strings both parser corpora start from.
var parseSeeds = []string{
	"", "0", "1", "007", "80", "1.5", "100", "0.000001", "0.000000000000000000000000001",
	"0.0000000000000000000000000001", "1.", ".5", ".", "+1", "-1", "1e3", " 1", "1 ",
	"1.2.3", "1_000", "0x10", "١", "\x00", "9\xff",
	maxDec, maxDec[:51] + "." + maxDec[51:], maxDec[:51] + "." + maxDec[51:77] + "6",
	maxDec + "0", "115792089237316195423570985008687907853269984665641",
	"340282366920938463463374607431768211456", "18446744073709551616",
	strings.Repeat("0", 200) + "1", strings.Repeat("9", 80),
}

func FuzzParsePercent(f *testing.F) {
	for _, s := range parseSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParsePercent(s)
		if !percentRE.MatchString(s) {
			if !errors.Is(err, ErrSyntax) {
				t.Fatalf("ParsePercent(%q) = (%v, %v), want %v", s, &got, err, ErrSyntax)
			}
			return
		}
		whole, frac, _ := strings.Cut(s, ".")
		want := bigDec(whole + frac + strings.Repeat("0", 27-len(frac)))
		if !fits(want) {
			if !errors.Is(err, ErrOverflow) {
				t.Fatalf("ParsePercent(%q) = (%v, %v), want %v", s, &got, err, ErrOverflow)
			}
			return
		}
		if err != nil || toBig(got).Cmp(want) != 0 {
			t.Fatalf("ParsePercent(%q) = (%v, %v), want %v", s, &got, err, want)
		}
		checkFormatPercent(t, got, want)
	})
}

// checkFormatPercent checks FormatPercent(x) against the math/big
// formatting of want (equal to x) and that it parses back to x.
func checkFormatPercent(t *testing.T, x Int, want *big.Int) {
	t.Helper()
	s := FormatPercent(x)
	if ref := refFormatPercent(want); s != ref {
		t.Fatalf("FormatPercent(%v) = %q, want %q", want, s, ref)
	}
	back, err := ParsePercent(s)
	if err != nil || back != x {
		t.Fatalf("ParsePercent(FormatPercent(%v)) = (%v, %v)", want, &back, err)
	}
}

func FuzzFormatPercent(f *testing.F) {
	for _, v := range seedValues {
		f.Add(toBytes(v))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		b = operand(b)
		var x Int
		x.SetBytes(b)
		checkFormatPercent(t, x, new(big.Int).SetBytes(b))
	})
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range parseSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseAmount(s)
		if !amountRE.MatchString(s) {
			if !errors.Is(err, ErrSyntax) {
				t.Fatalf("ParseAmount(%q) = (%v, %v), want %v", s, &got, err, ErrSyntax)
			}
			return
		}
		want := bigDec(s)
		if !fits(want) {
			if !errors.Is(err, ErrOverflow) {
				t.Fatalf("ParseAmount(%q) = (%v, %v), want %v", s, &got, err, ErrOverflow)
			}
			return
		}
		if err != nil || toBig(got).Cmp(want) != 0 {
			t.Fatalf("ParseAmount(%q) = (%v, %v), want %v", s, &got, err, want)
		}
	})
}

func FuzzMulDivFull(f *testing.F) {
	fuzzTernary(f, MulDivFull, func(a, b, d *big.Int) (*big.Int, bool, bool) {
		if d.Sign() == 0 {
			return nil, false, true
		}
		want := new(big.Int).Quo(new(big.Int).Mul(a, b), d)
		return want, fits(want), false
	})
}
