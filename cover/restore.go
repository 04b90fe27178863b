package cover

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrCorrupt reports bytes that are not a canonical market encoding.
var ErrCorrupt = errors.New("cover: not a canonical market encoding")

// Restore rebuilds a market from its canonical encoding (AppendCanonical),
// which doubles as the snapshot format: Restore(m.AppendCanonical(nil))
// encodes back to the same bytes and behaves exactly as m.
func Restore(data []byte) (*Market, error) {
	m := New()
	d := decoder{buf: data}
	m.cfg = Config{WithdrawDelay: d.u64(), MaxLeverage: d.int(), LeverageFeePerPool: d.amount()}
	m.frozen, m.now = d.bool(), d.u64()
	for range d.count() {
		m.assets = append(m.assets, Asset{Symbol: d.str(), Decimals: uint8(d.u64())})
	}
	for i := range d.count() {
		m.strategies = append(m.strategies, &Strategy{ID: i, Asset: d.str(), Compounds: d.bool(),
			FeeRate: d.amount(), PayoutDeductible: d.amount(), RewardIndex: d.amount(),
			IndexAt: d.u64(), PrevIndex: d.amount(), PrevIndexAt: d.u64()})
	}
	for i := range d.count() {
		m.pools = append(m.pools, d.pool(i))
	}
	for i := range d.count() {
		pos := &Position{ID: i, Owner: d.str(), Pools: d.ints(), Supplied: d.amount(), Committed: d.bool(),
			CommitTimestamp: d.u64(), StrategyRewardIndex: d.amount()}
		pos.LP = make([]LPInfo, len(pos.Pools))
		for j := range pos.LP {
			pos.LP[j] = LPInfo{BeginLiquidityIndex: d.amount(), BeginClaimIndex: d.int()}
		}
		m.positions = append(m.positions, pos)
	}
	for i := range d.count() {
		m.covers = append(m.covers, &Cover{ID: i, Pool: d.int(), Owner: d.str(), Amount: d.amount(),
			BeginPremiumRate: d.amount(), LastTick: uint32(d.u64()), OpenClaim: d.int()})
	}
	for i := range d.count() {
		m.claims = append(m.claims, &Claim{ID: i, Cover: d.int(), Amount: d.amount(), Status: ClaimStatus(d.u64()), Compensation: d.int()})
	}
	for i := range d.count() {
		k := &Compensation{ID: i, FromPool: d.int(), Ratio: d.amount(), StrategyIndexBefore: d.amount(), IndexBefore: map[int]Int{}}
		for range d.count() {
			id := d.int()
			k.IndexBefore[id] = d.amount()
		}
		m.comps = append(m.comps, k)
	}
	for range d.count() {
		m.compatible[[2]int{d.int(), d.int()}] = true
	}
	for range d.count() {
		k := [2]int{d.int(), d.int()}
		m.overlaps[k] = d.amount()
	}
	for range d.count() {
		key, amount := d.str(), d.amount()
		if err := m.restoreBasket(key, amount); err != nil {
			d.fail(err)
		}
	}
	d.books(&m.books)
	if d.err == nil && len(d.buf) != 0 {
		d.fail(fmt.Errorf("%d trailing bytes", len(d.buf)))
	}
	if d.err == nil {
		d.err = m.linkPositions()
	}
	if d.err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, d.err)
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
	in := func(id, n int) bool { return id >= 0 && id < n }
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

func allIn(ids []int, n int) bool {
	for _, id := range ids {
		if id < 0 || id >= n {
			return false
		}
	}
	return true
}

func (d *decoder) pool(id int) *Pool {
	p := &Pool{ID: id, PaymentAsset: d.str(), Strategy: d.int(), FeeRate: d.amount(), LeverageFeePerPool: d.amount(),
		Formula: Formula{UOptimal: d.amount(), R0: d.amount(), RSlope1: d.amount(), RSlope2: d.amount()}, Paused: d.bool()}
	p.Slot0 = Slot0{Tick: uint32(d.u64()), SecondsPerTick: d.amount(), CoveredCapital: d.amount(), LastUpdate: d.u64(), LiquidityIndex: d.amount()}
	p.Liquidity, p.Overlapped, p.Compensations, p.OngoingClaims = d.amount(), d.ints(), d.ints(), d.int()
	p.ticks = newTickLine()
	for range d.count() {
		t := uint32(d.u64())
		p.ticks.set(t, d.amount())
	}
	return p
}

func (d *decoder) books(b *ledger) {
	for range d.count() {
		h := holding{owner: d.str(), asset: d.str()}
		b.balances[h] = d.amount()
	}
	for _, book := range []map[string]Int{b.premiums, b.minted, b.venuePaid, b.shortfall} {
		for range d.count() {
			k := d.str()
			book[k] = d.amount()
		}
	}
	for range d.count() {
		id := d.int()
		b.strategy[id] = d.amount()
	}
}

// decoder reads what encoder wrote, keeping the first error.
type decoder struct {
	buf []byte
	err error
}

func (d *decoder) fail(err error) {
	if d.err == nil {
		d.err = err
	}
	d.buf = nil
}

func (d *decoder) take(n int) []byte {
	if d.err != nil || n > len(d.buf) {
		d.fail(errors.New("unexpected end"))
		return make([]byte, n)
	}
	b := d.buf[:n]
	d.buf = d.buf[n:]
	return b
}

func (d *decoder) u64() uint64 { return binary.BigEndian.Uint64(d.take(8)) }
func (d *decoder) int() int    { return int(int64(d.u64())) }
func (d *decoder) bool() bool  { return d.u64() != 0 }

// count reads a list length, refusing one longer than the bytes left.
func (d *decoder) count() int {
	n := d.u64()
	if n > uint64(len(d.buf)) {
		d.fail(fmt.Errorf("list of %d entries in %d bytes", n, len(d.buf)))
		return 0
	}
	return int(n)
}

func (d *decoder) str() string { return string(d.take(d.count())) }

func (d *decoder) amount() Int {
	var a Int
	a.SetBytes32(d.take(32))
	return a
}

func (d *decoder) ints() []int {
	n := d.count()
	out := make([]int, n)
	for i := range out {
		out[i] = d.int()
	}
	return out
}
