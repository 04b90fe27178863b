package cover

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vpool/vpool/ray"
)

// AddAsset makes a token known to the market.
type AddAsset struct {
	Symbol   string
	Decimals uint8
}

func (a AddAsset) apply(m *Market, _ uint64) (any, error) {
	if a.Symbol == "" || m.asset(a.Symbol) == nil {
		return nil, fail(CodeInvalidArgument, "asset %q is empty or exists", a.Symbol)
	}
	appendTo(&m.j, &m.assets, Asset(a))
	return nil, nil
}

// AddStrategy adds a yield strategy for an asset.
type AddStrategy struct {
	// Name is optional: at most 64 bytes of printable text.
	Name             string
	Asset            string
	Compounds        bool
	FeeRate          Int
	PayoutDeductible Int
}

func (a AddStrategy) apply(m *Market, at uint64) (any, error) {
	if err := m.asset(a.Asset); err != nil {
		return nil, err
	}
	if err := atMostHundred(a.FeeRate, a.PayoutDeductible); err != nil {
		return nil, err
	}
	if err := checkName(a.Name); err != nil {
		return nil, err
	}
	s := &Strategy{ID: len(m.strategies), Name: a.Name, Asset: a.Asset, Compounds: a.Compounds, FeeRate: a.FeeRate,
		PayoutDeductible: a.PayoutDeductible, RewardIndex: ray.RAY, PrevIndex: ray.RAY, IndexAt: at, PrevIndexAt: at}
	appendTo(&m.j, &m.strategies, s)
	return map[string]int{"strategy": s.ID}, nil
}

// maxNameLen bounds a strategy's name, in bytes.
const maxNameLen = 64

// checkName refuses a name that is too long, not UTF-8, or holds control
// characters.
func checkName(name string) error {
	if len(name) > maxNameLen || !utf8.ValidString(name) || strings.IndexFunc(name, unicode.IsControl) >= 0 {
		return fail(CodeInvalidArgument, "name %q: want at most %d bytes of printable text", name, maxNameLen)
	}
	return nil
}

func atMostHundred(rates ...Int) error {
	for _, r := range rates {
		if ray.Hundred.Lt(&r) {
			return fail(CodeInvalidArgument, "rate %s is above 100%%", ray.FormatPercent(r))
		}
	}
	return nil
}

// SetMarket changes market-wide settings; nil fields stay as they are.
type SetMarket struct {
	WithdrawDelay      *uint64
	MaxLeverage        *int
	LeverageFeePerPool *Int
}

func (s SetMarket) apply(m *Market, _ uint64) (any, error) {
	cfg := m.cfg
	if s.WithdrawDelay != nil {
		cfg.WithdrawDelay = *s.WithdrawDelay
	}
	if s.MaxLeverage != nil {
		if *s.MaxLeverage < 1 {
			return nil, fail(CodeInvalidArgument, "maxLeverage must be at least 1")
		}
		cfg.MaxLeverage = *s.MaxLeverage
	}
	if s.LeverageFeePerPool != nil {
		if err := atMostHundred(*s.LeverageFeePerPool); err != nil {
			return nil, err
		}
		cfg.LeverageFeePerPool = *s.LeverageFeePerPool
	}
	set(&m.j, &m.cfg, cfg)
	return nil, nil
}

// Mint credits an account with tokens from outside the market.
type Mint struct {
	To     string
	Asset  string
	Amount Int
}

func (a Mint) apply(m *Market, _ uint64) (any, error) {
	if err := m.asset(a.Asset); err != nil {
		return nil, err
	}
	if a.To == "" {
		return nil, fail(CodeInvalidArgument, "mint needs an account")
	}
	return nil, m.mint(a.To, a.Asset, a.Amount)
}

// CreatePool creates a cover pool (spec §8).
type CreatePool struct {
	PaymentAsset    string
	Strategy        int
	FeeRate         Int
	Formula         Formula
	CompatiblePools []int
}

func (c CreatePool) apply(m *Market, at uint64) (any, error) {
	if err := c.Formula.validate(); err != nil {
		return nil, err
	}
	if err := atMostHundred(c.FeeRate); err != nil {
		return nil, err
	}
	if _, err := m.strategy(c.Strategy); err != nil {
		return nil, fail(CodeInvalidArgument, "no strategy %d", c.Strategy)
	}
	if err := m.asset(c.PaymentAsset); err != nil {
		return nil, fail(CodeInvalidArgument, "no asset %q", c.PaymentAsset)
	}
	id := len(m.pools)
	for _, other := range c.CompatiblePools {
		if other < 0 || other >= id {
			return nil, fail(CodeInvalidArgument, "compatible pool %d does not exist", other)
		}
	}
	p := &Pool{ID: id, PaymentAsset: c.PaymentAsset, Strategy: c.Strategy, FeeRate: c.FeeRate,
		LeverageFeePerPool: m.cfg.LeverageFeePerPool, Formula: c.Formula, Overlapped: []int{id},
		Slot0: Slot0{Tick: 1, SecondsPerTick: ray.U64(MaxSecondsPerTick), LastUpdate: at}, ticks: newTickLine(),
		keepWalks: m.exclusive}
	appendTo(&m.j, &m.pools, p)
	for _, other := range c.CompatiblePools {
		setKey(&m.j, m.compatible, pairKey(id, other), true)
	}
	return map[string]int{"pool": id}, nil
}

// CompatPair says whether two pools may share a position.
type CompatPair struct {
	A, B       int
	Compatible bool
}

// SetCompatibility sets pool pairs (in)compatible.
type SetCompatibility struct{ Pairs []CompatPair }

func (s SetCompatibility) apply(m *Market, _ uint64) (any, error) {
	for _, pr := range s.Pairs {
		if _, err := m.pool(pr.A); err != nil {
			return nil, err
		}
		if _, err := m.pool(pr.B); err != nil {
			return nil, err
		}
		if pr.A == pr.B {
			return nil, fail(CodeInvalidArgument, "a pool is always compatible with itself")
		}
		setKey(&m.j, m.compatible, pairKey(pr.A, pr.B), pr.Compatible)
	}
	return nil, nil
}

// UpdatePoolConfig changes a pool's curve and fee, keeping its premium
// spending continuous (spec §8).
type UpdatePoolConfig struct {
	Pool    int
	FeeRate Int
	Formula Formula
}

func (u UpdatePoolConfig) apply(m *Market, at uint64) (any, error) {
	p, err := m.pool(u.Pool)
	if err != nil {
		return nil, err
	}
	if err := u.Formula.validate(); err != nil {
		return nil, err
	}
	if err := atMostHundred(u.FeeRate); err != nil {
		return nil, err
	}
	if err := m.purge(p, at); err != nil {
		return nil, err
	}
	var c ray.Calc
	s := p.Slot0
	util := Utilization(&c, s.CoveredCapital, p.Liquidity)
	old := p.Formula.PremiumRate(&c, util)
	s.SecondsPerTick = c.Div(c.Mul(s.SecondsPerTick, old), u.Formula.PremiumRate(&c, util))
	if c.Err != nil {
		return nil, arith(c.Err)
	}
	set(&m.j, &p.Formula, u.Formula)
	set(&m.j, &p.FeeRate, u.FeeRate)
	m.setSlot0(p, s)
	return nil, nil
}

// PausePool stops or resumes new covers and liquidity in a pool.
type PausePool struct {
	Pool   int
	Paused bool
}

func (a PausePool) apply(m *Market, _ uint64) (any, error) {
	p, err := m.pool(a.Pool)
	if err != nil {
		return nil, err
	}
	set(&m.j, &p.Paused, a.Paused)
	return nil, nil
}

// Freeze stops (or restarts) every operation that purges a pool.
type Freeze struct{ Frozen bool }

func (f Freeze) apply(m *Market, _ uint64) (any, error) {
	set(&m.j, &m.frozen, f.Frozen)
	return nil, nil
}

// SetStrategyIndex moves a strategy's reward index forward, up to
// MaxStrategyIndex.
type SetStrategyIndex struct {
	Strategy int
	Index    Int
}

// MaxStrategyIndex is the largest strategy reward index, 2^128−1 (about
// 3.4·10^11 times its start, RAY). Below it a strategy's yearly rate
// ((index − previous) · year · 100% / previous / seconds) never leaves
// 256 bits, whatever the indexes and times, and strategy rewards
// (amount · index / previous) can be computed for any amount below 2^128
// base units, for the life of the market.
var MaxStrategyIndex = *new(Int).Rsh(new(Int).SetAllOne(), 128)

func (s SetStrategyIndex) apply(m *Market, at uint64) (any, error) {
	st, err := m.strategy(s.Strategy)
	if err != nil {
		return nil, err
	}
	if s.Index.Lt(&st.RewardIndex) {
		return nil, fail(CodeInvalidArgument, "strategy index may not decrease")
	}
	if MaxStrategyIndex.Lt(&s.Index) {
		return nil, fail(CodeInvalidArgument, "strategy index %s is above %s (2^128−1), the largest whose rate and rewards stay computable", s.Index.Dec(), MaxStrategyIndex.Dec())
	}
	set(&m.j, &st.PrevIndex, st.RewardIndex)
	set(&m.j, &st.PrevIndexAt, st.IndexAt)
	set(&m.j, &st.RewardIndex, s.Index)
	set(&m.j, &st.IndexAt, at)
	return nil, nil
}

// Purge brings a pool's time grid up to the command's time.
type Purge struct{ Pool int }

func (a Purge) apply(m *Market, at uint64) (any, error) {
	p, err := m.pool(a.Pool)
	if err != nil {
		return nil, err
	}
	return nil, m.purge(p, at)
}

// Check does nothing: a point at which to look at the state.
type Check struct{}

func (Check) apply(*Market, uint64) (any, error) { return nil, nil }
