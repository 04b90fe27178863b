package cover

// Invariant checks of spec/cover.md §9 (and the structural facts they rest
// on), read from the market's internal state. They never mutate the market:
// property_test.go and fuzz_test.go call them after every command.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/vpool/vpool/ray"
)

// invSpecCodes are the error codes listed in spec/scenario.md ("Error codes").
// TestInvariantErrorCodesMatchSpec keeps the list in step with the spec.
var invSpecCodes = map[Code]bool{
	"invalid_argument": true, "time_went_backwards": true, "not_found": true, "not_owner": true,
	"zero_amount": true, "insufficient_balance": true, "overflow": true, "frozen": true,
	"pool_not_found": true, "pool_paused": true, "pools_not_ascending": true, "incompatible_pools": true,
	"mixed_strategies": true, "max_leverage_exceeded": true, "position_committed": true,
	"position_not_committed": true, "withdraw_delay_not_reached": true, "pool_has_ongoing_claims": true,
	"insufficient_liquidity": true, "insufficient_capacity": true, "duration_below_one_tick": true,
	"duration_overflow": true, "cover_expired": true, "not_enough_premiums": true,
	"ratio_above_capacity": true, "claim_not_open": true, "claim_already_open": true,
}

func invBig(a Int) *big.Int { return a.ToBig() }

// checkInvariants checks every invariant of spec/cover.md §9 against the
// market's internal state, plus the structural facts the engine relies on
// (tick line, baskets, claims, ids). It returns all violations joined, or
// nil. The premium shortfall is not an error (see invShortfall).
func checkInvariants(m *Market) error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	if len(m.j.undo) != 0 {
		bad("journal holds %d undo entries after Apply", len(m.j.undo))
	}
	invCheckBooks(m, bad)
	invCheckIDs(m, bad)
	for _, p := range m.pools {
		invCheckPool(m, p, bad)
	}
	invCheckBaskets(m, bad)
	invCheckOverlaps(m, bad)
	invCheckPositions(m, bad)
	invCheckClaims(m, bad)
	return errors.Join(errs...)
}

type invBad func(format string, args ...any)

// checkBooks: per asset, Σ balances + premium custody + Σ strategy custody
// (strategies of that asset) = minted + strategy rewards paid by venues.
func invCheckBooks(m *Market, bad invBad) {
	known := map[string]bool{}
	for _, a := range m.assets {
		known[a.Symbol] = true
	}
	lhs, rhs := map[string]*big.Int{}, map[string]*big.Int{}
	add := func(book map[string]*big.Int, asset string, a Int) {
		if !known[asset] && !a.IsZero() {
			bad("books: %s held in unknown asset %q", a.Dec(), asset)
		}
		if book[asset] == nil {
			book[asset] = new(big.Int)
		}
		book[asset].Add(book[asset], invBig(a))
	}
	for h, a := range m.books.balances {
		add(lhs, h.asset, a)
	}
	for asset, a := range m.books.premiums {
		add(lhs, asset, a)
	}
	for id, a := range m.books.strategy {
		if id < 0 || id >= len(m.strategies) {
			bad("books: custody %s for unknown strategy %d", a.Dec(), id)
			continue
		}
		add(lhs, m.strategies[id].Asset, a)
	}
	for asset, a := range m.books.minted {
		add(rhs, asset, a)
	}
	for asset, a := range m.books.venuePaid {
		add(rhs, asset, a)
	}
	for asset := range known {
		l, r := lhs[asset], rhs[asset]
		if l == nil {
			l = new(big.Int)
		}
		if r == nil {
			r = new(big.Int)
		}
		if l.Cmp(r) != 0 {
			bad("books %s: balances+premiums+custody = %s, minted+venuePaid = %s (diff %s)",
				asset, l, r, new(big.Int).Sub(l, r))
		}
	}
	for asset, a := range m.books.shortfall {
		if !known[asset] && !a.IsZero() {
			bad("books: shortfall in unknown asset %q", asset)
		}
	}
}

// invShortfall is the premium rewards owed beyond premium custody, per
// asset (spec §9: a visible counter, expected to stay 0).
func invShortfall(m *Market) map[string]Int {
	out := map[string]Int{}
	for asset, a := range m.books.shortfall {
		if !a.IsZero() {
			out[asset] = a
		}
	}
	return out
}

// checkIDs: objects sit at the index of their id and refer to existing
// objects.
func invCheckIDs(m *Market, bad invBad) {
	for i, s := range m.strategies {
		if s.ID != i {
			bad("strategy at %d has id %d", i, s.ID)
		}
		if s.RewardIndex.Lt(&ray.RAY) {
			bad("strategy %d index %s below RAY", i, s.RewardIndex.Dec())
		}
	}
	for i, p := range m.pools {
		if p.ID != i {
			bad("pool at %d has id %d", i, p.ID)
		}
		if p.Strategy < 0 || p.Strategy >= len(m.strategies) {
			bad("pool %d uses unknown strategy %d", i, p.Strategy)
		}
	}
	for i, pos := range m.positions {
		if pos.ID != i {
			bad("position at %d has id %d", i, pos.ID)
		}
	}
	for i, cv := range m.covers {
		if cv.ID != i {
			bad("cover at %d has id %d", i, cv.ID)
		}
		if cv.Pool < 0 || cv.Pool >= len(m.pools) {
			bad("cover %d in unknown pool %d", i, cv.Pool)
		}
	}
	for i, cl := range m.claims {
		if cl.ID != i {
			bad("claim at %d has id %d", i, cl.ID)
		}
		if cl.Cover < 0 || cl.Cover >= len(m.covers) {
			bad("claim %d on unknown cover %d", i, cl.Cover)
		}
	}
	for i, k := range m.comps {
		if k.ID != i {
			bad("compensation at %d has id %d", i, k.ID)
		}
		if k.FromPool < 0 || k.FromPool >= len(m.pools) {
			bad("compensation %d from unknown pool %d", i, k.FromPool)
		}
		if ray.RAY.Lt(&k.Ratio) {
			bad("compensation %d ratio %s above RAY", i, k.Ratio.Dec())
		}
	}
}

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

func invAscending(v []int) bool {
	for i := 1; i < len(v); i++ {
		if v[i] <= v[i-1] {
			return false
		}
	}
	return true
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

// checkClaims: a cover's open claim and the claim's status agree; accepted
// claims point at their compensation.
func invCheckClaims(m *Market, bad invBad) {
	for _, cv := range m.covers {
		if cv.OpenClaim < 0 {
			continue
		}
		if cv.OpenClaim >= len(m.claims) {
			bad("cover %d: open claim %d does not exist", cv.ID, cv.OpenClaim)
			continue
		}
		if cl := m.claims[cv.OpenClaim]; cl.Cover != cv.ID || cl.Status != ClaimOpen {
			bad("cover %d: open claim %d is on cover %d, status %d", cv.ID, cl.ID, cl.Cover, cl.Status)
		}
	}
	for _, cl := range m.claims {
		cv := m.covers[cl.Cover]
		switch cl.Status {
		case ClaimOpen:
			if cv.OpenClaim != cl.ID {
				bad("claim %d is open but cover %d lists %d", cl.ID, cv.ID, cv.OpenClaim)
			}
			if cl.Compensation != -1 {
				bad("open claim %d has compensation %d", cl.ID, cl.Compensation)
			}
		case ClaimAccepted:
			if cl.Compensation < 0 || cl.Compensation >= len(m.comps) || m.comps[cl.Compensation].FromPool != cv.Pool {
				bad("accepted claim %d has compensation %d", cl.ID, cl.Compensation)
			}
		case ClaimRejected:
			if cl.Compensation != -1 {
				bad("rejected claim %d has compensation %d", cl.ID, cl.Compensation)
			}
		default:
			bad("claim %d has status %d", cl.ID, cl.Status)
		}
		if cl.Amount.IsZero() {
			bad("claim %d has zero amount", cl.ID)
		}
	}
}

// invCustodyGap is, per strategy, Σ capital of its positions − its custody:
// how far the LPs' claims exceed what the strategy holds (positive means
// the last LPs out cannot all be paid in full).
func invCustodyGap(m *Market) map[int]*big.Int {
	out := map[int]*big.Int{}
	for _, s := range m.strategies {
		out[s.ID] = new(big.Int).Neg(invBig(m.books.strategy[s.ID]))
	}
	for _, pos := range m.positions {
		c, _ := invPositionCapital(m, pos)
		s := m.pools[pos.Pools[0]].Strategy
		out[s].Add(out[s], invBig(c))
	}
	return out
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

// checkViewPurity computes every view at each of the times and checks
// that the state (canonical encoding and derived links) is unchanged, that
// views are deterministic, and that the per-object views agree with ViewAt.
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

// TestInvariantErrorCodesMatchSpec checks invSpecCodes and the engine's codes
// against the list in spec/scenario.md (when the spec is beside the repo).
func TestInvariantErrorCodesMatchSpec(t *testing.T) {
	path := filepath.Join("..", "..", "shared", "spec", "scenario.md")
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("no %s beside the repo", path)
	}
	i := strings.Index(string(doc), "## Error codes")
	if i < 0 {
		t.Fatalf("%s has no error code section", path)
	}
	found := regexp.MustCompile("`([a-z_]+)`").FindAllStringSubmatch(string(doc[i:]), -1)
	var spec []string
	for _, f := range found {
		spec = append(spec, f[1])
	}
	var ours []string
	for c := range invSpecCodes {
		ours = append(ours, string(c))
	}
	sort.Strings(spec)
	sort.Strings(ours)
	if !slices.Equal(spec, ours) {
		t.Errorf("spec lists %v\ntests list %v", spec, ours)
	}
	for _, c := range []Code{CodeInvalidArgument, CodeTimeWentBackwards, CodeNotFound, CodeNotOwner, CodeZeroAmount,
		CodeInsufficientBalance, CodeOverflow, CodeFrozen, CodePoolNotFound, CodePoolPaused, CodePoolsNotAscending,
		CodeIncompatiblePools, CodeMixedStrategies, CodeMaxLeverageExceeded, CodePositionCommitted,
		CodePositionNotCommitted, CodeWithdrawDelayNotReached, CodePoolHasOngoingClaims, CodeInsufficientLiquidity,
		CodeInsufficientCapacity, CodeDurationBelowOneTick, CodeDurationOverflow, CodeCoverExpired,
		CodeNotEnoughPremiums, CodeRatioAboveCapacity, CodeClaimNotOpen, CodeClaimAlreadyOpen} {
		if !invSpecCodes[c] {
			t.Errorf("engine code %q is not in the spec", c)
		}
	}
}

// TestInvariantsWorkedCompensation replays the compensation of spec §10 (A:
// 3,000 incl. 1,000 shared with B; B: 2,000; a claim of 1,000 in A) with
// three positions, checks the invariants and the exact amounts after the
// payout, and then withdraws everything.
func TestInvariantsWorkedCompensation(t *testing.T) {
	m := New()
	usdc := func(n uint64) Int { return ray.U64(n * 1_000_000) }
	at := uint64(1_700_000_000)
	do := func(cmd Command) any {
		t.Helper()
		res, err := m.Apply(at, cmd)
		if err != nil {
			t.Fatalf("%s: %v", describeCmd(cmd), err)
		}
		if err := checkInvariants(m); err != nil {
			t.Fatalf("after %s: %v", describeCmd(cmd), err)
		}
		if err := checkViewPurity(m, at, at+Day); err != nil {
			t.Fatal(err)
		}
		return res
	}
	f := Formula{UOptimal: propPct(80, 0), R0: propPct(2, 0), RSlope1: propPct(6, 0), RSlope2: propPct(15, 0)}
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
