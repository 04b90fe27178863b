package cover

// Command generators for covers: open and update.

import (
	"math/big"

	"github.com/holiman/uint256"
)

func (h *propHarness) opOpenCover() {
	m := h.m
	owner := h.account("owner")
	pid := h.pickWhere(len(m.pools), "pool", func(i int) bool { a := m.pools[i].available(&m.pools[i].Slot0); return !a.IsZero() })
	at := h.at()
	asset, refs := "USDC", []Int(nil)
	if pid >= 0 && pid < len(m.pools) {
		asset = m.pools[pid].PaymentAsset
		v, _ := m.PoolAt(pid, at)
		a, _ := uint256.FromDecimal(v.AvailableLiquidity)
		l, _ := uint256.FromDecimal(v.TotalLiquidity)
		refs = []Int{*a, *a, *l}
	}
	amount := h.amount("cover.amount", asset, refs...)
	if c := h.coverCap(pid); c.Lt(&amount) {
		amount = c
	}
	premiums := h.premiums("cover.premiums", asset, amount)
	n := len(m.covers)
	res, err := h.apply(at, OpenCover{Owner: owner, Pool: pid, Amount: amount, Premium: premiums})
	if err != nil {
		return
	}
	if id := res.(map[string]int)["cover"]; id != n {
		h.fatalf("new cover has id %d, want %d", id, n)
	}
	cv := m.covers[n]
	if !cv.Amount.Eq(&amount) || cv.LastTick <= m.pools[pid].Slot0.Tick {
		h.fatalf("new cover %d: amount %s (asked %s), lastTick %d at tick %d", n, cv.Amount.Dec(), amount.Dec(), cv.LastTick, m.pools[pid].Slot0.Tick)
	}
}

// coverCap is, in sane markets, the largest cover of pool id whose cover
// info cannot overflow at the pool's top rate: spec §5.3 multiplies
// d0 ≈ amount·beginRate/365 (RAY-scaled) by the current rate P, so
// amount·beginRate·P must stay below 365·2^256 (TestInvariantLargeCoverInfo).
func (h *propHarness) coverCap(id int) Int {
	top := *new(Int).SetAllOne()
	if !h.sane || id < 0 || id >= len(h.m.pools) {
		return top
	}
	f := h.m.pools[id].Formula
	r := new(big.Int).Add(invBig(f.R0), invBig(f.RSlope1))
	r.Add(r, invBig(f.RSlope2))
	limit := new(big.Int).Lsh(big.NewInt(365), 256)
	limit.Div(limit, r.Mul(r, r))
	limit.Rsh(limit, 1)
	if limit.BitLen() > 256 {
		return top
	}
	var c Int
	c.SetFromBig(limit)
	return c
}

func (h *propHarness) opUpdateCover() {
	m := h.m
	at := h.at()
	id := h.pickWhere(len(m.covers), "cover", func(i int) bool {
		cv := m.covers[i]
		return cv.LastTick > m.pools[cv.Pool].Slot0.Tick
	})
	asset, owner := "USDC", h.account("owner")
	var amount, left Int
	if id >= 0 && id < len(m.covers) {
		cv := m.covers[id]
		asset, owner, amount = m.pools[cv.Pool].PaymentAsset, cv.Owner, cv.Amount
		v, _ := m.CoverAt(id, at)
		l, _ := uint256.FromDecimal(v.PremiumsLeft)
		left = *l
	}
	u := UpdateCover{As: h.caller(owner), Cover: id}
	switch h.u(0, 5, "update.cover") {
	case 1, 2:
		u.CoverToAdd = h.amount("coverToAdd", asset, amount)
		if id >= 0 && id < len(m.covers) {
			c := h.coverCap(m.covers[id].Pool)
			var room Int
			if amount.Lt(&c) {
				room.Sub(&c, &amount)
			}
			if room.Lt(&u.CoverToAdd) {
				u.CoverToAdd = room
			}
		}
	case 3, 4:
		u.CoverToRemove = h.amount("coverToRemove", asset, amount)
	case 5:
		u.CoverToAdd = h.amount("coverToAdd", asset, amount)
		u.CoverToRemove = h.amount("coverToRemove", asset, amount)
	}
	switch h.u(0, 6, "update.premiums") {
	case 1, 2:
		u.PremiumsToAdd = h.premiums("premiumsToAdd", asset, amount)
	case 3, 4:
		u.PremiumsToRemove = h.amount("premiumsToRemove", asset, left)
	case 5:
		u.AllPremiums = true
	case 6:
		u.PremiumsToAdd = h.premiums("premiumsToAdd", asset, amount)
		u.PremiumsToRemove = h.amount("premiumsToRemove", asset, left)
	}
	h.apply(at, u)
}
