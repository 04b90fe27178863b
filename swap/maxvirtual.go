package swap

import "math/big"

// MaxVirtualIn asks for the largest amount of X that the virtual pool
// (JK, IK) can take before JK's reserve ratio reaches its maximum
// (docs/swap.md §2.7, the reference's getMaxVirtualTradeAmountRtoN). It
// changes nothing.
type MaxVirtualIn struct{ JK, IK int }

// MaxInResult is the result of maxVirtualIn.
type MaxInResult struct {
	AmountIn Int `json:"amountIn"`
}

func (q MaxVirtualIn) apply(m *Market, at uint64) (any, error) {
	jk, ik, err := m.pairs2(q.JK, q.IK)
	if err != nil {
		return nil, err
	}
	vp, err := m.vpool(jk, ik, m.Block(at))
	if err != nil {
		return nil, err
	}
	x, err := maxVirtualIn(&vp)
	if err != nil {
		return nil, err
	}
	return &MaxInResult{AmountIn: x}, nil
}

// maxInBound is 10^32, the reference's bound on balances.
var maxInBound = new(big.Int).Exp(big.NewInt(10), big.NewInt(32), nil)

// newtonSteps is the number of Newton steps of §2.7, exactly.
const newtonSteps = 7

// maxVirtualIn is §2.7 on a formed virtual pool.
func maxVirtualIn(vp *vpool) (Int, error) { return maxVirtualInSteps(vp, newtonSteps) }

// maxVirtualInSteps is §2.7 with the given number of Newton steps.
func maxVirtualInSteps(vp *vpool, steps int) (Int, error) {
	jk := vp.jk
	b0, b1 := jk.balance0.ToBig(), jk.balance1.ToBig()
	v0, v1 := vp.v0.ToBig(), vp.v1.ToBig()
	f := new(big.Int).SetUint64(jk.vFee)
	M := jk.maxReserveRatio.ToBig()
	R := big.NewInt(RatioFactor)
	F := big.NewInt(FeeFactor)
	for _, c := range []struct {
		name   string
		v, max *big.Int
	}{{"balance0", b0, maxInBound}, {"balance1", b1, maxInBound}, {"vBalance0", v0, maxInBound},
		{"vBalance1", v1, maxInBound}, {"fee", f, F}, {"maxReserveRatio", M, R}} {
		if c.v.Sign() <= 0 || c.v.Cmp(c.max) > 0 {
			return Int{}, fail(CodeOutOfRange, "maxVirtualIn: %s %s is outside 1..%s", c.name, c.v, c.max)
		}
	}
	res := jk.reserves[vp.x]
	r := res.ToBig()
	bvX := jk.baseValues[vp.x]
	s := new(big.Int).Sub(jk.baseValueSum.ToBig(), bvX.ToBig())
	twoB0M := mulBig(big.NewInt(2), b0, M)
	Rs := mulBig(R, s)
	if Rs.Cmp(twoB0M) >= 0 {
		return Int{}, nil
	}
	var x *big.Int
	if vp.y == jk.token0 {
		if v1.Cmp(b0) > 0 {
			return Int{}, fail(CodeOutOfRange, "maxVirtualIn: vBalance1 %s is above balance0 %s", v1, b0)
		}
		var err error
		if x, err = newtonMaxIn(b0, v0, v1, f, M, r, s, steps); err != nil {
			return Int{}, err
		}
	} else {
		if v1.Cmp(b1) > 0 {
			return Int{}, fail(CodeOutOfRange, "maxVirtualIn: vBalance1 %s is above balance1 %s", v1, b1)
		}
		num := mulBig(b1, v0, new(big.Int).Sub(twoB0M, Rs))
		x = num.Quo(num, mulBig(b0, R, v1))
		x.Sub(x, r)
	}
	if x.Sign() < 0 {
		return Int{}, nil
	}
	var out Int
	if out.SetFromBig(x) {
		return Int{}, errOverflow("maxVirtualIn")
	}
	return out, nil
}

// newtonMaxIn is the quadratic case of §2.7: Newton steps on
// a·x² + b·x − c1·c2 = 0 from x = v0, with the reference's truncations.
func newtonMaxIn(b0, v0, v1, f, M, r, s *big.Int, steps int) (*big.Int, error) {
	R := big.NewInt(RatioFactor)
	a := mulBig(R, v1)
	g := new(big.Int).Quo(big.NewInt(FeeFactor*RatioFactor), f)
	// b = v0·(v1·(2M + g) + R·s − 2·b0·M) + R·r·v1
	b := new(big.Int).Add(mulBig(big.NewInt(2), M), g)
	b.Mul(b, v1)
	b.Add(b, mulBig(R, s))
	b.Sub(b, mulBig(big.NewInt(2), b0, M))
	b.Mul(b, v0)
	b.Add(b, mulBig(R, r, v1))
	c1 := new(big.Int).Quo(mulBig(big.NewInt(FeeFactor), v0), f)
	// c2 = 2·b0·M·v0 − R·(r·v1 + s·v0)
	c2 := mulBig(big.NewInt(2), b0, M, v0)
	c2.Sub(c2, mulBig(R, new(big.Int).Add(mulBig(r, v1), mulBig(s, v0))))
	c2Abs := new(big.Int).Abs(c2)
	x := new(big.Int).Set(v0)
	var d, dAbs, t1, t2 big.Int
	for range steps {
		d.Mul(a, x)
		d.Lsh(&d, 1)
		d.Add(&d, b)
		if d.Sign() == 0 {
			return nil, errDivByZero("maxVirtualIn")
		}
		dAbs.Abs(&d)
		t1.Mul(x, x)
		t1.Mul(&t1, a)
		t1.Quo(&t1, &dAbs)
		t2.Mul(c1, c2Abs)
		t2.Quo(&t2, &dAbs)
		if c2.Sign() >= 0 {
			x.Add(&t1, &t2)
		} else {
			x.Sub(&t1, &t2)
		}
		if d.Sign() < 0 {
			x.Neg(x)
		}
	}
	return x, nil
}

func mulBig(vs ...*big.Int) *big.Int {
	out := big.NewInt(1)
	for _, v := range vs {
		out.Mul(out, v)
	}
	return out
}
