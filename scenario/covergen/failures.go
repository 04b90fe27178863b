package covergen

import (
	"slices"

	"github.com/vpool/vpool/ray"
)

func (g *generator) failOverCapacity() bool {
	pool := g.openPool()
	if pool < 0 {
		return false
	}
	v, err := g.m.PoolAt(pool, g.now)
	if err != nil {
		return false
	}
	asset := g.poolAsset(pool)
	avail := parseAmount(v.AvailableLiquidity)
	extra := g.dollars(asset, g.logUniform(1, 1_000_000))
	var amount ray.Int
	amount.Add(&avail, &extra)
	premiums := g.premiumsFor(pool, v, amount, 30*day)
	owner := g.buyer()
	if !g.fund(owner, asset, premiums) {
		return true
	}
	g.emitOpenCover(owner, pool, amount, premiums, true)
	return true
}

func (g *generator) failNotOwner() bool {
	g.a.reset()
	switch g.r.IntN(3) {
	case 0:
		id, _ := g.activeCover(nil)
		if id < 0 {
			return false
		}
		g.a.uint("cover", uint64(id))
		if g.chance(5000) {
			g.a.amount("premiumsToAdd", g.dollars(g.poolAsset(g.covers[id].pool), 10))
			g.a.name("as", g.other(g.covers[id].owner))
			g.emit("updateCover", true)
		} else {
			g.a.amount("amount", g.dollars(g.poolAsset(g.covers[id].pool), 1000))
			g.a.name("as", g.other(g.covers[id].owner))
			g.emit("openClaim", true)
		}
	default:
		id := g.livePosition(uncommitted)
		if id < 0 {
			return false
		}
		p := &g.positions[id]
		g.a.uint("position", uint64(id))
		op := []string{"takeInterests", "addLiquidity", "commitRemoveLiquidity"}[g.r.IntN(3)]
		if op == "addLiquidity" {
			g.a.amount("amount", g.dollars(g.poolAsset(p.pools[0]), 1000))
		}
		g.a.name("as", g.other(p.owner))
		g.emit(op, true)
	}
	return true
}

func (g *generator) failZeroAmount() bool {
	g.a.reset()
	switch g.r.IntN(4) {
	case 0:
		pool := g.openPool()
		if pool < 0 {
			return false
		}
		owner := g.buyer()
		if !g.fund(owner, g.poolAsset(pool), g.dollars(g.poolAsset(pool), 50)) {
			return true
		}
		g.a.reset()
		g.a.name("owner", owner)
		g.a.uint("pool", uint64(pool))
		g.a.text("amount", "0")
		g.a.amount("premiums", g.dollars(g.poolAsset(pool), 50))
		g.emit("openCover", true)
	case 1:
		pools := g.basket()
		if pools == nil {
			return false
		}
		g.a.name("owner", g.lp())
		g.a.text("amount", "0")
		g.a.ints("pools", pools)
		g.emit("openPosition", true)
	case 2:
		id := g.livePosition(uncommitted)
		if id < 0 {
			return false
		}
		g.a.uint("position", uint64(id))
		g.a.text("amount", "0")
		g.emit("addLiquidity", true)
	default:
		id, _ := g.activeCover(nil)
		if id < 0 {
			return false
		}
		g.a.uint("cover", uint64(id))
		g.a.text("amount", "0")
		g.emit("openClaim", true)
	}
	return true
}

// failEarlyRemoval withdraws from the latest committed position before its
// delay has passed.
func (g *generator) failEarlyRemoval() bool {
	for i := len(g.commitQ) - 1; i >= 0 && i >= len(g.commitQ)-8; i-- {
		id, ok := g.committedEntry(i)
		if !ok || g.positions[id].commitAt+g.delay <= g.now {
			continue
		}
		g.a.reset()
		g.a.uint("position", uint64(id))
		g.a.amount("amount", g.dollars(g.poolAsset(g.positions[id].pools[0]), 100))
		g.emit("removeLiquidity", true)
		return true
	}
	return false
}

func (g *generator) failCommitted() bool {
	if len(g.commitQ) == 0 {
		return false
	}
	id, ok := g.committedEntry(len(g.commitQ) - 1)
	if !ok {
		return false
	}
	g.a.reset()
	g.a.uint("position", uint64(id))
	g.emit("takeInterests", true)
	return true
}

func (g *generator) failTinyPremiums() bool {
	pool := g.openPool()
	if pool < 0 {
		return false
	}
	asset := g.poolAsset(pool)
	v, _ := g.m.PoolAt(pool, g.now)
	avail := parseAmount(v.AvailableLiquidity)
	amount, least := g.wholeDollars(asset, mulBP(avail, 1000)), g.dollars(asset, 1000)
	if amount.Lt(&least) {
		return false
	}
	owner := g.buyer()
	if !g.fund(owner, asset, ray.U64(1)) {
		return true
	}
	g.a.reset()
	g.a.name("owner", owner)
	g.a.uint("pool", uint64(pool))
	g.a.amount("amount", amount)
	g.a.text("premiums", "1")
	g.emit("openCover", true)
	return true
}

func (g *generator) failPremiumOverdraw() bool {
	id, v := g.activeCover(nil)
	if id < 0 {
		return false
	}
	left := parseAmount(v.PremiumsLeft)
	var ask ray.Int
	ask.Add(&left, &left)
	ask.AddUint64(&ask, 1)
	g.a.reset()
	g.a.uint("cover", uint64(id))
	g.a.amount("premiumsToRemove", ask)
	g.emit("updateCover", true)
	return true
}

func (g *generator) failClaimNotOpen() bool {
	if len(g.resolved) == 0 {
		return false
	}
	g.a.reset()
	g.a.uint("claim", uint64(g.resolved[g.r.IntN(len(g.resolved))]))
	g.a.boolean("accept", g.chance(5000))
	g.emit("resolveClaim", true)
	return true
}

func (g *generator) failNotAscending() bool {
	pools := g.basket()
	if len(pools) < 2 {
		return false
	}
	slices.Reverse(pools)
	g.a.reset()
	g.a.name("owner", g.lp())
	g.a.amount("amount", g.dollars(g.poolAsset(pools[0]), 10_000))
	g.a.ints("pools", pools)
	g.emit("openPosition", true)
	return true
}

func (g *generator) failBalance() bool {
	pools := g.basket()
	if pools == nil {
		return false
	}
	owner, asset := g.lp(), g.poolAsset(pools[0])
	amount := g.m.Balance(owner, g.assets[asset].symbol)
	extra := g.dollars(asset, g.logUniform(1_000, 1_000_000))
	amount.Add(&amount, &extra)
	g.a.reset()
	g.a.name("owner", owner)
	g.a.amount("amount", amount)
	g.a.ints("pools", pools)
	g.emit("openPosition", true)
	return true
}

func (g *generator) failUnknown() bool {
	counts := g.m.Counts()
	g.a.reset()
	if g.chance(5000) {
		g.a.uint("cover", uint64(counts.Covers+g.r.IntN(10)))
		g.a.text("premiumsToRemove", "max")
		g.emit("updateCover", true)
	} else {
		g.a.uint("position", uint64(counts.Positions+g.r.IntN(10)))
		g.emit("takeInterests", true)
	}
	return true
}

func (g *generator) failNotCommitted() bool {
	id := g.livePosition(uncommitted)
	if id < 0 {
		return false
	}
	g.a.reset()
	g.a.uint("position", uint64(id))
	g.a.amount("amount", g.dollars(g.poolAsset(g.positions[id].pools[0]), 100))
	g.emit("removeLiquidity", true)
	return true
}
