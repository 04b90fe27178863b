package swap

import (
	"math/big"
	"slices"
)

// View is the swap market's part of the state object (docs/swap.md §5).
type View struct {
	Block      uint64      `json:"block"`
	Swap       Settings    `json:"swap"`
	Pairs      []PairView  `json:"pairs"`
	VPoolCache []CacheView `json:"vpoolCache"`
}

// Settings are the market-wide swap settings shown in the state.
type Settings struct {
	DefaultAllowList   []string `json:"defaultAllowList"`
	IncentivesLimitPct uint64   `json:"incentivesLimitPct"`
}

// PairView is a pair as shown in the state; token maps list non-zero
// entries only.
type PairView struct {
	ID                   int               `json:"id"`
	Token0               string            `json:"token0"`
	Token1               string            `json:"token1"`
	Balance0             string            `json:"balance0"`
	Balance1             string            `json:"balance1"`
	Fee                  uint64            `json:"fee"`
	VFee                 uint64            `json:"vFee"`
	MaxReserveRatio      string            `json:"maxReserveRatio"`
	WarningThreshold     string            `json:"warningThreshold"`
	BlocksDelay          uint64            `json:"blocksDelay"`
	LastSwapBlock        uint64            `json:"lastSwapBlock"`
	Closed               bool              `json:"closed"`
	AllowList            []string          `json:"allowList"`
	Reserves             map[string]string `json:"reserves"`
	ReservesBaseValue    map[string]string `json:"reservesBaseValue"`
	ReservesBaseValueSum string            `json:"reservesBaseValueSum"`
	ReserveRatio         string            `json:"reserveRatio"`
	TotalSupply          string            `json:"totalSupply"`
	LockedShares         string            `json:"lockedShares"`
	LPBalances           map[string]string `json:"lpBalances"`
}

// CacheView is a virtual pool cache entry of the current block.
type CacheView struct {
	JK       int    `json:"jk"`
	IK       int    `json:"ik"`
	Balance0 string `json:"balance0"`
	Balance1 string `json:"balance1"`
	Block    uint64 `json:"block"`
}

// ViewAt is the swap state as seen at time at, changing nothing: cache
// entries of earlier blocks (which no longer apply) are left out.
func (m *Market) ViewAt(at uint64) View {
	block := m.Block(at)
	v := View{
		Block:      block,
		Swap:       Settings{DefaultAllowList: nonNil(m.defaultAllowList), IncentivesLimitPct: m.incentivesPct},
		Pairs:      make([]PairView, len(m.pairs)),
		VPoolCache: []CacheView{},
	}
	for i, p := range m.pairs {
		v.Pairs[i] = p.view()
	}
	for _, k := range m.liveCache(block) {
		e := m.cache[k]
		v.VPoolCache = append(v.VPoolCache, CacheView{JK: k[0], IK: k[1], Balance0: e.balance0.Dec(), Balance1: e.balance1.Dec(), Block: e.block})
	}
	return v
}

// PairAt is one pair's view, or pair_not_found.
func (m *Market) PairAt(id int) (PairView, error) {
	p, err := m.pair(id)
	if err != nil {
		return PairView{}, err
	}
	return p.view(), nil
}

// Pairs is the number of pairs.
func (m *Market) Pairs() int { return len(m.pairs) }

// liveCache lists the cache keys written in block, sorted.
func (m *Market) liveCache(block uint64) [][2]int {
	var keys [][2]int
	for k, e := range m.cache {
		if e.block == block {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b [2]int) int {
		if a[0] != b[0] {
			return a[0] - b[0]
		}
		return a[1] - b[1]
	})
	return keys
}

func (p *pair) view() PairView {
	return PairView{
		ID: p.id, Token0: p.token0, Token1: p.token1,
		Balance0: p.balance0.Dec(), Balance1: p.balance1.Dec(),
		Fee: p.fee, VFee: p.vFee,
		MaxReserveRatio: p.maxReserveRatio.Dec(), WarningThreshold: p.warningThreshold.Dec(),
		BlocksDelay: p.blocksDelay, LastSwapBlock: p.lastSwapBlock, Closed: p.closed,
		AllowList: nonNil(p.allowList), Reserves: decimals(p.reserves), ReservesBaseValue: decimals(p.baseValues),
		ReservesBaseValueSum: p.baseValueSum.Dec(), ReserveRatio: ratioString(p.baseValueSum, p.balance0),
		TotalSupply: p.totalSupply.Dec(), LockedShares: p.lockedShares.Dec(), LPBalances: decimals(p.lp),
	}
}

// ratioString is the reserve ratio in decimal, computed exactly even
// where sum·100000 would not fit in 256 bits.
func ratioString(sum, balance0 Int) string {
	if rr, err := ReserveRatio(sum, balance0); err == nil {
		return rr.Dec()
	}
	num := new(big.Int).Mul(sum.ToBig(), big.NewInt(RatioFactor))
	return num.Quo(num, new(big.Int).Lsh(balance0.ToBig(), 1)).String()
}

func decimals(book map[string]Int) map[string]string {
	out := make(map[string]string, len(book))
	for k, a := range book {
		if !a.IsZero() {
			out[k] = a.Dec()
		}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return slices.Clone(s)
}
