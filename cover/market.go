// Package cover is the virtual-pool cover market of docs/formulas.md: pools
// with utilization-priced premiums, LP positions spread over several pools,
// covers on a tick line, claims cut through shared liquidity, and the
// double-entry books behind them.
//
// The engine is pure and deterministic: it never reads a clock, never does
// I/O and never uses floating point. Every command is applied at the time
// it carries and is all-or-nothing: a command that fails returns an *Error
// with a stable code and leaves the market exactly as it was.
package cover

import "github.com/vpool/vpool/ray"

// Market is the whole cover market state.
type Market struct {
	cfg        Config
	frozen     bool
	now        uint64
	assets     []Asset
	strategies []*Strategy
	pools      []*Pool
	positions  []*Position
	covers     []*Cover
	claims     []*Claim
	comps      []*Compensation
	compatible map[[2]int]bool
	overlaps   map[[2]int]Int
	baskets    map[string]*Basket
	books      ledger
	j          journal
	// epoch numbers the commands applied, for save-once journaling.
	epoch uint64
	// exclusive: one goroutine alone uses the market (see Exclusive).
	exclusive bool
}

// New returns an empty market with the default settings of docs/scenario.md.
func New() *Market {
	return &Market{
		cfg:        Config{WithdrawDelay: 14 * Day, MaxLeverage: 12, LeverageFeePerPool: mustPercent("1.5")},
		compatible: map[[2]int]bool{},
		overlaps:   map[[2]int]Int{},
		baskets:    map[string]*Basket{},
		books:      newLedger(),
	}
}

func mustPercent(s string) Int {
	v, err := ray.ParsePercent(s)
	if err != nil {
		panic(err)
	}
	return v
}

// Now is the time of the last command applied.
func (m *Market) Now() uint64 { return m.now }

// Command is one operation of docs/scenario.md, applied with Apply.
type Command interface {
	apply(m *Market, at uint64) (any, error)
}

// Apply applies cmd at time at, all or nothing: on error the market is
// unchanged. The result is the op's result object (nil for none).
func (m *Market) Apply(at uint64, cmd Command) (result any, err error) {
	if at < m.now {
		return nil, fail(CodeTimeWentBackwards, "time %d is before %d", at, m.now)
	}
	m.epoch++
	result, err = cmd.apply(m, at)
	if err != nil {
		m.j.rollback()
		return nil, err
	}
	m.j.reset()
	m.now = at
	return result, nil
}

func pairKey(a, b int) [2]int {
	if a > b {
		a, b = b, a
	}
	return [2]int{a, b}
}

// overlap is the liquidity shared by pools a and b; L when a = b.
func (m *Market) overlap(a, b int) Int {
	if a == b {
		return m.pools[a].Liquidity
	}
	return m.overlaps[pairKey(a, b)]
}

func (m *Market) pool(id int) (*Pool, error) {
	if id < 0 || id >= len(m.pools) {
		return nil, fail(CodePoolNotFound, "no pool %d", id)
	}
	return m.pools[id], nil
}

func (m *Market) strategy(id int) (*Strategy, error) {
	if id < 0 || id >= len(m.strategies) {
		return nil, fail(CodeNotFound, "no strategy %d", id)
	}
	return m.strategies[id], nil
}

func (m *Market) asset(symbol string) error {
	for _, a := range m.assets {
		if a.Symbol == symbol {
			return nil
		}
	}
	return fail(CodeNotFound, "no asset %q", symbol)
}

// owned checks that caller, when given, is owner.
func owned(caller, owner, what string) error {
	if caller != "" && caller != owner {
		return fail(CodeNotOwner, "%s belongs to %s, not %s", what, owner, caller)
	}
	return nil
}
