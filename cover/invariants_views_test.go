package cover

// Views must not mutate the market: checkViewPurity, and invDigest for the
// derived state the canonical encoding leaves out.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"reflect"
	"slices"
)

// checkViewPurity computes every view at each of the times and checks
// that the state (canonical encoding and derived links) is unchanged, that
// views are deterministic, and that the per-object views (and Shortfall,
// Available and Capital, their integers) agree with ViewAt.
func checkViewPurity(m *Market, times ...uint64) error {
	before, digest := m.AppendCanonical(nil), invDigest(m)
	for _, t := range times {
		v := m.ViewAt(t)
		if again := m.ViewAt(t); !reflect.DeepEqual(v, again) {
			return fmt.Errorf("ViewAt(%d) differs from one call to the next", t)
		}
		for i := range m.pools {
			pv, err := m.PoolAt(i, t)
			if err != nil || !reflect.DeepEqual(pv, v.Pools[i]) {
				return fmt.Errorf("PoolAt(%d, %d) = %+v, %v; ViewAt has %+v", i, t, pv, err, v.Pools[i])
			}
			if a, err := m.Available(i, t); err != nil || a.Dec() != pv.AvailableLiquidity {
				return fmt.Errorf("Available(%d, %d) = %s, %v; PoolAt has %s", i, t, a.Dec(), err, pv.AvailableLiquidity)
			}
		}
		for i := range m.covers {
			cv, err := m.CoverAt(i, t)
			if err != nil || !reflect.DeepEqual(cv, v.Covers[i]) {
				return fmt.Errorf("CoverAt(%d, %d) = %+v, %v; ViewAt has %+v", i, t, cv, err, v.Covers[i])
			}
		}
		for i := range m.positions {
			pv, err := m.PositionAt(i, t)
			if err != nil || !reflect.DeepEqual(pv, v.Positions[i]) {
				return fmt.Errorf("PositionAt(%d, %d) = %+v, %v; ViewAt has %+v", i, t, pv, err, v.Positions[i])
			}
			if c, err := m.Capital(i, t); err != nil || c.Dec() != pv.Capital {
				return fmt.Errorf("Capital(%d, %d) = %s, %v; PositionAt has %s", i, t, c.Dec(), err, pv.Capital)
			}
		}
		for _, a := range m.assets {
			s, want := m.Shortfall(a.Symbol), v.Custody.Shortfall[a.Symbol]
			if got := s.Dec(); got != want && !(s.IsZero() && want == "") {
				return fmt.Errorf("Shortfall(%q) = %s; ViewAt has %q", a.Symbol, got, want)
			}
		}
		_ = m.Counts()
	}
	if after := m.AppendCanonical(nil); !bytes.Equal(before, after) {
		return fmt.Errorf("views changed the canonical encoding (first difference at byte %d)", invFirstDiff(before, after))
	}
	if !bytes.Equal(digest, invDigest(m)) {
		return errors.New("views changed the market's derived state")
	}
	return nil
}

func invFirstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// invDigest encodes the state that AppendCanonical leaves out
// (derived links and lookup tables) so that all-or-nothing can be checked
// on them too.
func invDigest(m *Market) []byte {
	var b bytes.Buffer
	u := func(v uint64) { _ = binary.Write(&b, binary.BigEndian, v) }
	str := func(s string) { u(uint64(len(s))); b.WriteString(s) }
	keys := sortedKeys(m.baskets)
	index := map[*Basket]int{}
	for i, k := range keys {
		index[m.baskets[k]] = i
		str(k)
		u(uint64(len(m.baskets[k].Pools)))
	}
	for _, p := range m.pools {
		u(uint64(p.ID))
		u(uint64(len(p.baskets)))
		for _, bk := range p.baskets {
			i, ok := index[bk]
			if !ok {
				i = -1
			}
			u(uint64(i))
		}
		ts := invSortedKeys32(p.ticks.amount)
		u(uint64(len(ts)))
		for _, t := range ts {
			a := p.ticks.amount[t]
			u(uint64(t))
			bb := a.Bytes32()
			b.Write(bb[:])
		}
	}
	for _, pos := range m.positions {
		i, ok := index[pos.basket]
		if !ok {
			i = -1
		}
		u(uint64(i))
	}
	for _, cv := range m.covers {
		u(uint64(cv.ID))
	}
	for _, k := range m.comps {
		u(uint64(k.ID))
	}
	for _, cl := range m.claims {
		u(uint64(cl.ID))
	}
	// map entries that hold zero: canonically absent, but a rollback
	// should not even leave those behind.
	for _, book := range []map[string]Int{m.books.premiums, m.books.minted, m.books.venuePaid, m.books.shortfall} {
		str(fmt.Sprint(len(book)))
	}
	str(fmt.Sprint(len(m.books.balances), len(m.books.strategy), len(m.overlaps), len(m.compatible)))
	return b.Bytes()
}

func invSortedKeys32[V any](mp map[uint32]V) []uint32 {
	keys := make([]uint32, 0, len(mp))
	for k := range mp {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
