package swap

import (
	"math/big"
	"testing"

	"pgregory.net/rapid"
)

// Differential tests: the engine's 256-bit formulas against an independent
// math/big evaluation of docs/swap.md §2.1 and §2.3, including where a
// checked product or sum would reach 2^256.

var two256 = new(big.Int).Lsh(big.NewInt(1), 256)

// bigAmount draws amounts of every size: small, up to 2^112, up to 2^256.
func bigAmount(t *rapid.T, label string) *big.Int {
	bits := rapid.SampledFrom([]int{8, 32, 64, 112, 180, 256}).Draw(t, label+"Bits")
	b := rapid.SliceOfN(rapid.Byte(), 32, 32).Draw(t, label)
	v := new(big.Int).SetBytes(b)
	return v.Rsh(v, uint(256-bits))
}

func toInt(t *rapid.T, v *big.Int) Int {
	var z Int
	if z.SetFromBig(v) {
		t.Fatalf("%s does not fit 256 bits", v)
	}
	return z
}

// fits reports whether every value is below 2^256.
func fits(vs ...*big.Int) bool {
	for _, v := range vs {
		if v.Cmp(two256) >= 0 {
			return false
		}
	}
	return true
}

func TestDiffGetAmountOut(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in, bIn, bOut := bigAmount(t, "in"), bigAmount(t, "bIn"), bigAmount(t, "bOut")
		fee := rapid.Uint64Range(1, 999).Draw(t, "fee")
		f := new(big.Int).SetUint64(fee)
		inF := new(big.Int).Mul(in, f)
		num := new(big.Int).Mul(inF, bOut)
		bInF := new(big.Int).Mul(bIn, big.NewInt(1000))
		den := new(big.Int).Add(bInF, inF)
		got, err := GetAmountOut(toInt(t, in), toInt(t, bIn), toInt(t, bOut), fee)
		switch {
		case !fits(inF, num, bInF, den):
			if CodeOf(err) != CodeOverflow {
				t.Fatalf("want overflow, got %v %v", got.Dec(), err)
			}
		case den.Sign() == 0:
			if CodeOf(err) != CodeDivisionByZero {
				t.Fatalf("want division_by_zero, got %v", err)
			}
		default:
			want := new(big.Int).Quo(num, den)
			if err != nil || got.ToBig().Cmp(want) != 0 {
				t.Fatalf("getAmountOut = %s %v, want %s", got.Dec(), err, want)
			}
		}
	})
}

func TestDiffGetAmountIn(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		out, bIn, bOut := bigAmount(t, "out"), bigAmount(t, "bIn"), bigAmount(t, "bOut")
		fee := rapid.Uint64Range(1, 999).Draw(t, "fee")
		got, err := GetAmountIn(toInt(t, out), toInt(t, bIn), toInt(t, bOut), fee)
		if out.Cmp(bOut) >= 0 {
			if CodeOf(err) != CodeAmountOutTooLarge {
				t.Fatalf("out ≥ bOut: want amount_out_too_large, got %v", err)
			}
			return
		}
		p := new(big.Int).Mul(bIn, out)
		num := new(big.Int).Mul(p, big.NewInt(1000))
		den := new(big.Int).Mul(new(big.Int).Sub(bOut, out), new(big.Int).SetUint64(fee))
		if !fits(p, num, den) {
			if CodeOf(err) != CodeOverflow {
				t.Fatalf("want overflow, got %s %v", got.Dec(), err)
			}
			return
		}
		want := new(big.Int).Quo(num, den)
		want.Add(want, big.NewInt(1))
		if !fits(want) {
			if CodeOf(err) != CodeOverflow {
				t.Fatalf("+1 overflows: want overflow, got %v", err)
			}
			return
		}
		if err != nil || got.ToBig().Cmp(want) != 0 {
			t.Fatalf("getAmountIn = %s %v, want %s", got.Dec(), err, want)
		}
	})
}

func TestDiffQuote(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, bA, bB := bigAmount(t, "a"), bigAmount(t, "bA"), bigAmount(t, "bB")
		got, err := Quote(toInt(t, a), toInt(t, bA), toInt(t, bB))
		prod := new(big.Int).Mul(a, bB)
		switch {
		case a.Sign() == 0:
			eq(t, "code", CodeOf(err), CodeZeroAmount)
		case bA.Sign() == 0 || bB.Sign() == 0:
			eq(t, "code", CodeOf(err), CodeInsufficientLiquidity)
		case !fits(prod):
			eq(t, "code", CodeOf(err), CodeOverflow)
		default:
			want := prod.Quo(prod, bA)
			if err != nil || got.ToBig().Cmp(want) != 0 {
				t.Fatalf("quote = %s %v, want %s", got.Dec(), err, want)
			}
		}
	})
}

// balance112 draws a pair balance below 2^112 (sometimes 0 or tiny).
func balance112(t *rapid.T, label string) *big.Int {
	bits := rapid.SampledFrom([]int{0, 4, 20, 60, 111, 112}).Draw(t, label+"Bits")
	b := rapid.SliceOfN(rapid.Byte(), 14, 14).Draw(t, label)
	v := new(big.Int).SetBytes(b)
	return v.Rsh(v, uint(112-bits))
}

// TestDiffVirtualBalances checks §2.3 (the MIN formula, and the cache with
// its clipping) against math/big on random pair balances.
func TestDiffVirtualBalances(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := newWorld(t, "A", "B", "C")
		w.ok(0, SetDefaultAllowList{Tokens: []string{"A", "B", "C"}})
		w.ok(0, CreatePair{TokenA: "A", TokenB: "B"}) // jk: K = B, Y = A
		w.ok(0, CreatePair{TokenA: "B", TokenB: "C"}) // ik: K = B, X = C
		jk, ik := w.m.pairs[0], w.m.pairs[1]
		jkY, jkK := balance112(t, "jkA"), balance112(t, "jkB")
		ikK, ikX := balance112(t, "ikB"), balance112(t, "ikC")
		jk.balance0, jk.balance1 = toInt(t, jkY), toInt(t, jkK)
		ik.balance0, ik.balance1 = toInt(t, ikK), toInt(t, ikX)
		const at = 120000
		block := w.m.Block(at)
		cached := rapid.Bool().Draw(t, "cached")
		var c0, c1 *big.Int
		if cached {
			c0, c1 = balance112(t, "c0"), balance112(t, "c1")
			w.m.cache[[2]int{0, 1}] = cacheEntry{balance0: toInt(t, c0), balance1: toInt(t, c1), block: block}
		}
		vp, err := w.m.vpool(jk, ik, block)
		var v0, v1 *big.Int
		if cached {
			v0, v1 = new(big.Int).Set(c0), new(big.Int).Set(c1)
			if v0.Cmp(ikX) >= 0 {
				if v0.Sign() == 0 {
					eq(t, "code", CodeOf(err), CodeDivisionByZero)
					return
				}
				v1.Quo(v1.Mul(v1, ikX), v0)
				v0.Set(ikX)
			}
			if v1.Cmp(jkY) >= 0 {
				if v1.Sign() == 0 {
					eq(t, "code", CodeOf(err), CodeDivisionByZero)
					return
				}
				v0.Quo(v0.Mul(v0, jkY), v1)
				v1.Set(jkY)
			}
		} else {
			mn := ikK
			if jkK.Cmp(mn) < 0 {
				mn = jkK
			}
			maxOne := func(x *big.Int) *big.Int {
				if x.Sign() == 0 {
					return big.NewInt(1)
				}
				return x
			}
			v0 = new(big.Int).Quo(new(big.Int).Mul(ikX, mn), maxOne(ikK))
			v1 = new(big.Int).Quo(new(big.Int).Mul(jkY, mn), maxOne(jkK))
		}
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "x", vp.x, "C")
		eq(t, "y", vp.y, "A")
		if vp.v0.ToBig().Cmp(v0) != 0 || vp.v1.ToBig().Cmp(v1) != 0 {
			t.Fatalf("virtual balances (%s, %s), want (%s, %s)", vp.v0.Dec(), vp.v1.Dec(), v0, v1)
		}
	})
}
