package cover

// Command generators for positions: open, add, take interests, commit,
// uncommit and remove.

import (
	"math/big"
	"slices"

	"github.com/holiman/uint256"
)

// poolSet is the pools of a new position: mostly a compatible set sharing
// one strategy, sometimes an unsorted, mixed or out-of-range one.
func (h *propHarness) poolSet() []int {
	m := h.m
	n := len(m.pools)
	switch k := h.u(0, 9, "set"); {
	case n == 0 || k == 9:
		out := make([]int, h.u(0, 4, "set.len"))
		for i := range out {
			out[i] = h.pick(n, "set.any")
		}
		return out
	case k == 8:
		id := h.u(0, n-1, "set.dup")
		return []int{id, id}
	case k >= 6:
		var out []int
		for id := range n {
			if h.chance(3, "set.rand") {
				out = append(out, id)
			}
		}
		if len(out) == 0 {
			out = []int{h.u(0, n-1, "set.one")}
		}
		return out
	}
	first := h.u(0, n-1, "set.first")
	set := []int{first}
	want := 1 + h.u(0, 3, "set.size")
	off := h.u(0, n-1, "set.off")
	for i := range n {
		if len(set) >= want {
			break
		}
		c := (off + i) % n
		if slices.Contains(set, c) || m.pools[c].Strategy != m.pools[first].Strategy {
			continue
		}
		ok := true
		for _, s := range set {
			ok = ok && m.compatible[pairKey(s, c)]
		}
		if ok {
			set = append(set, c)
		}
	}
	slices.Sort(set)
	return set
}

func (h *propHarness) strategyAsset(pools []int) string {
	if len(pools) > 0 && pools[0] >= 0 && pools[0] < len(h.m.pools) {
		return h.m.strategies[h.m.pools[pools[0]].Strategy].Asset
	}
	return "USDC"
}

func (h *propHarness) opOpenPosition() {
	owner := h.account("owner")
	pools := h.poolSet()
	asset := h.strategyAsset(pools)
	amount := h.amount("position.amount", asset, h.balanceRef(owner, asset)...)
	at := h.at()
	n := len(h.m.positions)
	res, err := h.apply(at, OpenPosition{Owner: owner, Amount: amount, Pools: pools})
	if err != nil {
		return
	}
	if id := res.(map[string]int)["position"]; id != n {
		h.fatalf("new position has id %d, want %d", id, n)
	}
	if v, _ := h.m.PositionAt(n, at); v.Capital != amount.Dec() || v.Supplied != amount.Dec() {
		h.fatalf("new position %d shows capital %s / supplied %s, deposited %s", n, v.Capital, v.Supplied, amount.Dec())
	}
}

func (h *propHarness) positionAsset(id int) string {
	if id < 0 || id >= len(h.m.positions) {
		return "USDC"
	}
	return h.strategyAsset(h.m.positions[id].Pools)
}

func (h *propHarness) owner(pos int) string {
	if pos < 0 || pos >= len(h.m.positions) {
		return h.account("owner")
	}
	return h.m.positions[pos].Owner
}

// balanceRef is, now and then, the owner's whole balance as a reference
// amount (to spend all of it, or one unit more).
func (h *propHarness) balanceRef(owner, asset string) []Int {
	if h.chance(6, "allBalance") {
		return []Int{h.m.Balance(owner, asset)}
	}
	return nil
}

func (h *propHarness) opAddLiquidity() {
	id := h.pickWhere(len(h.m.positions), "position", func(i int) bool { return !h.m.positions[i].Committed })
	asset := h.positionAsset(id)
	owner := h.owner(id)
	h.apply(h.at(), AddLiquidity{As: h.caller(owner), Position: id, Amount: h.amount("add.amount", asset, h.balanceRef(owner, asset)...)})
}

// opTakeInterests also checks that what is taken is what the view showed.
func (h *propHarness) opTakeInterests() {
	id := h.pickWhere(len(h.m.positions), "position", func(i int) bool { return !h.m.positions[i].Committed })
	at := h.at()
	before, verr := h.m.PositionAt(id, at)
	res, err := h.apply(at, TakeInterests{As: h.caller(h.owner(id)), Position: id})
	if err != nil || verr != nil {
		return
	}
	got := res.(*Interests)
	for i, r := range got.GrossCoverRewards {
		if r.Dec() != before.CoverRewards[i] {
			h.fatalf("takeInterests(%d) took %s cover rewards in pool %d, the view at %d showed %s", id, r.Dec(), before.Pools[i], at, before.CoverRewards[i])
		}
	}
	if got.GrossStrategyRewards.Dec() != before.StrategyRewards {
		h.fatalf("takeInterests(%d) took %s strategy rewards, the view showed %s", id, got.GrossStrategyRewards.Dec(), before.StrategyRewards)
	}
	if after, _ := h.m.PositionAt(id, at); after.Supplied != before.Capital {
		h.fatalf("takeInterests(%d): supplied %s, the view showed capital %s", id, after.Supplied, before.Capital)
	}
}

func (h *propHarness) opCommit() {
	id := h.pickWhere(len(h.m.positions), "position", func(i int) bool { return !h.m.positions[i].Committed })
	h.apply(h.at(), CommitRemoveLiquidity{As: h.caller(h.owner(id)), Position: id})
}

func (h *propHarness) opUncommit() {
	id := h.pickWhere(len(h.m.positions), "position", func(i int) bool { return h.m.positions[i].Committed })
	h.apply(h.at(), UncommitRemoveLiquidity{As: h.caller(h.owner(id)), Position: id})
}

// opRemoveLiquidity also checks that a removal succeeds only once the
// withdrawal delay has passed since the commit.
func (h *propHarness) opRemoveLiquidity() {
	m := h.m
	at := h.at()
	ready := func(i int) bool {
		p := m.positions[i]
		blocked := slices.ContainsFunc(p.Pools, func(id int) bool { return m.pools[id].OngoingClaims > 0 })
		return p.Committed && at >= p.CommitTimestamp+m.cfg.WithdrawDelay && !blocked
	}
	if !slices.ContainsFunc(m.positions, func(p *Position) bool { return ready(p.ID) }) && !h.chance(4, "remove.anyway") {
		h.opCommit()
		return
	}
	id := h.pickWhere(len(m.positions), "position", ready)
	var refs []Int
	var committed bool
	var opens *big.Int
	if id >= 0 && id < len(m.positions) {
		pos := m.positions[id]
		committed = pos.Committed
		opens = new(big.Int).Add(new(big.Int).SetUint64(pos.CommitTimestamp), new(big.Int).SetUint64(m.cfg.WithdrawDelay))
		v, _ := m.PositionAt(id, at)
		c, _ := uint256.FromDecimal(v.Capital)
		refs = append(refs, *c, *c, pos.Supplied)
	}
	_, err := h.apply(at, RemoveLiquidity{As: h.caller(h.owner(id)), Position: id, Amount: h.amount("remove.amount", h.positionAsset(id), refs...)})
	if err == nil && (!committed || opens.Cmp(new(big.Int).SetUint64(at)) > 0) {
		h.fatalf("removeLiquidity(%d) at %d succeeded: committed=%v, withdrawal opens at %s", id, at, committed, opens)
	}
}
