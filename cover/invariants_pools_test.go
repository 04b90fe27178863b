package cover

// Invariants of the pools: the tick line and covers, baskets, and the
// overlaps between pools.

import (
	"math/big"
	"slices"
)

// checkPool: the tick line (initialized ticks = ticks with non-zero amount,
// sorted), coveredCapital = Σ tickAmount strictly after the current tick,
// every active cover registered at its lastTick, and the pool's lists.
func invCheckPool(m *Market, p *Pool, bad invBad) {
	s := &p.Slot0
	if s.SecondsPerTick.IsZero() {
		bad("pool %d: zero seconds per tick", p.ID)
	}
	if s.LastUpdate > m.now {
		bad("pool %d: lastUpdate %d after market time %d", p.ID, s.LastUpdate, m.now)
	}
	// tick line
	if !slices.IsSorted(p.ticks.inited) {
		bad("pool %d: initialized ticks not sorted: %v", p.ID, p.ticks.inited)
	}
	for i := 1; i < len(p.ticks.inited); i++ {
		if p.ticks.inited[i] == p.ticks.inited[i-1] {
			bad("pool %d: tick %d initialized twice", p.ID, p.ticks.inited[i])
		}
	}
	inited := map[uint32]bool{}
	for _, t := range p.ticks.inited {
		inited[t] = true
		if a := p.ticks.amount[t]; a.IsZero() {
			bad("pool %d: tick %d initialized with zero amount", p.ID, t)
		}
	}
	for t, a := range p.ticks.amount {
		if !a.IsZero() && !inited[t] {
			bad("pool %d: tick %d holds %s but is not initialized", p.ID, t, a.Dec())
		}
		if a.IsZero() {
			bad("pool %d: tick %d stored with zero amount", p.ID, t)
		}
	}
	covered := new(big.Int)
	for _, t := range p.ticks.inited {
		if t > s.Tick {
			covered.Add(covered, invBig(p.ticks.amount[t]))
		}
	}
	if covered.Cmp(invBig(s.CoveredCapital)) != 0 {
		bad("pool %d: coveredCapital %s, Σ tickAmount after tick %d = %s", p.ID, s.CoveredCapital.Dec(), s.Tick, covered)
	}
	// covers: every active cover (tick < lastTick) is in tickAmount[lastTick],
	// and the ticks ahead hold exactly the active covers expiring there.
	ahead := map[uint32]*big.Int{}
	for _, cv := range m.covers {
		if cv.Pool != p.ID || cv.LastTick <= s.Tick {
			continue
		}
		if cv.Amount.IsZero() {
			bad("pool %d: active cover %d has zero amount", p.ID, cv.ID)
		}
		if ahead[cv.LastTick] == nil {
			ahead[cv.LastTick] = new(big.Int)
		}
		ahead[cv.LastTick].Add(ahead[cv.LastTick], invBig(cv.Amount))
		at := p.ticks.amount[cv.LastTick]
		if invBig(at).Cmp(invBig(cv.Amount)) < 0 {
			bad("pool %d: active cover %d (%s, lastTick %d) not in tickAmount %s", p.ID, cv.ID, cv.Amount.Dec(), cv.LastTick, at.Dec())
		}
	}
	for _, t := range p.ticks.inited {
		if t <= s.Tick {
			continue
		}
		want := ahead[t]
		if want == nil {
			want = new(big.Int)
		}
		if at := p.ticks.amount[t]; want.Cmp(invBig(at)) != 0 {
			bad("pool %d: tickAmount[%d] = %s, active covers expiring there sum to %s", p.ID, t, at.Dec(), want)
		}
	}
	// lists
	if !slices.Contains(p.Overlapped, p.ID) {
		bad("pool %d: overlappedPools %v lacks itself", p.ID, p.Overlapped)
	}
	if !invAscending(p.Overlapped) {
		bad("pool %d: overlappedPools %v not strictly ascending", p.ID, p.Overlapped)
	}
	if !invAscending(p.Compensations) {
		bad("pool %d: compensations %v not strictly ascending", p.ID, p.Compensations)
	}
	for _, k := range p.Compensations {
		if k < 0 || k >= len(m.comps) {
			bad("pool %d: unknown compensation %d", p.ID, k)
			continue
		}
		if _, ok := m.comps[k].IndexBefore[p.ID]; !ok {
			bad("pool %d: compensation %d has no index for it", p.ID, k)
		}
	}
	for _, k := range m.comps {
		if _, ok := k.IndexBefore[p.ID]; ok && !slices.Contains(p.Compensations, k.ID) {
			bad("pool %d: compensation %d cut it but is not in its list", p.ID, k.ID)
		}
	}
	open := 0
	for _, cl := range m.claims {
		if cl.Status == ClaimOpen && m.covers[cl.Cover].Pool == p.ID {
			open++
		}
	}
	if open != p.OngoingClaims {
		bad("pool %d: ongoingClaims %d, open claims on its covers %d", p.ID, p.OngoingClaims, open)
	}
}

// checkBaskets: the basket map, the pools' basket lists and the positions'
// basket pointers agree.
func invCheckBaskets(m *Market, bad invBad) {
	for key, b := range m.baskets {
		if basketKey(b.Pools) != key {
			bad("basket %q holds pools %v", key, b.Pools)
		}
		if !invAscending(b.Pools) {
			bad("basket %q pools not ascending", key)
		}
		for _, id := range b.Pools {
			if id < 0 || id >= len(m.pools) {
				bad("basket %q has unknown pool %d", key, id)
				continue
			}
			if !slices.Contains(m.pools[id].baskets, b) {
				bad("basket %q missing from pool %d's list", key, id)
			}
		}
	}
	for _, p := range m.pools {
		seen := map[*Basket]bool{}
		for _, b := range p.baskets {
			if seen[b] {
				bad("pool %d lists basket %v twice", p.ID, b.Pools)
			}
			seen[b] = true
			if m.baskets[basketKey(b.Pools)] != b || !slices.Contains(b.Pools, p.ID) {
				bad("pool %d lists a stray basket %v", p.ID, b.Pools)
			}
		}
	}
	for _, pos := range m.positions {
		if pos.basket == nil || m.baskets[basketKey(pos.Pools)] != pos.basket {
			bad("position %d: basket pointer does not match pools %v", pos.ID, pos.Pools)
		}
	}
}

// invOverlapSlack is the tolerance of spec §9 for overlap(a, b): one unit per
// payout per basket holding both pools, counting the payouts that cut one
// of those baskets.
func invOverlapSlack(m *Market, a, b int) (sum *big.Int, slack int64) {
	sum = new(big.Int)
	var holders []*Basket
	for _, bk := range m.baskets {
		if slices.Contains(bk.Pools, a) && slices.Contains(bk.Pools, b) {
			holders = append(holders, bk)
			sum.Add(sum, invBig(bk.Amount))
		}
	}
	comps := 0
	for _, k := range m.comps {
		for _, bk := range holders {
			if slices.Contains(bk.Pools, k.FromPool) {
				comps++
				break
			}
		}
	}
	return sum, int64(comps) * int64(len(holders))
}

// checkOverlaps: overlap(p, p) = L (by construction), overlap(A, B) = Σ
// baskets holding both within one unit per payout per basket, and
// overlappedPools records every pair that shares liquidity.
func invCheckOverlaps(m *Market, bad invBad) {
	for a := range m.pools {
		for b := a; b < len(m.pools); b++ {
			o := m.overlap(a, b)
			sum, slack := invOverlapSlack(m, a, b)
			diff := new(big.Int).Sub(invBig(o), sum)
			if diff.CmpAbs(big.NewInt(slack)) > 0 {
				bad("overlap(%d,%d) = %s, Σ baskets = %s: off by %s, slack %d", a, b, o.Dec(), sum, diff, slack)
			}
			if a != b && !o.IsZero() && (!slices.Contains(m.pools[a].Overlapped, b) || !slices.Contains(m.pools[b].Overlapped, a)) {
				bad("pools %d and %d share %s but are not in each other's overlappedPools", a, b, o.Dec())
			}
		}
	}
	for k := range m.overlaps {
		if k[0] >= k[1] || k[0] < 0 || k[1] >= len(m.pools) {
			bad("overlap key %v is not an ordered pair of pools", k)
		}
	}
	for _, bk := range m.baskets {
		for i, a := range bk.Pools {
			for _, b := range bk.Pools[i+1:] {
				if !slices.Contains(m.pools[a].Overlapped, b) {
					bad("basket %v: pool %d does not list %d as overlapped", bk.Pools, a, b)
				}
			}
		}
	}
}
