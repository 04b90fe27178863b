package covergen

import (
	"slices"

	"github.com/vpool/vpool/ray"
)

func (g *generator) openCover() bool {
	for range 3 {
		pool := g.openPool()
		if pool < 0 {
			return false
		}
		asset := g.poolAsset(pool)
		v, err := g.m.PoolAt(pool, g.now)
		if err != nil {
			return false
		}
		avail, least := parseAmount(v.AvailableLiquidity), g.dollars(asset, 100)
		if avail.Lt(&least) {
			continue
		}
		room, share := g.headroom(pool, v), g.between(1000, 6000)
		if room.Lt(&least) {
			if !g.chance(200) {
				continue
			}
			room, share = avail, g.between(100, 1000) // now and then someone buys into a full pool
		}
		amount := minAmount(g.wholeDollars(asset, mulBP(room, share)), avail)
		if amount.Lt(&least) {
			amount = least
		}
		d := g.logUniform(7*day, 365*day)
		premiums := g.premiumsFor(pool, v, amount, d)
		owner := g.buyer()
		if !g.fund(owner, asset, premiums) {
			return true
		}
		if res, err := g.emitOpenCover(owner, pool, amount, premiums, false); err == nil {
			g.addCover(resultID(res, "cover"), owner, pool, g.now+d)
		}
		return true
	}
	return false
}

// updateCover resizes, tops up, draws down or closes an active cover.
func (g *generator) updateCover() bool {
	id, v := g.activeCover(nil)
	if id < 0 {
		return false
	}
	c := &g.covers[id]
	asset := g.poolAsset(c.pool)
	amount, left, daily := parseAmount(v.CoverAmount), parseAmount(v.PremiumsLeft), parseAmount(v.DailyCost)
	var days uint64
	if !daily.IsZero() {
		var q ray.Int
		q.Div(&left, &daily)
		days = q.Uint64()
	}
	paused := g.pools[c.pool].paused
	var addCover, removeCover, addPremiums, removePremiums ray.Int
	closeAll := false
	switch k := g.r.IntN(10); {
	case k < 2 && !paused && days >= 10: // more cover, paid from what is left
		pv, _ := g.m.PoolAt(c.pool, g.now)
		addCover = minAmount(mulBP(amount, g.between(500, 5000)), mulBP(g.headroom(c.pool, pv), 5000))
	case k < 3 && !paused: // more cover and premiums to keep the term
		pv, _ := g.m.PoolAt(c.pool, g.now)
		addCover = minAmount(mulBP(amount, g.between(1000, 10_000)), mulBP(g.headroom(c.pool, pv), 5000))
		addPremiums = mulBP(daily, (days+7)*basisPoints*(basisPoints+g.between(0, 10_000))/basisPoints)
	case k < 4 && !c.openClaim: // less cover
		removeCover = mulBP(amount, g.between(1000, 6000))
	case k < 6 && !paused: // extend by a week to six months
		addPremiums = mulBP(daily, g.between(7, 180)*basisPoints)
	case k < 8 && days >= 6: // draw some premiums back
		removePremiums = mulBP(left, g.between(1000, 5000))
	case k < 9 && !c.openClaim && days >= 6: // less cover, fewer premiums
		removeCover = mulBP(amount, g.between(1000, 5000))
		removePremiums = mulBP(left, g.between(500, 3000))
	default: // close it
		closeAll = true
	}
	addCover, removeCover = g.wholeDollars(asset, addCover), g.wholeDollars(asset, removeCover)
	if addCover.IsZero() && removeCover.IsZero() && addPremiums.IsZero() && removePremiums.IsZero() {
		closeAll = true
	}
	if !addPremiums.IsZero() && !g.fund(c.owner, asset, addPremiums) {
		return true
	}
	g.a.reset()
	g.a.uint("cover", uint64(id))
	switch {
	case !addCover.IsZero():
		g.a.amount("coverToAdd", addCover)
	case !removeCover.IsZero():
		g.a.amount("coverToRemove", removeCover)
	}
	switch {
	case closeAll:
		g.a.text("premiumsToRemove", "max")
	case !addPremiums.IsZero():
		g.a.amount("premiumsToAdd", addPremiums)
	case !removePremiums.IsZero():
		g.a.amount("premiumsToRemove", removePremiums)
	}
	g.as(c.owner)
	if _, err := g.emit("updateCover", false); err == nil {
		g.refreshCover(id)
	}
	return true
}

// openClaim files a claim on an active cover, now and then: about one per
// pool every four months, however many steps the run has.
func (g *generator) openClaim() bool {
	if g.now < g.nextClaim {
		return false
	}
	id, v := g.activeCover(func(c *trackedCover) bool { return !c.openClaim })
	if id < 0 {
		return false
	}
	gap := 120 * day / uint64(max(len(g.pools), 1)) / 5
	g.nextClaim = g.now + g.logUniform(gap, 8*gap)
	c := &g.covers[id]
	pv, err := g.m.PoolAt(c.pool, g.now)
	if err != nil {
		return false
	}
	asset := g.poolAsset(c.pool)
	amount := g.wholeDollars(asset, minAmount(mulBP(parseAmount(v.CoverAmount), g.between(1000, basisPoints)), mulBP(parseAmount(pv.TotalLiquidity), 2500)))
	if amount.IsZero() {
		return false
	}
	g.a.reset()
	g.a.uint("cover", uint64(id))
	g.a.amount("amount", amount)
	g.as(c.owner)
	res, err := g.emit("openClaim", false)
	if err == nil {
		c.openClaim = true
		g.pools[c.pool].openClaims++
		g.claims = append(g.claims, trackedClaim{id: resultID(res, "claim"), cover: id, reviewAt: g.now + g.logUniform(day, 10*day)})
	}
	return true
}

func (g *generator) resolveClaim() bool {
	for i := range g.claims {
		cl := &g.claims[i]
		if cl.reviewAt > g.now {
			continue
		}
		accept := !cl.acceptFail && g.chance(5500)
		g.a.reset()
		g.a.uint("claim", uint64(cl.id))
		g.a.boolean("accept", accept)
		if _, err := g.emit("resolveClaim", false); err != nil {
			cl.acceptFail = accept
			return true
		}
		c := &g.covers[cl.cover]
		c.openClaim = false
		g.pools[c.pool].openClaims--
		g.resolved = append(g.resolved, cl.id)
		if len(g.resolved) > 64 {
			g.resolved = g.resolved[32:]
		}
		g.claims = slices.Delete(g.claims, i, i+1)
		if accept && c.live >= 0 {
			g.refreshCover(cl.cover)
		}
		return true
	}
	return false
}

// emitOpenCover writes an openCover step (planned: meant to fail).
func (g *generator) emitOpenCover(owner string, pool int, amount, premiums ray.Int, planned bool) (any, error) {
	g.a.reset()
	g.a.name("owner", owner)
	g.a.uint("pool", uint64(pool))
	g.a.amount("amount", amount)
	g.a.amount("premiums", premiums)
	return g.emit("openCover", planned)
}
