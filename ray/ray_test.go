package ray

import (
	"errors"
	"math/big"
	"testing"
)

// Test operands, as big.Int so that the tables read as numbers.
var (
	maxR   = new(big.Int).Quo(bigMax, bigRAY) // floor((2^256-1)/RAY)
	maxDiv = bigDec("115792089237316195423570985008687907853269984665640000000000000000000000000000")
)

func p2(k uint) *big.Int { return new(big.Int).Lsh(bigOne, k) }

func plus(x *big.Int, d int64) *big.Int { return new(big.Int).Add(x, big.NewInt(d)) }

func bn(x int64) *big.Int { return big.NewInt(x) }

func times(x *big.Int, k int64) *big.Int { return new(big.Int).Mul(x, big.NewInt(k)) }

// binCase is one row of a two-operand table: want is a decimal literal, or
// empty when the operation must fail with err.
type binCase struct {
	name string
	a, b *big.Int
	want string
	err  error
}

// checkBin runs a table against op and, as a check on the table itself,
// against the math/big reference ref.
func checkBin(t *testing.T, op func(a, b Int) (Int, error), ref func(a, b *big.Int) (*big.Int, bool), cases []binCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := op(fromBig(t, c.a), fromBig(t, c.b))
			r, ok := ref(c.a, c.b)
			if c.want == "" {
				if err != c.err {
					t.Fatalf("got (%v, %v), want error %v", &got, err, c.err)
				}
				if ok {
					t.Fatalf("table says %v but the reference computes %v", c.err, r)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			if got.Dec() != c.want {
				t.Fatalf("got %v, want %s", &got, c.want)
			}
			if !ok || r.String() != c.want {
				t.Fatalf("table says %s but the reference computes %v (ok=%v)", c.want, r, ok)
			}
		})
	}
}

func TestMul(t *testing.T) {
	checkBin(t, Mul, refMul, []binCase{
		{"zero", bn(0), bn(0), "0", nil},
		{"one ray", bigRAY, bigRAY, "1000000000000000000000000000", nil},
		{"2x3", times(bigRAY, 2), times(bigRAY, 3), "6000000000000000000000000000", nil},
		{"1 times ray", bn(1), bigRAY, "1", nil},
		{"half rounds up", bn(1), bigHalf, "1", nil},
		{"below half rounds down", bn(1), plus(bigHalf, -1), "0", nil},
		{"1.5 rounds up", bn(3), bigHalf, "2", nil},
		{"50% x 8%", times(bigRAY, 50), times(bigRAY, 8), "400000000000000000000000000000", nil},
		{"max times zero", bigMax, bn(0), "0", nil},
		{"zero times max", bn(0), bigMax, "0", nil},
		{"largest numerator", new(big.Int).Sub(bigMax, bigHalf), bn(1), maxR.String(), nil},
		{"numerator one over", plus(new(big.Int).Sub(bigMax, bigHalf), 1), bn(1), "", ErrOverflow},
		{"max times one", bigMax, bn(1), "", ErrOverflow},
		{"2^128 squared", p2(128), p2(128), "", ErrOverflow},
		{"(2^128-1) squared", plus(p2(128), -1), plus(p2(128), -1), "115792089237316195423570985008687907852589419931799", nil},
	})
}

func TestDiv(t *testing.T) {
	checkBin(t, Div, refDiv, []binCase{
		{"zero by one", bn(0), bn(1), "0", nil},
		{"one by two", bn(1), bn(2), "500000000000000000000000000", nil},
		{"one third rounds down", bn(1), bn(3), "333333333333333333333333333", nil},
		{"two thirds rounds up", bn(2), bn(3), "666666666666666666666666667", nil},
		{"half rounds up", bn(3), times(bigRAY, 2), "2", nil},
		{"ray by ray", bigRAY, bigRAY, "1000000000000000000000000000", nil},
		{"one by max", bn(1), bigMax, "0", nil},
		{"by zero", bn(1), bn(0), "", ErrDivByZero},
		{"zero by zero", bn(0), bn(0), "", ErrDivByZero},
		{"max by zero", bigMax, bn(0), "", ErrDivByZero},
		{"largest a", maxR, bn(1), maxDiv.String(), nil},
		{"a one over", plus(maxR, 1), bn(1), "", ErrOverflow},
		{"half divisor overflows", maxR, bigMax, "", ErrOverflow},
		{"max by max", bigMax, bigMax, "", ErrOverflow},
	})
}

func TestAdd(t *testing.T) {
	checkBin(t, Add, refAdd, []binCase{
		{"small", bn(1), bn(2), "3", nil},
		{"zero", bn(0), bn(0), "0", nil},
		{"max plus zero", bigMax, bn(0), bigMax.String(), nil},
		{"max plus one", bigMax, bn(1), "", ErrOverflow},
		{"one plus max", bn(1), bigMax, "", ErrOverflow},
		{"halves", p2(255), plus(p2(255), -1), bigMax.String(), nil},
		{"2^255 twice", p2(255), p2(255), "", ErrOverflow},
	})
}

func TestSub(t *testing.T) {
	checkBin(t, Sub, refSub, []binCase{
		{"small", bn(5), bn(3), "2", nil},
		{"equal", bigMax, bigMax, "0", nil},
		{"max minus zero", bigMax, bn(0), bigMax.String(), nil},
		{"below zero", bn(0), bn(1), "", ErrOverflow},
		{"one below", bn(3), bn(4), "", ErrOverflow},
		{"zero minus max", bn(0), bigMax, "", ErrOverflow},
	})
}

func TestMulInt(t *testing.T) {
	checkBin(t, MulInt, refMulInt, []binCase{
		{"small", bn(6), bn(7), "42", nil},
		{"zero times max", bn(0), bigMax, "0", nil},
		{"max times one", bigMax, bn(1), bigMax.String(), nil},
		{"max times two", bigMax, bn(2), "", ErrOverflow},
		{"(2^128-1) squared", plus(p2(128), -1), plus(p2(128), -1), "115792089237316195423570985008687907852589419931798687112530834793049593217025", nil},
		{"2^128 squared", p2(128), p2(128), "", ErrOverflow},
		{"2^255 times two", p2(255), bn(2), "", ErrOverflow},
	})
}

func TestDivInt(t *testing.T) {
	checkBin(t, DivInt, refDivInt, []binCase{
		{"floor", bn(7), bn(2), "3", nil},
		{"zero", bn(0), bn(5), "0", nil},
		{"max by max", bigMax, bigMax, "1", nil},
		{"max by three", bigMax, bn(3), "38597363079105398474523661669562635951089994888546854679819194669304376546645", nil},
		{"small by large", bn(1), bigMax, "0", nil},
		{"by zero", bn(7), bn(0), "", ErrDivByZero},
		{"zero by zero", bn(0), bn(0), "", ErrDivByZero},
	})
}

func TestMulDiv(t *testing.T) {
	cases := []struct {
		name    string
		a, b, d *big.Int
		want    string
		err     error
	}{
		{"floor", bn(7), bn(3), bn(2), "10", nil},
		{"max", bigMax, bn(1), bn(1), bigMax.String(), nil},
		{"wide", plus(p2(128), -1), plus(p2(128), 1), bn(3), "38597363079105398474523661669562635951089994888546854679819194669304376546645", nil},
		{"product overflows though quotient fits", p2(128), p2(128), bn(2), "", ErrOverflow},
		{"max times two over two", bigMax, bn(2), bn(2), "", ErrOverflow},
		{"by zero", bn(1), bn(1), bn(0), "", ErrDivByZero},
		{"zero product by zero", bn(0), bn(0), bn(0), "", ErrDivByZero},
		{"overflow reported before zero divisor", bigMax, bigMax, bn(0), "", ErrOverflow},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := MulDiv(fromBig(t, c.a), fromBig(t, c.b), fromBig(t, c.d))
			r, ok := refMulDiv(c.a, c.b, c.d)
			if c.want == "" {
				if err != c.err || ok {
					t.Fatalf("got (%v, %v), want error %v (reference ok=%v)", &got, err, c.err, ok)
				}
				return
			}
			if err != nil || got.Dec() != c.want || !ok || r.String() != c.want {
				t.Fatalf("got (%v, %v), want %s (reference %v, %v)", &got, err, c.want, r, ok)
			}
		})
	}
}

// TestSpecValues checks the worked numbers of the cover spec, each computed
// here again with math/big.
func TestSpecValues(t *testing.T) {
	t.Run("indexDelta(50%, 8%, 10 days)", func(t *testing.T) {
		const want = "10958904109589041095890410959"
		u, p := times(bigRAY, 50), times(bigRAY, 8)
		up, _ := refMul(u, p)
		upt, _ := refMul(up, bn(864000))
		ref, _ := refDiv(upt, bn(31536000))
		if ref.String() != want {
			t.Fatalf("math/big gives %v, spec says %s", ref, want)
		}
		var c Calc
		got := c.Div(c.Mul(c.Mul(fromBig(t, u), fromBig(t, p)), U64(864000)), U64(31536000))
		if c.Err != nil || got.Dec() != want {
			t.Fatalf("got (%v, %v), want %s", &got, c.Err, want)
		}
	})
	t.Run("spt at 100% utilization", func(t *testing.T) {
		const want = "7513"
		sp, _ := refMul(bn(86400), times(bigRAY, 2))
		ref, _ := refDiv(sp, times(bigRAY, 23))
		if ref.String() != want {
			t.Fatalf("math/big gives %v, spec says %s", ref, want)
		}
		var c Calc
		got := c.Div(c.Mul(U64(86400), fromBig(t, times(bigRAY, 2))), fromBig(t, times(bigRAY, 23)))
		if c.Err != nil || got.Dec() != want {
			t.Fatalf("got (%v, %v), want %s", &got, c.Err, want)
		}
	})
}

func TestConstants(t *testing.T) {
	if RAY.Dec() != bigRAY.String() {
		t.Errorf("RAY = %v", &RAY)
	}
	if HalfRAY.Dec() != bigHalf.String() {
		t.Errorf("HalfRAY = %v", &HalfRAY)
	}
	if Hundred.Dec() != times(bigRAY, 100).String() {
		t.Errorf("Hundred = %v", &Hundred)
	}
	if x := U64(1<<64 - 1); x.Dec() != "18446744073709551615" {
		t.Errorf("U64(2^64-1) = %v", &x)
	}
}

// TestCalcMatchesFunctions checks that every Calc method returns what the
// plain function returns, with and without an error.
func TestCalcMatchesFunctions(t *testing.T) {
	top := fromBig(t, bigMax)
	two, seven := U64(2), U64(7)
	cases := []struct {
		name string
		calc func(c *Calc) Int
		want func() (Int, error)
	}{
		{"Add", func(c *Calc) Int { return c.Add(two, seven) }, func() (Int, error) { return Add(two, seven) }},
		{"Add overflow", func(c *Calc) Int { return c.Add(top, two) }, func() (Int, error) { return Add(top, two) }},
		{"Sub", func(c *Calc) Int { return c.Sub(seven, two) }, func() (Int, error) { return Sub(seven, two) }},
		{"Sub underflow", func(c *Calc) Int { return c.Sub(two, seven) }, func() (Int, error) { return Sub(two, seven) }},
		{"MulInt", func(c *Calc) Int { return c.MulInt(two, seven) }, func() (Int, error) { return MulInt(two, seven) }},
		{"MulInt overflow", func(c *Calc) Int { return c.MulInt(top, two) }, func() (Int, error) { return MulInt(top, two) }},
		{"DivInt", func(c *Calc) Int { return c.DivInt(seven, two) }, func() (Int, error) { return DivInt(seven, two) }},
		{"DivInt by zero", func(c *Calc) Int { return c.DivInt(seven, Int{}) }, func() (Int, error) { return DivInt(seven, Int{}) }},
		{"Mul", func(c *Calc) Int { return c.Mul(RAY, seven) }, func() (Int, error) { return Mul(RAY, seven) }},
		{"Mul overflow", func(c *Calc) Int { return c.Mul(top, two) }, func() (Int, error) { return Mul(top, two) }},
		{"Div", func(c *Calc) Int { return c.Div(seven, two) }, func() (Int, error) { return Div(seven, two) }},
		{"Div by zero", func(c *Calc) Int { return c.Div(seven, Int{}) }, func() (Int, error) { return Div(seven, Int{}) }},
		{"Div overflow", func(c *Calc) Int { return c.Div(top, two) }, func() (Int, error) { return Div(top, two) }},
		{"MulDiv", func(c *Calc) Int { return c.MulDiv(seven, seven, two) }, func() (Int, error) { return MulDiv(seven, seven, two) }},
		{"MulDiv overflow", func(c *Calc) Int { return c.MulDiv(top, two, two) }, func() (Int, error) { return MulDiv(top, two, two) }},
		{"MulDiv by zero", func(c *Calc) Int { return c.MulDiv(two, two, Int{}) }, func() (Int, error) { return MulDiv(two, two, Int{}) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var c Calc
			got := tc.calc(&c)
			want, err := tc.want()
			if c.Err != err {
				t.Fatalf("Calc error %v, function error %v", c.Err, err)
			}
			if err == nil && got != want {
				t.Fatalf("Calc gives %v, function gives %v", &got, &want)
			}
		})
	}
}

// TestCalcStickyError checks that Calc keeps the first error and that later
// successes or failures do not replace it.
func TestCalcStickyError(t *testing.T) {
	top := fromBig(t, bigMax)

	var c Calc
	c.Add(U64(1), U64(2))
	if c.Err != nil {
		t.Fatalf("error after a good step: %v", c.Err)
	}
	c.Div(U64(1), Int{}) // first error
	c.Add(top, U64(1))   // a second, different error
	c.Mul(RAY, RAY)      // and a success
	if c.Err != ErrDivByZero {
		t.Fatalf("Err = %v, want the first error %v", c.Err, ErrDivByZero)
	}

	var d Calc
	d.Sub(U64(0), U64(1))
	d.DivInt(U64(1), Int{})
	if !errors.Is(d.Err, ErrOverflow) {
		t.Fatalf("Err = %v, want %v", d.Err, ErrOverflow)
	}

	// An error in an inner call surfaces even though the outer call succeeds
	// on whatever the inner one returned.
	var e Calc
	e.Add(e.Mul(top, top), U64(0))
	if e.Err != ErrOverflow {
		t.Fatalf("Err = %v, want %v", e.Err, ErrOverflow)
	}
}
