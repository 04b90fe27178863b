package swap

import (
	"encoding/binary"
	"slices"
)

// AppendCanonical appends a canonical binary encoding of the complete swap
// state as of time at to buf: settings, every pair field, token maps in
// sorted key order without zero entries, and the cache entries of at's
// block (older ones have no effect). Equal states encode to equal bytes
// on every machine; it is part of what the state hash is taken of.
// Account balances are not included: they belong to the shared Accounts.
func (m *Market) AppendCanonical(buf []byte, at uint64) []byte {
	e := encoder{buf}
	e.u64(m.blockTime).strs(m.defaultAllowList).u64(m.incentivesPct)
	e.u64(uint64(len(m.pairs)))
	for _, p := range m.pairs {
		e.str(p.token0).str(p.token1).amount(p.balance0).amount(p.balance1)
		e.u64(p.fee).u64(p.vFee).amount(p.maxReserveRatio).amount(p.warningThreshold)
		e.u64(p.blocksDelay).u64(p.lastSwapBlock).bool(p.closed).strs(p.allowList)
		e.book(p.reserves).book(p.baseValues).amount(p.baseValueSum)
		e.amount(p.totalSupply).amount(p.lockedShares).book(p.lp)
	}
	keys := m.liveCache(m.Block(at))
	e.u64(uint64(len(keys)))
	for _, k := range keys {
		c := m.cache[k]
		e.u64(uint64(k[0])).u64(uint64(k[1])).amount(c.balance0).amount(c.balance1).u64(c.block)
	}
	return e.buf
}

type encoder struct{ buf []byte }

func (e *encoder) u64(v uint64) *encoder { e.buf = binary.BigEndian.AppendUint64(e.buf, v); return e }
func (e *encoder) bool(v bool) *encoder {
	if v {
		return e.u64(1)
	}
	return e.u64(0)
}
func (e *encoder) str(s string) *encoder {
	e.u64(uint64(len(s)))
	e.buf = append(e.buf, s...)
	return e
}
func (e *encoder) strs(list []string) *encoder {
	e.u64(uint64(len(list)))
	for _, s := range list {
		e.str(s)
	}
	return e
}
func (e *encoder) amount(a Int) *encoder {
	b := a.Bytes32()
	e.buf = append(e.buf, b[:]...)
	return e
}
func (e *encoder) book(b map[string]Int) *encoder {
	keys := make([]string, 0, len(b))
	for k, a := range b {
		if !a.IsZero() {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	e.u64(uint64(len(keys)))
	for _, k := range keys {
		e.str(k).amount(b[k])
	}
	return e
}
