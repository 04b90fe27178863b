package cover

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/vpool/vpool/internal/canonical"
)

// ErrCorrupt reports bytes that are not a canonical market encoding.
var ErrCorrupt = errors.New("cover: not a canonical market encoding")

// Restore rebuilds a market from its canonical encoding (AppendCanonical),
// which doubles as the snapshot format: Restore(m.AppendCanonical(nil))
// encodes back to the same bytes and behaves exactly as m.
func Restore(data []byte) (*Market, error) {
	m := New()
	d := decoder{canonical.NewReader(data)}
	m.cfg = Config{WithdrawDelay: d.U64(), MaxLeverage: d.int(), LeverageFeePerPool: d.Amount()}
	m.frozen, m.now = d.bool(), d.U64()
	for range d.Count() {
		m.assets = append(m.assets, Asset{Symbol: d.Str(), Decimals: uint8(d.U64())})
	}
	for i := range d.Count() {
		m.strategies = append(m.strategies, &Strategy{ID: i, Asset: d.Str(), Compounds: d.bool(),
			FeeRate: d.Amount(), PayoutDeductible: d.Amount(), RewardIndex: d.Amount(),
			IndexAt: d.U64(), PrevIndex: d.Amount(), PrevIndexAt: d.U64()})
	}
	for i := range d.Count() {
		m.pools = append(m.pools, d.pool(i))
	}
	for i := range d.Count() {
		pos := &Position{ID: i, Owner: d.Str(), Pools: d.ints(), Supplied: d.Amount(), Committed: d.bool(),
			CommitTimestamp: d.U64(), StrategyRewardIndex: d.Amount()}
		pos.LP = make([]LPInfo, len(pos.Pools))
		for j := range pos.LP {
			pos.LP[j] = LPInfo{BeginLiquidityIndex: d.Amount(), BeginClaimIndex: d.int()}
		}
		m.positions = append(m.positions, pos)
	}
	for i := range d.Count() {
		m.covers = append(m.covers, &Cover{ID: i, Pool: d.int(), Owner: d.Str(), Amount: d.Amount(),
			BeginPremiumRate: d.Amount(), LastTick: uint32(d.U64()), OpenClaim: d.int()})
	}
	for i := range d.Count() {
		m.claims = append(m.claims, &Claim{ID: i, Cover: d.int(), Amount: d.Amount(), Status: ClaimStatus(d.U64()), Compensation: d.int()})
	}
	for i := range d.Count() {
		k := &Compensation{ID: i, FromPool: d.int(), Ratio: d.Amount(), StrategyIndexBefore: d.Amount(), IndexBefore: map[int]Int{}}
		for range d.Count() {
			id := d.int()
			k.IndexBefore[id] = d.Amount()
		}
		m.comps = append(m.comps, k)
	}
	for range d.Count() {
		m.compatible[[2]int{d.int(), d.int()}] = true
	}
	for range d.Count() {
		k := [2]int{d.int(), d.int()}
		m.overlaps[k] = d.Amount()
	}
	for range d.Count() {
		key, amount := d.Str(), d.Amount()
		if err := m.restoreBasket(key, amount); err != nil {
			d.Fail(err)
		}
	}
	d.books(&m.books)
	d.names(m.strategies)
	err := d.End()
	if err == nil {
		err = m.linkPositions()
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return m, nil
}

// restoreBasket recreates the basket of the pools listed in key.
func (m *Market) restoreBasket(key string, amount Int) error {
	var pools []int
	for _, field := range strings.Split(key, ",") {
		id, err := strconv.Atoi(field)
		if err != nil || id < 0 || id >= len(m.pools) {
			return fmt.Errorf("basket %q names no pool", key)
		}
		pools = append(pools, id)
	}
	b := &Basket{Pools: pools, Amount: amount}
	m.baskets[key] = b
	for _, id := range pools {
		m.pools[id].baskets = append(m.pools[id].baskets, b)
	}
	return nil
}

// linkPositions points every position at its basket and checks that every
// id the encoding refers to exists, so a damaged snapshot is refused here
// rather than failing later.
func (m *Market) linkPositions() error {
	pools, comps, covers, claims := len(m.pools), len(m.comps), len(m.covers), len(m.claims)
	for _, p := range m.pools {
		if !in(p.Strategy, len(m.strategies)) || !allIn(p.Overlapped, pools) || !allIn(p.Compensations, comps) {
			return fmt.Errorf("pool %d refers to a missing strategy, pool or compensation", p.ID)
		}
	}
	for _, pos := range m.positions {
		if pos.basket = m.baskets[basketKey(pos.Pools)]; pos.basket == nil || len(pos.Pools) == 0 {
			return fmt.Errorf("position %d has no basket", pos.ID)
		}
		for i, id := range pos.Pools {
			if pos.LP[i].BeginClaimIndex < 0 || pos.LP[i].BeginClaimIndex > len(m.pools[id].Compensations) {
				return fmt.Errorf("position %d has a bookmark past pool %d's compensations", pos.ID, id)
			}
		}
	}
	for _, cv := range m.covers {
		if !in(cv.Pool, pools) || cv.OpenClaim != -1 && !in(cv.OpenClaim, claims) {
			return fmt.Errorf("cover %d refers to a missing pool or claim", cv.ID)
		}
	}
	for _, cl := range m.claims {
		if !in(cl.Cover, covers) || cl.Compensation != -1 && !in(cl.Compensation, comps) {
			return fmt.Errorf("claim %d refers to a missing cover or compensation", cl.ID)
		}
	}
	for _, k := range m.comps {
		if !in(k.FromPool, pools) {
			return fmt.Errorf("compensation %d comes from a missing pool", k.ID)
		}
	}
	for _, keys := range [][][2]int{sortedPairs(m.compatible), sortedPairs(m.overlaps)} {
		for _, k := range keys {
			if !in(k[0], pools) || !in(k[1], pools) || k[0] >= k[1] {
				return fmt.Errorf("pool pair %v is not an ordered pair of pools", k)
			}
		}
	}
	return nil
}

// in says whether id is one of n objects' ids (0 to n−1).
func in(id, n int) bool { return id >= 0 && id < n }

func allIn(ids []int, n int) bool {
	for _, id := range ids {
		if !in(id, n) {
			return false
		}
	}
	return true
}

func (d *decoder) pool(id int) *Pool {
	p := &Pool{ID: id, PaymentAsset: d.Str(), Strategy: d.int(), FeeRate: d.Amount(), LeverageFeePerPool: d.Amount(),
		Formula: Formula{UOptimal: d.Amount(), R0: d.Amount(), RSlope1: d.Amount(), RSlope2: d.Amount()}, Paused: d.bool()}
	p.Slot0 = Slot0{Tick: uint32(d.U64()), SecondsPerTick: d.Amount(), CoveredCapital: d.Amount(), LastUpdate: d.U64(), LiquidityIndex: d.Amount()}
	p.Liquidity, p.Overlapped, p.Compensations, p.OngoingClaims = d.Amount(), d.ints(), d.ints(), d.int()
	p.ticks = newTickLine()
	for range d.Count() {
		t := uint32(d.U64())
		p.ticks.set(t, d.Amount())
	}
	return p
}

func (d *decoder) books(b *ledger) {
	for range d.Count() {
		h := holding{owner: d.Str(), asset: d.Str()}
		b.balances[h] = d.Amount()
	}
	for _, book := range []map[string]Int{b.premiums, b.minted, b.venuePaid, b.shortfall} {
		for range d.Count() {
			k := d.Str()
			book[k] = d.Amount()
		}
	}
	for range d.Count() {
		id := d.int()
		b.strategy[id] = d.Amount()
	}
}

// names reads the strategy names section, if there is one: a strategy
// named at most once, in id order, never with an empty name.
func (d *decoder) names(strategies []*Strategy) {
	if d.Left() == 0 {
		return
	}
	if d.Str() != namesTag {
		d.Fail(errors.New("bytes after the books that are not the strategy names"))
		return
	}
	prev := -1
	for range d.Count() {
		id, name := d.int(), d.Str()
		if id <= prev || !in(id, len(strategies)) || name == "" {
			d.Fail(fmt.Errorf("strategy name %q for strategy %d", name, id))
			return
		}
		strategies[id].Name, prev = name, id
	}
}

// decoder reads what encoder wrote: the shared canonical reads, and this
// market's ids, flags and objects.
type decoder struct{ canonical.Reader }

func (d *decoder) int() int   { return int(int64(d.U64())) }
func (d *decoder) bool() bool { return d.U64() != 0 }

func (d *decoder) ints() []int {
	n := d.Count()
	out := make([]int, n)
	for i := range out {
		out[i] = d.int()
	}
	return out
}
