package swap

import "slices"

// pair is a constant-product pool of two tokens (docs/swap.md §1).
type pair struct {
	id             int
	token0, token1 string
	pairState
	// reserves and baseValues are per foreign token; lp per account.
	// Entries are non-zero amounts only.
	reserves   map[string]Int
	baseValues map[string]Int
	lp         map[string]Int
	// savedIn is the epoch in which pairState was last journaled.
	savedIn uint64
}

// pairState is the part of a pair saved whole, once per command.
type pairState struct {
	balance0, balance1 Int
	fee, vFee          uint64
	maxReserveRatio    Int
	warningThreshold   Int
	blocksDelay        uint64
	lastSwapBlock      uint64
	closed             bool
	// allowList is sorted and never changed in place, only replaced.
	allowList    []string
	baseValueSum Int
	totalSupply  Int
	lockedShares Int
}

// ordered returns a and b as (token0, token1): byte-wise order of symbols.
func ordered(a, b string) (string, string) {
	if b < a {
		return b, a
	}
	return a, b
}

// touchPair saves p's scalar state once in the current command.
func (m *Market) touchPair(p *pair) {
	if p.savedIn == m.epoch {
		return
	}
	p.savedIn = m.epoch
	m.j.savePair(p)
	m.touched = append(m.touched, p)
}

// pair returns pair id, or pair_not_found.
func (m *Market) pair(id int) (*pair, error) {
	if id < 0 || id >= len(m.pairs) {
		return nil, fail(CodePairNotFound, "no pair %d", id)
	}
	return m.pairs[id], nil
}

// pairOf returns the pair of tokens a and b, or nil.
func (m *Market) pairOf(a, b string) *pair {
	t0, t1 := ordered(a, b)
	id, ok := m.byTokens[[2]string{t0, t1}]
	if !ok {
		return nil
	}
	return m.pairs[id]
}

// createPair adds the pair of a and b with the default settings.
func (m *Market) createPair(a, b string) (*pair, error) {
	if err := m.token(a); err != nil {
		return nil, err
	}
	if err := m.token(b); err != nil {
		return nil, err
	}
	if a == b {
		return nil, fail(CodeIdenticalTokens, "a pair needs two different tokens, got %q twice", a)
	}
	if m.pairOf(a, b) != nil {
		return nil, fail(CodePairExists, "pair %s/%s exists", a, b)
	}
	t0, t1 := ordered(a, b)
	p := &pair{
		id: len(m.pairs), token0: t0, token1: t1,
		pairState: pairState{
			fee: DefaultFee, vFee: DefaultFee,
			maxReserveRatio: u64(DefaultMaxReserveRatio), warningThreshold: u64(DefaultWarningThreshold),
			blocksDelay: DefaultBlocksDelay,
			allowList:   withoutTokens(m.defaultAllowList, t0, t1),
		},
		reserves: map[string]Int{}, baseValues: map[string]Int{}, lp: map[string]Int{},
	}
	appendTo(&m.j, &m.pairs, p)
	key := [2]string{t0, t1}
	m.j.push(func() { delete(m.byTokens, key) })
	m.byTokens[key] = p.id
	m.touched = append(m.touched, p)
	return p, nil
}

func withoutTokens(list []string, t0, t1 string) []string {
	return slices.DeleteFunc(slices.Clone(list), func(t string) bool { return t == t0 || t == t1 })
}

// has reports whether t is one of p's two tokens.
func (p *pair) has(t string) bool { return t == p.token0 || t == p.token1 }

// other is p's token that is not t (t must be one of p's).
func (p *pair) other(t string) string {
	if t == p.token0 {
		return p.token1
	}
	return p.token0
}

// bal is p's balance of its own token t.
func (p *pair) bal(t string) Int {
	if t == p.token0 {
		return p.balance0
	}
	return p.balance1
}

// setBal stores p's balance of its own token t (p must be touched).
func (p *pair) setBal(t string, v Int) {
	if t == p.token0 {
		p.balance0 = v
	} else {
		p.balance1 = v
	}
}

// allows reports whether t is in p's allow-list.
func (p *pair) allows(t string) bool {
	_, ok := slices.BinarySearch(p.allowList, t)
	return ok
}

// ratio is p's reserve ratio (§2.2).
func (p *pair) ratio() (Int, error) { return ReserveRatio(p.baseValueSum, p.balance0) }

// name is p's tokens, for messages.
func (p *pair) name() string { return p.token0 + "/" + p.token1 }
