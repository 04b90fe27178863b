package cover

// Command generators for claims: open and resolve.

import (
	"slices"
)

func (h *propHarness) opOpenClaim() {
	m := h.m
	id := h.pickWhere(len(m.covers), "cover", func(i int) bool { return m.covers[i].OpenClaim < 0 })
	owner := h.account("owner")
	asset := "USDC"
	var refs []Int
	if id >= 0 && id < len(m.covers) {
		cv := m.covers[id]
		owner, asset = cv.Owner, m.pools[cv.Pool].PaymentAsset
		refs = []Int{cv.Amount, cv.Amount, cv.Amount, m.pools[cv.Pool].Liquidity}
	}
	var amount Int
	if len(refs) > 0 && !h.chance(4, "claim.any") {
		// a share of the cover, up to all of it
		f, hundred := propU64(h.u(1, 100, "claim.pct")), propU64(100)
		amount.Mul(&refs[0], &f)
		amount.Div(&amount, &hundred)
	} else {
		amount = h.amount("claim.amount", asset, refs...)
	}
	h.apply(h.at(), OpenClaim{As: h.caller(owner), Cover: id, Amount: amount})
}

func (h *propHarness) opResolveClaim() {
	m := h.m
	open := slices.ContainsFunc(m.claims, func(c *Claim) bool { return c.Status == ClaimOpen })
	if !open && len(m.covers) > 0 && !h.chance(4, "resolve.none") {
		h.opOpenClaim()
		return
	}
	id := h.pickWhere(len(m.claims), "claim", func(i int) bool { return m.claims[i].Status == ClaimOpen })
	h.apply(h.at(), ResolveClaim{Claim: id, Accept: !h.chance(3, "reject")})
}
