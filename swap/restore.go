package swap

import (
	"errors"
	"fmt"
	"math"

	"github.com/vpool/vpool/internal/canonical"
)

// ErrCorrupt reports bytes that are not a canonical swap market encoding.
var ErrCorrupt = errors.New("swap: not a canonical market encoding")

// Restore rebuilds a market over acc from its canonical encoding
// (AppendCanonical) taken at time at, which doubles as the snapshot
// format: Restore(acc, m.AppendCanonical(nil, at), at) encodes back to the
// same bytes and behaves as m for every command at at or later. Its Now
// is at. Every reference is checked (tokens acc knows, pair ids, pair
// tokens in order, sorted lists, settings the ops could have set, pair
// balances below 2^112, share and base value sums), so damaged bytes are
// refused here rather than failing later; an error wraps ErrCorrupt.
func Restore(acc Accounts, data []byte, at uint64) (*Market, error) {
	m := New(acc)
	d := decoder{canonical.NewReader(data)}
	m.blockTime = d.U64()
	m.defaultAllowList = d.strs()
	m.incentivesPct = d.U64()
	for id := range d.Count() {
		m.pairs = append(m.pairs, d.pair(id))
	}
	var prev [2]int
	for i := range d.Count() {
		k := [2]int{d.int(), d.int()}
		if i > 0 && (k[0] < prev[0] || k[0] == prev[0] && k[1] <= prev[1]) {
			d.Fail(fmt.Errorf("cache entry %v after %v: not strictly ascending", k, prev))
		}
		m.cache[k], prev = cacheEntry{balance0: d.Amount(), balance1: d.Amount(), block: d.U64()}, k
	}
	err := d.End()
	if err == nil {
		err = m.check(at)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	m.now = at
	return m, nil
}

func (d *decoder) pair(id int) *pair {
	p := &pair{id: id, token0: d.Str(), token1: d.Str()}
	p.balance0, p.balance1 = d.Amount(), d.Amount()
	p.fee, p.vFee = d.U64(), d.U64()
	p.maxReserveRatio, p.warningThreshold = d.Amount(), d.Amount()
	p.blocksDelay, p.lastSwapBlock, p.closed = d.U64(), d.U64(), d.bool()
	p.allowList = d.strs()
	p.reserves, p.baseValues, p.baseValueSum = d.book(), d.book(), d.Amount()
	p.totalSupply, p.lockedShares, p.lp = d.Amount(), d.Amount(), d.book()
	return p
}

// check verifies what Restore decoded and indexes the pairs by tokens.
func (m *Market) check(at uint64) error {
	if m.blockTime < 1 {
		return errors.New("blockTime is 0")
	}
	if m.incentivesPct > 100 {
		return fmt.Errorf("incentives limit %d%% is above 100%%", m.incentivesPct)
	}
	if err := m.knownSortedTokens(m.defaultAllowList); err != nil {
		return fmt.Errorf("default allow-list: %v", err)
	}
	for _, p := range m.pairs {
		if err := m.checkPair(p); err != nil {
			return fmt.Errorf("pair %d: %v", p.id, err)
		}
		key := [2]string{p.token0, p.token1}
		if _, dup := m.byTokens[key]; dup {
			return fmt.Errorf("pair %d: a second pair %s", p.id, p.name())
		}
		m.byTokens[key] = p.id
	}
	block := m.Block(at)
	for k, e := range m.cache {
		if k[0] < 0 || k[0] >= len(m.pairs) || k[1] < 0 || k[1] >= len(m.pairs) {
			return fmt.Errorf("cache entry %v names a missing pair", k)
		}
		if e.block != block {
			return fmt.Errorf("cache entry %v is of block %d, not of block %d", k, e.block, block)
		}
		if !e.balance0.Lt(&balanceLimit) || !e.balance1.Lt(&balanceLimit) {
			return fmt.Errorf("cache entry %v reaches 2^112", k)
		}
	}
	return nil
}

// checkPair verifies one decoded pair on its own.
func (m *Market) checkPair(p *pair) error {
	if p.token0 >= p.token1 || !m.acc.HasToken(p.token0) || !m.acc.HasToken(p.token1) {
		return fmt.Errorf("tokens %q, %q are not two known tokens in order", p.token0, p.token1)
	}
	if !p.balance0.Lt(&balanceLimit) || !p.balance1.Lt(&balanceLimit) {
		return errors.New("a balance reaches 2^112")
	}
	if p.fee < 1 || p.fee >= FeeFactor || p.vFee < 1 || p.vFee >= FeeFactor {
		return fmt.Errorf("fees %d, %d are not in 1..999", p.fee, p.vFee)
	}
	if p.maxReserveRatio.IsZero() {
		return errors.New("maxReserveRatio is 0")
	}
	if err := m.knownSortedTokens(p.allowList); err != nil {
		return fmt.Errorf("allow-list: %v", err)
	}
	if p.allows(p.token0) || p.allows(p.token1) {
		return errors.New("the allow-list holds one of the pair's own tokens")
	}
	for _, book := range []map[string]Int{p.reserves, p.baseValues} {
		for t := range book {
			if !m.acc.HasToken(t) || p.has(t) {
				return fmt.Errorf("reserve of %q, which is not a foreign token", t)
			}
		}
	}
	var listed Int
	for _, t := range p.allowList {
		bv := p.baseValues[t]
		if _, over := listed.AddOverflow(&listed, &bv); over {
			return errors.New("the base values overflow")
		}
	}
	if !listed.Eq(&p.baseValueSum) {
		return fmt.Errorf("reservesBaseValueSum %s is not the sum %s of the listed base values", p.baseValueSum.Dec(), listed.Dec())
	}
	if !p.lockedShares.IsZero() && !p.lockedShares.Eq(ptr(u64(LockedShares))) {
		return fmt.Errorf("lockedShares %s is neither 0 nor %d", p.lockedShares.Dec(), LockedShares)
	}
	supply := p.lockedShares
	for _, s := range p.lp {
		if _, over := supply.AddOverflow(&supply, &s); over {
			return errors.New("the LP shares overflow")
		}
	}
	if !supply.Eq(&p.totalSupply) {
		return fmt.Errorf("totalSupply %s is not lockedShares + LP shares %s", p.totalSupply.Dec(), supply.Dec())
	}
	return nil
}

// knownSortedTokens checks that list is strictly ascending and names
// known tokens only.
func (m *Market) knownSortedTokens(list []string) error {
	for i, t := range list {
		if !m.acc.HasToken(t) {
			return fmt.Errorf("unknown token %q", t)
		}
		if i > 0 && list[i-1] >= t {
			return fmt.Errorf("%q after %q: not strictly ascending", t, list[i-1])
		}
	}
	return nil
}

// decoder reads what encoder wrote: the shared canonical reads, and this
// market's ids, flags and objects.
type decoder struct{ canonical.Reader }

// int reads an id, refusing one that does not fit an int.
func (d *decoder) int() int {
	v := d.U64()
	if v > uint64(math.MaxInt) {
		d.Fail(fmt.Errorf("id %d is out of range", v))
		return 0
	}
	return int(v)
}

func (d *decoder) bool() bool {
	switch d.U64() {
	case 0:
		return false
	case 1:
		return true
	}
	d.Fail(errors.New("a flag is neither 0 nor 1"))
	return false
}

func (d *decoder) strs() []string {
	var out []string
	for range d.Count() {
		out = append(out, d.Str())
	}
	return out
}

// book reads a token or account map: keys strictly ascending, amounts
// non-zero, as encoder.book writes it.
func (d *decoder) book() map[string]Int {
	out := map[string]Int{}
	prev := ""
	for i := range d.Count() {
		k, a := d.Str(), d.Amount()
		if i > 0 && k <= prev {
			d.Fail(fmt.Errorf("key %q after %q: not strictly ascending", k, prev))
		}
		if a.IsZero() && d.Err() == nil {
			d.Fail(fmt.Errorf("key %q has a zero amount", k))
		}
		out[k], prev = a, k
	}
	return out
}
