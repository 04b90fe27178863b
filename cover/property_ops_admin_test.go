package cover

// Command generators for the operator's commands: mint, strategy index,
// purge, pause, freeze, compatibility, pool config, new pools and
// strategies, market settings.

import (
	"reflect"
)

func (h *propHarness) opMint() {
	to := h.account("mint.to")
	if h.chance(20, "mint.noOwner") {
		to = ""
	}
	asset := propAssets[h.u(0, len(propAssets)-1, "mint.asset")].Symbol
	if h.chance(20, "mint.badAsset") {
		asset = "XYZ"
	}
	h.apply(h.at(), Mint{To: to, Asset: asset, Amount: h.amount("mint", asset, propPow10(h.fundExp(asset)))})
}

func (h *propHarness) opSetStrategyIndex() {
	m := h.m
	id := h.pick(len(m.strategies), "strategy")
	var cur Int
	if id >= 0 && id < len(m.strategies) {
		cur = m.strategies[id].RewardIndex
	}
	var idx Int
	switch k := h.u(0, 9, "index"); {
	case k == 7:
		idx = cur
	case k == 8 && !cur.IsZero():
		one := propU64(1)
		idx.Sub(&cur, &one)
	case k == 9 && !h.sane:
		idx = h.huge("index")
	default:
		// cur · (1 + f / 10^e): from a hair to +99.9%
		f, p := propU64(h.u(1, 999, "index.f")), propPow10(h.u(3, 12, "index.e"))
		var inc Int
		inc.Mul(&cur, &f)
		inc.Div(&inc, &p)
		idx.Add(&cur, &inc)
	}
	h.apply(h.at(), SetStrategyIndex{Strategy: id, Index: idx})
}

// opPurge also checks that a purge changes nothing a view at its time
// shows: views are refresh() and a purge stores refresh().
func (h *propHarness) opPurge() {
	at := h.at()
	id := h.pick(len(h.m.pools), "pool")
	before := h.m.ViewAt(at)
	if _, err := h.apply(at, Purge{id}); err != nil {
		return
	}
	if after := h.m.ViewAt(at); !reflect.DeepEqual(before, after) {
		h.fatalf("purge(%d) at %d changed the view at that time:\nbefore %+v\nafter  %+v", id, at, before, after)
	}
}

func (h *propHarness) opPause() {
	h.apply(h.at(), PausePool{Pool: h.pick(len(h.m.pools), "pool"), Paused: h.chance(5, "paused")})
}

func (h *propHarness) opFreeze() {
	h.apply(h.at(), Freeze{Frozen: !h.m.frozen || h.chance(3, "freeze.same")})
}

func (h *propHarness) opSetCompatibility() {
	n := len(h.m.pools)
	var pairs []CompatPair
	for range h.u(1, 3, "pairs") {
		a := h.pick(n, "pair.a")
		b := h.pick(n, "pair.b")
		pairs = append(pairs, CompatPair{a, b, !h.chance(3, "pair.incompatible")})
	}
	h.apply(h.at(), SetCompatibility{pairs})
}

func (h *propHarness) opUpdatePoolConfig() {
	h.apply(h.at(), UpdatePoolConfig{Pool: h.pick(len(h.m.pools), "pool"), FeeRate: h.feeRate("pool.fee", 30, false),
		Formula: h.formula(h.sane || !h.chance(6, "formula.invalid"))})
}

func (h *propHarness) opCreatePool() {
	if len(h.m.pools) >= 8 {
		h.apply(h.at(), Check{})
		return
	}
	h.apply(h.at(), h.createPool(h.sane))
}

func (h *propHarness) opAddStrategy() {
	if len(h.m.strategies) >= 5 {
		h.apply(h.at(), Check{})
		return
	}
	h.apply(h.at(), h.addStrategy(h.sane))
}

func (h *propHarness) opSetMarket() {
	var s SetMarket
	if h.chance(2, "set.delay") {
		d := uint64(h.u(0, 20, "set.delay.d")) * Day / 2
		s.WithdrawDelay = &d
	}
	if h.chance(2, "set.lev") {
		l := h.u(0, 12, "set.lev.n")
		if h.sane {
			l = max(l, 2)
		}
		s.MaxLeverage = &l
	}
	if h.chance(2, "set.levFee") {
		f := h.feeRate("set.levFee.pct", 5, false)
		s.LeverageFeePerPool = &f
	}
	h.apply(h.at(), s)
}
