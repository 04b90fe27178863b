package swap

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// Property tests over random op sequences (docs/swap.md; issue 6): after
// every op, tokens are conserved (minted = held by accounts + pair
// balances + reserves, so no balance ever went negative), every pair's
// totalSupply is lockedShares + Σ LP balances, a failed op changed
// nothing, the active pair of a successful virtual swap is within its
// maximum reserve ratio, and maxVirtualIn is tight.

// tightSlack is how many units of rounding maxVirtualIn may be off by,
// counted in the smallest unit each rounded quantity has: X itself, Y
// (the first quote), token0 (the conversion and the ratio's own floor).
const tightSlack = 3

// roundingSlack converts tightSlack units of Y and of token0 into units
// of X at the virtual and pair prices, plus tightSlack units of X.
func roundingSlack(vp *vpool) Int {
	one := u64(1)
	perY := ceilDiv(vp.v0, vp.v1)
	per0 := perY
	if vp.y == vp.jk.token1 {
		per0 = ceilDiv(*new(Int).Mul(&perY, &vp.jk.balance1), vp.jk.balance0)
	}
	ratioFloor := ceilDiv(*new(Int).Lsh(&vp.jk.balance0, 1), ratioFactor) // token0 units one ratio unit spans
	var s Int
	s.Add(&perY, &per0)
	s.Add(&s, new(Int).Mul(&per0, &ratioFloor))
	s.Mul(&s, new(Int).SetUint64(tightSlack))
	return *s.Add(&s, &one)
}

func ceilDiv(a, b Int) Int {
	if b.IsZero() {
		return a
	}
	var q, r Int
	q.DivMod(&a, &b, &r)
	if !r.IsZero() {
		q.AddUint64(&q, 1)
	}
	return q
}

func TestPropertyRandomOps(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := newHarness(t)
		for range rapid.IntRange(1, 80).Draw(t, "steps") {
			h.advance(t)
			h.step(t, h.drawCommand(t))
		}
	})
}

// step applies cmd and checks every property.
func (h *harness) step(t *rapid.T, cmd Command) {
	before := h.snapshot()
	res, err := h.w.m.Apply(h.at, cmd)
	if err != nil {
		if CodeOf(err) == "" {
			t.Fatalf("%T: untyped error %v", cmd, err)
		}
		if after := h.snapshot(); after != before {
			t.Fatalf("%#v failed (%v) but changed the state:\n%s\n---\n%s", cmd, err, before, after)
		}
	} else {
		h.checkResult(t, cmd, res)
	}
	h.checkBooks(t)
}

// snapshot is everything a command may change, as text: the canonical
// encoding, every cache entry of any block, every account balance.
func (h *harness) snapshot() string {
	m := h.w.m
	var b strings.Builder
	fmt.Fprintf(&b, "%x\n", m.AppendCanonical(nil, h.at))
	keys := make([][2]int, 0, len(m.cache))
	for k := range m.cache {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]int) int { return (a[0]-b[0])*1000 + a[1] - b[1] })
	for _, k := range keys {
		e := m.cache[k]
		fmt.Fprintf(&b, "cache %v %s %s %d\n", k, e.balance0.Dec(), e.balance1.Dec(), e.block)
	}
	for _, a := range append(slices.Clone(genAccounts), "keeper") {
		for _, tok := range genTokens {
			fmt.Fprintf(&b, "%s %s %s\n", a, tok, h.w.balance(a, tok))
		}
	}
	return b.String()
}

// checkBooks checks conservation of every token and of LP shares.
func (h *harness) checkBooks(t *rapid.T) {
	m := h.w.m
	for _, tok := range genTokens {
		var held Int
		for _, a := range append(slices.Clone(genAccounts), "keeper") {
			b := h.w.book.Balance(a, tok)
			held.Add(&held, &b)
		}
		for _, p := range m.pairs {
			if p.has(tok) {
				b := p.bal(tok)
				held.Add(&held, &b)
			}
			r := p.reserves[tok]
			held.Add(&held, &r)
		}
		if minted := h.w.book.Minted(tok); minted != held {
			t.Fatalf("token %s: minted %s, held %s", tok, minted.Dec(), held.Dec())
		}
	}
	for _, p := range m.pairs {
		sum := p.lockedShares
		for _, s := range p.lp {
			sum.Add(&sum, &s)
		}
		if sum != p.totalSupply {
			t.Fatalf("pair %d: totalSupply %s, locked + LP %s", p.id, p.totalSupply.Dec(), sum.Dec())
		}
		if !p.balance0.Lt(&balanceLimit) || !p.balance1.Lt(&balanceLimit) {
			t.Fatalf("pair %d: balance at or above 2^112", p.id)
		}
	}
}

// checkResult checks what a successful op promises.
func (h *harness) checkResult(t *rapid.T, cmd Command, res any) {
	m := h.w.m
	switch c := cmd.(type) {
	case SwapVirtual:
		h.checkRatio(t, m.pairs[c.JK])
	case Swap:
		var legs []RouteResult
		if c.Split {
			legs = res.(*SplitResult).Legs
		} else {
			legs = []RouteResult{*res.(*RouteResult)}
		}
		for _, leg := range legs {
			if leg.Route.Kind == VirtualKind {
				h.checkRatio(t, m.pairs[leg.Route.JK])
			}
		}
	case MaxVirtualIn:
		h.checkTight(t, c, res.(*MaxInResult).AmountIn)
	}
}

func (h *harness) checkRatio(t *rapid.T, jk *pair) {
	rr, err := jk.ratio()
	if err != nil || jk.maxReserveRatio.Lt(&rr) {
		t.Fatalf("pair %d: reserve ratio %s (%v) above its maximum %s after a virtual swap", jk.id, rr.Dec(), err, jk.maxReserveRatio.Dec())
	}
}

// newtonLimit is where the Newton iteration of maxVirtualIn settles. The
// spec's 7 steps from x = v0 can stop short of it (docs/swap.md §2.7):
// then their result x lies above the settled point, which is what
// checkTight holds to the true limit.
func newtonLimit(t *rapid.T, vp *vpool, x Int) Int {
	next, err := maxVirtualInSteps(vp, newtonSteps+1)
	if err != nil || next == x {
		return x
	}
	settled, err := maxVirtualInSteps(vp, 256)
	if err != nil {
		t.Fatal(err)
	}
	var floors Int // the two floor divisions of each step, twice over
	floors.AddUint64(&x, 4)
	if floors.Lt(&settled) {
		t.Fatalf("maxVirtualIn %s stopped below where Newton settles (%s)", x.Dec(), settled.Dec())
	}
	return settled
}

// checkTight checks that a virtual swap of x − slack does not exceed the
// ratio and one of x + slack fails, x being where Newton settles.
func (h *harness) checkTight(t *rapid.T, c MaxVirtualIn, x Int) {
	m := h.w.m
	jk, ik := m.pairs[c.JK], m.pairs[c.IK]
	try := func(a Int) error {
		_, err := m.dryRun(func() (any, error) {
			return m.runVirtual(jk, ik, Trade{Amount: a}, "", "", m.Block(h.at), false)
		})
		return err
	}
	if x.IsZero() {
		return
	}
	vp, err := m.vpool(jk, ik, m.Block(h.at))
	if err != nil {
		t.Fatal(err)
	}
	x = newtonLimit(t, &vp, x)
	slack := roundingSlack(&vp)
	if slack.Lt(&x) {
		var below Int
		below.Sub(&x, &slack)
		if err := try(below); CodeOf(err) == CodeReserveRatioExceeded {
			t.Fatalf("maxVirtualIn %s, but %s already exceeds the ratio", x.Dec(), below.Dec())
		}
	}
	var above Int
	above.Add(&x, &slack)
	if err := try(above); err == nil {
		t.Fatalf("maxVirtualIn %s, but %s still passes (jk %+v, v0 %s, v1 %s, reserves %v, bv %v)", x.Dec(), above.Dec(), jk.pairState, vp.v0.Dec(), vp.v1.Dec(), jk.reserves, jk.baseValues)
	}
}
