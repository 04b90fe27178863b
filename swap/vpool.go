package swap

// vpool is a virtual pool (docs/swap.md §1, §2.3): the trader pays x into
// jk's reserves and receives y from jk's balance, priced by the reference
// pair ik through the common token k.
type vpool struct {
	jk, ik  *pair
	k, x, y string
	// v0, v1 are the virtual balances of x (input) and y (output).
	v0, v1 Int
}

// commonToken is the single token jk and ik share; ok is false when they
// share none or both.
func commonToken(jk, ik *pair) (k string, ok bool) {
	n := 0
	for _, t := range []string{ik.token0, ik.token1} {
		if jk.has(t) {
			k = t
			n++
		}
	}
	return k, n == 1
}

// vpool forms the virtual pool (jk, ik) in block: the lock, the common
// token and the allow-list are checked in that order, then the balances
// come from the MIN formula or, within the block of the last trade, from
// the cache clipped to the pairs' balances.
func (m *Market) vpool(jk, ik *pair, block uint64) (vpool, error) {
	if block < satAdd(ik.lastSwapBlock, ik.blocksDelay) {
		return vpool{}, fail(CodeVPoolLocked, "reference pair %d is locked until block %d (block %d)", ik.id, satAdd(ik.lastSwapBlock, ik.blocksDelay), block)
	}
	k, ok := commonToken(jk, ik)
	if !ok {
		return vpool{}, fail(CodeInvalidVPool, "pairs %d (%s) and %d (%s) do not share exactly one token", jk.id, jk.name(), ik.id, ik.name())
	}
	vp := vpool{jk: jk, ik: ik, k: k, x: ik.other(k), y: jk.other(k)}
	if !jk.allows(vp.x) {
		return vpool{}, fail(CodeTokenNotAllowed, "pair %d does not accept %s as a reserve", jk.id, vp.x)
	}
	ikK, ikX, jkK, jkY := ik.bal(k), ik.bal(vp.x), jk.bal(k), jk.bal(vp.y)
	if e, ok := m.cache[[2]int{jk.id, ik.id}]; ok && e.block == block {
		vp.v0, vp.v1 = e.balance0, e.balance1
		if !vp.v0.Lt(&ikX) {
			if vp.v0.IsZero() {
				return vpool{}, errDivByZero("virtual pool cache")
			}
			vp.v1.Div(new(Int).Mul(&vp.v1, &ikX), &vp.v0)
			vp.v0 = ikX
		}
		if !vp.v1.Lt(&jkY) {
			if vp.v1.IsZero() {
				return vpool{}, errDivByZero("virtual pool cache")
			}
			vp.v0.Div(new(Int).Mul(&vp.v0, &jkY), &vp.v1)
			vp.v1 = jkY
		}
		return vp, nil
	}
	mn := minInt(ikK, jkK)
	one := u64(1)
	vp.v0.Div(new(Int).Mul(&ikX, &mn), maxPtr(&ikK, &one))
	vp.v1.Div(new(Int).Mul(&jkY, &mn), maxPtr(&jkK, &one))
	return vp, nil
}

func maxPtr(a, b *Int) *Int {
	if a.Lt(b) {
		return b
	}
	return a
}

// satAdd is a+b, or the largest uint64 when that overflows.
func satAdd(a, b uint64) uint64 {
	if a+b < a {
		return ^uint64(0)
	}
	return a + b
}
