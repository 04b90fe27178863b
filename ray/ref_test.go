package ray

import (
	"math/big"
	"testing"

	"github.com/holiman/uint256"
)

// This file holds the math/big reference model the tests compare against.
// Each ref* function evaluates the spec formula over unbounded integers and
// reports ok=false exactly when the checked 256-bit evaluation must fail:
// an intermediate value outside [0, 2^256-1], or a zero divisor.

var (
	bigOne  = big.NewInt(1)
	bigRAY  = new(big.Int).Exp(big.NewInt(10), big.NewInt(27), nil)
	bigHalf = new(big.Int).Rsh(bigRAY, 1)
	bigMax  = new(big.Int).Sub(new(big.Int).Lsh(bigOne, 256), bigOne)
)

// fits reports whether 0 <= x <= 2^256-1.
func fits(x *big.Int) bool { return x.Sign() >= 0 && x.Cmp(bigMax) <= 0 }

func refAdd(a, b *big.Int) (*big.Int, bool) {
	z := new(big.Int).Add(a, b)
	return z, fits(z)
}

func refSub(a, b *big.Int) (*big.Int, bool) {
	z := new(big.Int).Sub(a, b)
	return z, fits(z)
}

func refMulInt(a, b *big.Int) (*big.Int, bool) {
	z := new(big.Int).Mul(a, b)
	return z, fits(z)
}

func refDivInt(a, b *big.Int) (*big.Int, bool) {
	if b.Sign() == 0 {
		return nil, false
	}
	return new(big.Int).Quo(a, b), true
}

// refMul is rayMul: (a·b + RAY/2) / RAY, the numerator checked.
func refMul(a, b *big.Int) (*big.Int, bool) {
	n := new(big.Int).Mul(a, b)
	n.Add(n, bigHalf)
	if !fits(n) {
		return nil, false
	}
	return n.Quo(n, bigRAY), true
}

// refDiv is rayDiv: (a·RAY + b/2) / b, the numerator checked.
func refDiv(a, b *big.Int) (*big.Int, bool) {
	if b.Sign() == 0 {
		return nil, false
	}
	n := new(big.Int).Mul(a, bigRAY)
	n.Add(n, new(big.Int).Rsh(b, 1))
	if !fits(n) {
		return nil, false
	}
	return n.Quo(n, b), true
}

// refMulDiv is floor(a·b/d), the product checked.
func refMulDiv(a, b, d *big.Int) (*big.Int, bool) {
	p := new(big.Int).Mul(a, b)
	if !fits(p) || d.Sign() == 0 {
		return nil, false
	}
	return p.Quo(p, d), true
}

// refFormatPercent writes the ray value x as the shortest exact percent.
func refFormatPercent(x *big.Int) string {
	q, r := new(big.Int).QuoRem(x, bigRAY, new(big.Int))
	frac := r.Text(10)
	for len(frac) < 27 {
		frac = "0" + frac
	}
	for frac != "" && frac[len(frac)-1] == '0' {
		frac = frac[:len(frac)-1]
	}
	if frac == "" {
		return q.Text(10)
	}
	return q.Text(10) + "." + frac
}

// bigDec parses a decimal literal for a test; it panics on a typo.
func bigDec(s string) *big.Int {
	z, ok := new(big.Int).SetString(s, 10)
	if !ok {
		panic("bad test literal " + s)
	}
	return z
}

// fromBig converts an in-range big.Int to an Int for a test.
func fromBig(t testing.TB, x *big.Int) Int {
	t.Helper()
	z, overflow := uint256.FromBig(x)
	if overflow || x.Sign() < 0 {
		t.Fatalf("test value %v out of range", x)
	}
	return *z
}

// toBig converts an Int to a big.Int.
func toBig(x Int) *big.Int { return x.ToBig() }
