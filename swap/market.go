// Package swap is the virtual swap market of docs/swap.md: constant-product
// pairs with LP shares, virtual pools composed from two pairs that share a
// token, reserves of foreign tokens that virtual swaps leave in the active
// pair, the reserve ratio that bounds them, exchange and liquidation of
// reserves, and a router that quotes native and virtual routes.
//
// The engine is pure and deterministic: it never reads a clock, never does
// I/O and never uses floating point; every amount is a checked 256-bit
// integer and rounds exactly as the reference contracts do. Every command
// is applied at the time it carries and is all-or-nothing: a command that
// fails returns an *Error with a stable code and leaves the market (and
// the accounts it shares) exactly as it was.
package swap

import "slices"

// Defaults of docs/swap.md §1 and §3.
const (
	DefaultBlockTime        = 12
	DefaultFee              = 997
	DefaultMaxReserveRatio  = 2000
	DefaultWarningThreshold = 1900
	DefaultBlocksDelay      = 40
	DefaultIncentivesPct    = 1
	// LockedShares are minted to nobody at a pair's first deposit.
	LockedShares = 1000
)

// Market is the whole swap market state: settings, pairs and the
// per-block virtual pool cache. Token balances of accounts live in the
// Accounts it was created with.
type Market struct {
	acc              Accounts
	blockTime        uint64
	defaultAllowList []string
	incentivesPct    uint64
	pairs            []*pair
	byTokens         map[[2]string]int
	cache            map[[2]int]cacheEntry
	now              uint64

	j journal
	// epoch numbers the commands (and dry runs) applied, for save-once
	// journaling of pairs.
	epoch uint64
	// touched and cached are the pairs and cache entries written since the
	// command began; their values must stay below 2^112.
	touched []*pair
	cached  [][2]int
}

// cacheEntry is one virtual pool's balances as last traded in block.
type cacheEntry struct {
	balance0, balance1 Int
	block              uint64
}

// New returns an empty swap market over the given accounts, with the
// defaults of docs/swap.md.
func New(acc Accounts) *Market {
	return &Market{
		acc:           acc,
		blockTime:     DefaultBlockTime,
		incentivesPct: DefaultIncentivesPct,
		byTokens:      map[[2]string]int{},
		cache:         map[[2]int]cacheEntry{},
	}
}

// Now is the time of the last command applied.
func (m *Market) Now() uint64 { return m.now }

// BlockTime is the seconds per block: block(at) = at / BlockTime.
func (m *Market) BlockTime() uint64 { return m.blockTime }

// Block is the block number of time at.
func (m *Market) Block(at uint64) uint64 { return at / m.blockTime }

// Pristine reports whether the market is still as New left it: no pair,
// no setting changed.
func (m *Market) Pristine() bool {
	return len(m.pairs) == 0 && len(m.defaultAllowList) == 0 && m.blockTime == DefaultBlockTime &&
		m.incentivesPct == DefaultIncentivesPct
}

// Command is one swap operation of docs/swap.md §3, applied with Apply.
type Command interface {
	apply(m *Market, at uint64) (any, error)
}

// Apply applies cmd at time at, all or nothing: on error the market and
// the accounts are unchanged. The result is the op's result object (nil
// for none).
func (m *Market) Apply(at uint64, cmd Command) (result any, err error) {
	if at < m.now {
		return nil, fail(CodeTimeWentBackwards, "time %d is before %d", at, m.now)
	}
	m.begin()
	result, err = cmd.apply(m, at)
	if err == nil {
		err = m.checkLimits(0, 0)
	}
	if err != nil {
		m.j.rollbackTo(mark{})
		return nil, err
	}
	m.j.forget()
	m.now = at
	return result, nil
}

func (m *Market) begin() {
	m.epoch++
	m.touched = m.touched[:0]
	m.cached = m.cached[:0]
}

// dryRun runs f as a step would and then undoes everything it wrote,
// returning what it returned. Pair balances and cache values are checked
// against 2^112 as at the end of a step.
func (m *Market) dryRun(f func() (any, error)) (any, error) {
	mark, touched, cached := m.j.mark(), len(m.touched), len(m.cached)
	m.epoch++
	res, err := f()
	if err == nil {
		err = m.checkLimits(touched, cached)
	}
	m.j.rollbackTo(mark)
	m.touched, m.cached = m.touched[:touched], m.cached[:cached]
	m.epoch++
	return res, err
}

// checkLimits fails with overflow when a pair balance or a cache value
// written since the given marks has reached 2^112 (docs/swap.md §3, T9).
func (m *Market) checkLimits(touched, cached int) error {
	for _, p := range m.touched[touched:] {
		if !belowLimit(&p.balance0) || !belowLimit(&p.balance1) {
			return errOverflow("pair balance reaches 2^112")
		}
	}
	for _, k := range m.cached[cached:] {
		e := m.cache[k]
		if !belowLimit(&e.balance0) || !belowLimit(&e.balance1) {
			return errOverflow("virtual pool cache value reaches 2^112")
		}
	}
	return nil
}

// belowLimit reports whether v may be a pair balance or a cache value:
// below 2^112.
func belowLimit(v *Int) bool { return v.Lt(&balanceLimit) }

// setCache stores the cache entry of virtual pool (jk, ik), journaled.
func (m *Market) setCache(jk, ik int, b0, b1 Int, block uint64) {
	k := [2]int{jk, ik}
	old, had := m.cache[k]
	m.j.push(func() {
		if had {
			m.cache[k] = old
		} else {
			delete(m.cache, k)
		}
	})
	m.cache[k] = cacheEntry{balance0: b0, balance1: b1, block: block}
	m.cached = append(m.cached, k)
}

// token checks that symbol is a known token.
func (m *Market) token(symbol string) error {
	if !m.acc.HasToken(symbol) {
		return fail(CodeNotFound, "no token %q", symbol)
	}
	return nil
}

// balance is what owner holds of token.
func (m *Market) balance(owner, token string) Int { return m.acc.Balance(owner, token) }

func (m *Market) setBalance(owner, token string, v Int) {
	old := m.acc.Balance(owner, token)
	m.j.push(func() { m.acc.SetBalance(owner, token, old) })
	m.acc.SetBalance(owner, token, v)
}

// credit pays a of token to owner.
func (m *Market) credit(owner, token string, a Int) error {
	if a.IsZero() {
		return nil
	}
	have := m.balance(owner, token)
	sum, err := add(&have, &a, "credit")
	if err != nil {
		return err
	}
	m.setBalance(owner, token, sum)
	return nil
}

// debit takes a of token from owner, failing with insufficient_balance.
func (m *Market) debit(owner, token string, a Int) error {
	if err := m.needBalance(owner, token, a); err != nil {
		return err
	}
	if a.IsZero() {
		return nil
	}
	have := m.balance(owner, token)
	m.setBalance(owner, token, *have.Sub(&have, &a))
	return nil
}

// needBalance fails with insufficient_balance unless owner holds a of token.
func (m *Market) needBalance(owner, token string, a Int) error {
	have := m.balance(owner, token)
	if have.Lt(&a) {
		return fail(CodeInsufficientBalance, "%s holds %s %s, needs %s", owner, have.Dec(), token, a.Dec())
	}
	return nil
}

// sortedUnique returns tokens sorted, failing on an unknown symbol
// (not_found) or a duplicate (invalid_argument).
func (m *Market) sortedUnique(tokens []string) ([]string, error) {
	for _, t := range tokens {
		if err := m.token(t); err != nil {
			return nil, err
		}
	}
	out := slices.Clone(tokens)
	slices.Sort(out)
	for i := 1; i < len(out); i++ {
		if out[i] == out[i-1] {
			return nil, fail(CodeInvalidArgument, "token %q is listed twice", out[i])
		}
	}
	return out, nil
}
