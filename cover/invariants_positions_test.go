package cover

// Invariants of the positions: capitals after compensations, and their
// sums per basket.

import (
	"fmt"
	"math/big"
	"slices"
	"testing"

	"github.com/vpool/vpool/ray"
)

// invPositionCapital is the position's capital after every compensation not
// yet applied (spec §6.2), computed by m.accrue in each of its pools at
// the pool's stored index. Every pool must give the same capital.
func invPositionCapital(m *Market, pos *Position) (Int, error) {
	var capital Int
	for i, id := range pos.Pools {
		p := m.pools[id]
		a, err := m.accrue(p, pos, i, pos.Supplied, p.Slot0.LiquidityIndex)
		if err != nil {
			// accrue fails when rewards overflow; the capital walk alone
			// does not, so compute it on its own.
			a.capital = invCapitalWalk(m, p, pos, i)
		}
		if i > 0 && !a.capital.Eq(&capital) {
			return a.capital, fmt.Errorf("position %d: capital %s in pool %d but %s in pool %d",
				pos.ID, capital.Dec(), pos.Pools[i-1], a.capital.Dec(), id)
		}
		capital = a.capital
	}
	return capital, nil
}

// invCapitalWalk is the capital part of spec §6.2 alone.
func invCapitalWalk(m *Market, p *Pool, pos *Position, i int) Int {
	capital := pos.Supplied
	for _, k := range p.Compensations[pos.LP[i].BeginClaimIndex:] {
		comp := m.comps[k]
		if !slices.Contains(pos.Pools, comp.FromPool) {
			continue
		}
		cut, _ := ray.Mul(capital, comp.Ratio)
		capital.Sub(&capital, &cut)
	}
	return capital
}

// invRelevantComps counts the compensations whose source pool is in pools.
func invRelevantComps(m *Market, pools []int) int {
	n := 0
	for _, k := range m.comps {
		if slices.Contains(pools, k.FromPool) {
			n++
		}
	}
	return n
}

// checkPositions: each position's pools are ascending and its bookmarks in
// range; the capitals of a basket's positions add up to the basket within
// one unit per position per payout (spec §9).
func invCheckPositions(m *Market, bad invBad) {
	sums := map[*Basket]*big.Int{}
	counts := map[*Basket]int{}
	for _, pos := range m.positions {
		if len(pos.LP) != len(pos.Pools) || len(pos.Pools) == 0 {
			bad("position %d: %d bookmarks for %d pools", pos.ID, len(pos.LP), len(pos.Pools))
			continue
		}
		if !invAscending(pos.Pools) {
			bad("position %d: pools %v not ascending", pos.ID, pos.Pools)
		}
		strat := -1
		for i, id := range pos.Pools {
			p := m.pools[id]
			if strat >= 0 && p.Strategy != strat {
				bad("position %d mixes strategies", pos.ID)
			}
			strat = p.Strategy
			lp := pos.LP[i]
			if lp.BeginClaimIndex < 0 || lp.BeginClaimIndex > len(p.Compensations) {
				bad("position %d: claim bookmark %d in pool %d of %d compensations", pos.ID, lp.BeginClaimIndex, id, len(p.Compensations))
			}
			if p.Slot0.LiquidityIndex.Lt(&lp.BeginLiquidityIndex) {
				bad("position %d: begins at index %s in pool %d, past the pool's %s", pos.ID, lp.BeginLiquidityIndex.Dec(), id, p.Slot0.LiquidityIndex.Dec())
			}
		}
		if s := m.strategies[strat]; s.RewardIndex.Lt(&pos.StrategyRewardIndex) {
			bad("position %d: strategy bookmark %s past the strategy's %s", pos.ID, pos.StrategyRewardIndex.Dec(), s.RewardIndex.Dec())
		}
		if !pos.Committed && pos.CommitTimestamp != 0 {
			bad("position %d: not committed but commitTimestamp %d", pos.ID, pos.CommitTimestamp)
		}
		if pos.CommitTimestamp > m.now {
			bad("position %d: committed at %d, after market time %d", pos.ID, pos.CommitTimestamp, m.now)
		}
		capital, err := invPositionCapital(m, pos)
		if err != nil {
			bad("%v", err)
		}
		if pos.basket == nil {
			continue
		}
		if sums[pos.basket] == nil {
			sums[pos.basket] = new(big.Int)
		}
		sums[pos.basket].Add(sums[pos.basket], invBig(capital))
		counts[pos.basket]++
	}
	for key, bk := range m.baskets {
		sum := sums[bk]
		if sum == nil {
			sum = new(big.Int)
		}
		slack := int64(counts[bk]) * int64(invRelevantComps(m, bk.Pools))
		diff := new(big.Int).Sub(sum, invBig(bk.Amount))
		if diff.CmpAbs(big.NewInt(slack)) > 0 {
			bad("basket %q = %s, Σ capital of its %d positions = %s: off by %s, slack %d",
				key, bk.Amount.Dec(), counts[bk], sum, diff, slack)
		}
	}
}

// TestInvariantsWorkedCompensation replays the compensation of spec §10 (A:
// 3,000 incl. 1,000 shared with B; B: 2,000; a claim of 1,000 in A) with
// three positions, checks the invariants and the exact amounts after the
// payout, and then withdraws everything.
func TestInvariantsWorkedCompensation(t *testing.T) {
	m := New()
	at := uint64(1_700_000_000)
	do := func(cmd Command) any {
		t.Helper()
		res := applyChecked(t, m, at, cmd)
		if err := checkViewPurity(m, at, at+Day); err != nil {
			t.Fatal(err)
		}
		return res
	}
	f := specCurve()
	zero := uint64(0)
	do(SetMarket{WithdrawDelay: &zero})
	do(AddAsset{Symbol: "USDC", Decimals: 6})
	do(AddStrategy{Asset: "USDC"})
	do(CreatePool{PaymentAsset: "USDC", Formula: f})
	do(CreatePool{PaymentAsset: "USDC", Formula: f, CompatiblePools: []int{0}})
	do(Mint{To: "lp", Asset: "USDC", Amount: usdc(4_000)})
	do(Mint{To: "buyer", Asset: "USDC", Amount: usdc(100)})
	do(OpenPosition{Owner: "lp", Amount: usdc(2_000), Pools: []int{0}})
	do(OpenPosition{Owner: "lp", Amount: usdc(1_000), Pools: []int{0, 1}})
	do(OpenPosition{Owner: "lp", Amount: usdc(1_000), Pools: []int{1}})
	do(OpenCover{Owner: "buyer", Pool: 0, Amount: usdc(1_000), Premium: usdc(100)})
	do(OpenClaim{Cover: 0, Amount: usdc(1_000)})
	do(ResolveClaim{Claim: 0, Accept: true})
	want := map[string]Int{
		"L_A": usdc(2_000), "L_B": ray.U64(1_666_666_667), "overlap(A,B)": ray.U64(666_666_667),
		"capital 0": ray.U64(1_333_333_333), "capital 1": ray.U64(666_666_667), "capital 2": usdc(1_000),
	}
	got := map[string]Int{"L_A": m.pools[0].Liquidity, "L_B": m.pools[1].Liquidity, "overlap(A,B)": m.overlap(0, 1)}
	for i := range 3 {
		c, err := invPositionCapital(m, m.positions[i])
		if err != nil {
			t.Fatal(err)
		}
		got[fmt.Sprint("capital ", i)] = c
	}
	for k, w := range want {
		if g := got[k]; !g.Eq(&w) {
			t.Errorf("%s = %s, want %s", k, g.Dec(), w.Dec())
		}
	}
	for i := range 3 {
		do(CommitRemoveLiquidity{Position: i})
	}
	for i := range 3 {
		v, _ := m.PositionAt(i, at)
		var c Int
		_ = c.SetFromDecimal(v.Capital)
		do(RemoveLiquidity{Position: i, Amount: c})
	}
	if left := m.books.strategy[0]; !left.IsZero() {
		t.Errorf("strategy custody keeps %s after every LP left", left.Dec())
	}
}
