// Package ray is the fixed-point arithmetic of the cover market: 256-bit
// unsigned integers, ray (10^27) multiplication and division rounded half
// up, and checked plain operations. Every function is allocation-free and
// reports overflow or division by zero as an error instead of wrapping;
// nothing here ever uses floating point.
package ray

import (
	"errors"

	"github.com/holiman/uint256"
)

// Int is the 256-bit unsigned integer every amount and rate is made of.
type Int = uint256.Int

// ErrOverflow reports a result above 2^256-1 or below zero.
var ErrOverflow = errors.New("ray: arithmetic overflow")

// ErrDivByZero reports a division by zero.
var ErrDivByZero = errors.New("ray: division by zero")

var (
	// RAY is 10^27, the unit of ray fixed point (and 1% in ray percent).
	RAY = *uint256.NewInt(1_000_000_000_000_000_000).Mul(uint256.NewInt(1_000_000_000_000_000_000), uint256.NewInt(1_000_000_000))
	// HalfRAY is RAY/2, the half-up rounding offset.
	HalfRAY = *new(Int).Rsh(&RAY, 1)
	// Hundred is 100·RAY, i.e. 100% in ray percent.
	Hundred = *new(Int).Mul(&RAY, uint256.NewInt(100))
)

// U64 returns x as an Int.
func U64(x uint64) Int { return *uint256.NewInt(x) }

// Add returns a+b, or ErrOverflow when the sum exceeds 2^256-1.
func Add(a, b Int) (Int, error) {
	var z Int
	if _, over := z.AddOverflow(&a, &b); over {
		return z, ErrOverflow
	}
	return z, nil
}

// Sub returns a-b, or ErrOverflow when b > a.
func Sub(a, b Int) (Int, error) {
	var z Int
	if _, under := z.SubOverflow(&a, &b); under {
		return z, ErrOverflow
	}
	return z, nil
}

// MulInt returns the plain product a·b, or ErrOverflow.
func MulInt(a, b Int) (Int, error) {
	var z Int
	if _, over := z.MulOverflow(&a, &b); over {
		return z, ErrOverflow
	}
	return z, nil
}

// DivInt returns floor(a/b), or ErrDivByZero when b is zero.
func DivInt(a, b Int) (Int, error) {
	var z Int
	if b.IsZero() {
		return z, ErrDivByZero
	}
	z.Div(&a, &b)
	return z, nil
}

// Mul is rayMul: (a·b + RAY/2) / RAY, failing when a·b + RAY/2 overflows.
func Mul(a, b Int) (Int, error) {
	p, err := MulInt(a, b)
	if err != nil {
		return p, err
	}
	if p, err = Add(p, HalfRAY); err != nil {
		return p, err
	}
	return *p.Div(&p, &RAY), nil
}

// Div is rayDiv: (a·RAY + b/2) / b, failing when b is zero or the
// numerator overflows.
func Div(a, b Int) (Int, error) {
	if b.IsZero() {
		return b, ErrDivByZero
	}
	p, err := MulInt(a, RAY)
	if err != nil {
		return p, err
	}
	var half Int
	half.Rsh(&b, 1)
	if p, err = Add(p, half); err != nil {
		return p, err
	}
	return *p.Div(&p, &b), nil
}

// MulDiv returns floor(a·b/d), failing when a·b overflows (as checked
// Solidity arithmetic does) or d is zero.
func MulDiv(a, b, d Int) (Int, error) {
	p, err := MulInt(a, b)
	if err != nil {
		return p, err
	}
	return DivInt(p, d)
}

// MulDivFull returns floor(a·b/d) computed with a 512-bit intermediate
// product: it equals MulDiv wherever a·b fits in 256 bits, and fails only
// when d is zero or the quotient itself exceeds 2^256-1.
func MulDivFull(a, b, d Int) (Int, error) {
	if d.IsZero() {
		return d, ErrDivByZero
	}
	var z Int
	if _, over := z.MulDivOverflow(&a, &b, &d); over {
		return z, ErrOverflow
	}
	return z, nil
}
