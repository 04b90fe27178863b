package swap

import (
	"math/big"
	"testing"
)

// The worked scenario of docs/swap.md §7: blockTime 12, t0 = 1700000400
// (block 141666700), tokens A, B, C with decimals 0. Every expected number
// below is the spec's.

const t0 = 1700000400

// workedEx1 plays the setup and the first deposits (Ex 1).
func workedEx1(t *testing.T) *world {
	w := newWorld(t, "A", "B", "C")
	w.ok(t0, SetDefaultAllowList{Tokens: []string{"A", "B", "C"}})
	eq(t, "pair", w.ok(t0, CreatePair{TokenA: "A", TokenB: "B"}).(PairResult).Pair, 0)
	eq(t, "pair", w.ok(t0, CreatePair{TokenA: "B", TokenB: "C"}).(PairResult).Pair, 1)
	w.mint("alice", "A", "10000")
	w.mint("alice", "B", "60000")
	w.mint("alice", "C", "5000")
	w.mint("bob", "C", "1000")
	w.mint("carol", "A", "1000")
	w.mint("carol", "B", "5000")
	d := w.ok(t0, PairDeposit{From: "alice", TokenA: "A", TokenB: "B", AmountA: n("10000"), AmountB: n("40000")}).(*DepositResult)
	eq(t, "deposit pair", d.Pair, 0)
	eqInt(t, "shares", d.Shares, "19000")
	d = w.ok(t0, PairDeposit{From: "alice", TokenA: "B", TokenB: "C", AmountA: n("20000"), AmountB: n("5000")}).(*DepositResult)
	eq(t, "deposit pair", d.Pair, 1)
	eqInt(t, "amountA", d.AmountA, "20000")
	eqInt(t, "amountB", d.AmountB, "5000")
	eqInt(t, "shares", d.Shares, "9000")
	p0, p1 := w.pair(0), w.pair(1)
	eq(t, "pair 0 totalSupply", p0.TotalSupply, "20000")
	eq(t, "pair 0 lockedShares", p0.LockedShares, "1000")
	eq(t, "pair 1 totalSupply", p1.TotalSupply, "10000")
	eq(t, "pair 0 allowList", len(p0.AllowList) == 1 && p0.AllowList[0] == "C", true)
	eq(t, "pair 1 allowList", len(p1.AllowList) == 1 && p1.AllowList[0] == "A", true)
	return w
}

func TestWorkedEx1FirstDepositsAndNativeQuote(t *testing.T) {
	w := workedEx1(t)
	q := w.ok(t0, QuoteSwap{TokenIn: "B", TokenOut: "A", Trade: Trade{Amount: n("1000")}, Route: &Route{Pair: 0}}).(*RouteResult)
	eqInt(t, "quote amountOut", q.AmountOut, "243")
	eqInt(t, "quote amountIn", q.AmountIn, "1000")
	eq(t, "route", q.Route.String(), `{"native":0}`)
	in, err := GetAmountIn(n("243"), n("40000"), n("10000"), 997)
	if err != nil {
		t.Fatal(err)
	}
	eqInt(t, "getAmountIn(243)", in, "1000")
	q = w.ok(t0, QuoteSwap{TokenIn: "B", TokenOut: "A", Trade: Trade{ExactOut: true, Amount: n("100")}, Route: &Route{Pair: 0}}).(*RouteResult)
	eqInt(t, "exact-out 100 A costs", q.AmountIn, "406")
}

// workedEx2 continues with the locked and the accepted virtual swap.
func workedEx2(t *testing.T) *world {
	w := workedEx1(t)
	w.fails(t0+468, SwapVirtual{From: "bob", JK: 0, IK: 1, Trade: Trade{Amount: n("300")}}, CodeVPoolLocked)
	r := w.ok(t0+480, SwapVirtual{From: "bob", JK: 0, IK: 1, Trade: Trade{Amount: n("300")}}).(*VirtualResult)
	eq(t, "tokenIn", r.TokenIn, "C")
	eq(t, "tokenOut", r.TokenOut, "A")
	eqInt(t, "amountOut", r.AmountOut, "282")
	eqInt(t, "reserveRatio", r.ReserveRatio, "1543")
	return w
}

func TestWorkedEx2VirtualSwap(t *testing.T) {
	w := workedEx2(t)
	p := w.pair(0)
	eq(t, "reserves C", p.Reserves["C"], "300")
	eq(t, "base value C", p.ReservesBaseValue["C"], "300")
	eq(t, "sum", p.ReservesBaseValueSum, "300")
	eq(t, "balance0", p.Balance0, "9718")
	eq(t, "balance1", p.Balance1, "40000")
	eq(t, "lastSwapBlock", p.LastSwapBlock, uint64(141666740))
	v := w.m.ViewAt(t0 + 480)
	eq(t, "block", v.Block, uint64(141666740))
	eq(t, "cache entries", len(v.VPoolCache), 1)
	eq(t, "cache", v.VPoolCache[0], CacheView{JK: 0, IK: 1, Balance0: "5300", Balance1: "4718", Block: 141666740})
	eq(t, "bob C", w.balance("bob", "C"), "700")
	eq(t, "bob A", w.balance("bob", "A"), "282")
	// In a later block the stale entry is not shown.
	eq(t, "cache later", len(w.m.ViewAt(t0+492).VPoolCache), 0)
}

// workedEx3 continues with carol's deposit while reserves exist.
func workedEx3(t *testing.T) *world {
	w := workedEx2(t)
	d := w.ok(t0+600, PairDeposit{From: "carol", TokenA: "A", TokenB: "B", AmountA: n("1000"), AmountB: n("5000")}).(*DepositResult)
	eqInt(t, "amountA", d.AmountA, "1000")
	eqInt(t, "amountB", d.AmountB, "4116")
	eqInt(t, "shares", d.Shares, "2026")
	return w
}

func TestWorkedEx3DepositWithReserves(t *testing.T) {
	w := workedEx3(t)
	p := w.pair(0)
	eq(t, "balance0", p.Balance0, "10718")
	eq(t, "balance1", p.Balance1, "44116")
	eq(t, "totalSupply", p.TotalSupply, "22026")
	eq(t, "reserveRatio", p.ReserveRatio, "1399")
	eq(t, "carol shares", p.LPBalances["carol"], "2026")
}

func TestWorkedEx4MaxVirtualInQuadratic(t *testing.T) {
	w := workedEx3(t)
	at := uint64(t0 + 1080) // block 141666790
	jk, ik := w.m.pairs[0], w.m.pairs[1]
	vp, err := w.m.vpool(jk, ik, w.m.Block(at))
	if err != nil {
		t.Fatal(err)
	}
	eqInt(t, "v0", vp.v0, "5000")
	eqInt(t, "v1", vp.v1, "4859")
	r := w.ok(at, MaxVirtualIn{JK: 0, IK: 1}).(*MaxInResult)
	eqInt(t, "maxVirtualIn", r.AmountIn, "135")
	w.fails(at, SwapVirtual{From: "bob", JK: 0, IK: 1, Trade: Trade{Amount: n("137")}}, CodeReserveRatioExceeded)
	eq(t, "no cache write", len(w.m.ViewAt(at).VPoolCache), 0)
	// The alternative of the text: 136 C gives 128 A at ratio 1997.
	v := w.ok(at, SwapVirtual{From: "bob", JK: 0, IK: 1, Trade: Trade{Amount: n("136")}}).(*VirtualResult)
	eqInt(t, "amountOut", v.AmountOut, "128")
	eqInt(t, "reserveRatio", v.ReserveRatio, "1997")
	eq(t, "base value", w.pair(0).ReservesBaseValue["C"], "423")
}

// TestWorkedEx4NewtonIterates checks the intermediate Newton points of the
// text: 1704, 425, 149, 135, 135, 135, 135.
func TestWorkedEx4NewtonIterates(t *testing.T) {
	w := workedEx3(t)
	vp, err := w.m.vpool(w.m.pairs[0], w.m.pairs[1], w.m.Block(t0+1080))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"1704", "425", "149", "135", "135", "135", "135"}
	for steps := 1; steps <= newtonSteps; steps++ {
		x, err := maxVirtualInSteps(&vp, steps)
		if err != nil {
			t.Fatal(err)
		}
		eqInt(t, "Newton point", x, want[steps-1])
	}
}

func TestWorkedEx4MaxVirtualInLinear(t *testing.T) {
	w := workedEx1(t)
	at := uint64(t0 + 480) // 40 blocks after the deposits
	r := w.ok(at, MaxVirtualIn{JK: 1, IK: 0}).(*MaxInResult)
	eqInt(t, "maxVirtualIn", r.AmountIn, "200")
	w.mint("dave", "A", "1000")
	w.fails(at, SwapVirtual{From: "dave", JK: 1, IK: 0, Trade: Trade{Amount: n("201")}}, CodeReserveRatioExceeded)
	v := w.ok(at, SwapVirtual{From: "dave", JK: 1, IK: 0, Trade: Trade{Amount: n("200")}}).(*VirtualResult)
	eqInt(t, "reserveRatio", v.ReserveRatio, "2000")
	eq(t, "base value", w.pair(1).ReservesBaseValue["A"], "800")
}

func TestWorkedEx5WithdrawPaysReserves(t *testing.T) {
	w := workedEx3(t)
	r := w.ok(t0+1200, PairWithdraw{From: "alice", TokenA: "A", TokenB: "B", Shares: n("9500")}).(*WithdrawResult)
	eqInt(t, "amountA", r.AmountA, "4622")
	eqInt(t, "amountB", r.AmountB, "19027")
	eq(t, "reserves C", r.Reserves["C"], "129")
	eq(t, "reserves listed", len(r.Reserves), 1)
	p := w.pair(0)
	eq(t, "reserves C left", p.Reserves["C"], "171")
	eq(t, "base value", p.ReservesBaseValue["C"], "171")
	eq(t, "sum", p.ReservesBaseValueSum, "171")
	eq(t, "balance0", p.Balance0, "6096")
	eq(t, "balance1", p.Balance1, "25089")
	eq(t, "totalSupply", p.TotalSupply, "12526")
	eq(t, "alice shares", p.LPBalances["alice"], "9500")
	eq(t, "reserveRatio", p.ReserveRatio, "1402")
	eq(t, "alice C", w.balance("alice", "C"), "129")
}

// TestWorkedScenario plays the whole §7 scenario as written, with the
// step results the text lists.
func TestWorkedScenario(t *testing.T) {
	w := workedEx3(t)
	eqInt(t, "maxVirtualIn", w.ok(t0+1080, MaxVirtualIn{JK: 0, IK: 1}).(*MaxInResult).AmountIn, "135")
	w.fails(t0+1080, SwapVirtual{From: "bob", JK: 0, IK: 1, Trade: Trade{Amount: n("137")}}, CodeReserveRatioExceeded)
	r := w.ok(t0+1200, PairWithdraw{From: "alice", TokenA: "A", TokenB: "B", Shares: n("9500")}).(*WithdrawResult)
	eqInt(t, "amountA", r.AmountA, "4622")
	eqInt(t, "amountB", r.AmountB, "19027")
	eq(t, "reserves C", r.Reserves["C"], "129")
}

// TestMaxVirtualInSevenStepsCanStopShort shows docs/swap.md §2.7's caveat
// on a pool where v1 ≫ v0 (found by TestPropertyRandomOps): the first
// Newton step from x = v0 overshoots far, later steps about halve, and
// the 7 steps end well above the root of a·x² + b·x − c1·c2 = 0, so the
// result overstates what a virtual swap can take. The iterates were worked
// by hand from §2.7 (Python integers); the root is solved here exactly.
func TestMaxVirtualInSevenStepsCanStopShort(t *testing.T) {
	b0, v0, v1 := big.NewInt(9085798), big.NewInt(1245), big.NewInt(120851)
	f, M, r, s := big.NewInt(997), big.NewInt(2000), big.NewInt(0), big.NewInt(0)
	want := []int64{139895, 70580, 35945, 18672, 10123, 6018, 4263}
	for steps := 1; steps <= newtonSteps; steps++ {
		x, err := newtonMaxIn(b0, v0, v1, f, M, r, s, steps)
		if err != nil {
			t.Fatal(err)
		}
		if x.Int64() != want[steps-1] {
			t.Fatalf("Newton point %d: %s, want %d", steps, x, want[steps-1])
		}
	}
	// a = R·v1; b = v0·(v1·(2M + g) − 2·b0·M); c = c1·c2 = (F·v0/f)·(2·b0·M·v0)
	a := new(big.Int).Mul(big.NewInt(RatioFactor), v1)
	g := big.NewInt(FeeFactor * RatioFactor / 997)
	b := new(big.Int).Mul(v1, new(big.Int).Add(new(big.Int).Mul(big.NewInt(2), M), g))
	b.Sub(b, mulBig(big.NewInt(2), b0, M))
	b.Mul(b, v0)
	c := mulBig(new(big.Int).Quo(mulBig(big.NewInt(FeeFactor), v0), f), big.NewInt(2), b0, M, v0)
	disc := new(big.Int).Add(new(big.Int).Mul(b, b), mulBig(big.NewInt(4), a, c))
	root := new(big.Int).Sub(disc.Sqrt(disc), b)
	root.Quo(root, new(big.Int).Mul(big.NewInt(2), a))
	if root.Int64() != 3706 {
		t.Fatalf("root %s, want 3706", root)
	}
	settled, err := newtonMaxIn(b0, v0, v1, f, M, r, s, 64)
	if err != nil {
		t.Fatal(err)
	}
	if d := new(big.Int).Sub(settled, root); d.CmpAbs(big.NewInt(2)) > 0 {
		t.Fatalf("64 steps settle at %s, %s from the root %s", settled, d, root)
	}
}
