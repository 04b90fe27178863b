package covergen

import (
	"slices"

	"github.com/vpool/vpool/ray"
)

// basket picks 1 to 4 unpaused, pairwise compatible pools of one
// strategy, led by the busier of two pools (LPs go where the yield is).
func (g *generator) basket() []int {
	p0 := g.openPool()
	if p0 < 0 {
		return nil
	}
	if q := g.openPool(); q != p0 {
		if uq, u0 := g.utilization(q), g.utilization(p0); u0.Lt(&uq) {
			p0 = q
		}
	}
	k := min([]int{1, 1, 1, 1, 2, 2, 2, 3, 3, 4}[g.r.IntN(10)], g.maxLev)
	chosen := []int{p0}
	start := g.r.IntN(len(g.pools))
	for i := 0; i < len(g.pools) && len(chosen) < k; i++ {
		q := (start + i) % len(g.pools)
		if q == p0 || g.pools[q].paused || g.pools[q].strategy != g.pools[p0].strategy {
			continue
		}
		fits := true
		for _, c := range chosen {
			fits = fits && g.compat[c][q]
		}
		if fits {
			chosen = append(chosen, q)
		}
	}
	slices.Sort(chosen)
	return chosen
}

func (g *generator) utilization(p int) ray.Int {
	v, _ := g.m.PoolAt(p, g.now)
	return parseAmount(v.Utilization)
}

func (g *generator) openPosition() bool {
	pools := g.basket()
	if pools == nil {
		return false
	}
	owner, asset := g.lp(), g.poolAsset(pools[0])
	amount := g.dollars(asset, g.logUniform(1_000, 1_000_000))
	if !g.fund(owner, asset, amount) {
		return true
	}
	g.a.reset()
	g.a.name("owner", owner)
	g.a.amount("amount", amount)
	g.a.ints("pools", pools)
	res, err := g.emit("openPosition", false)
	if err == nil {
		g.addPosition(resultID(res, "position"), owner, pools)
	}
	return true
}

func (g *generator) addLiquidity() bool {
	id := g.livePosition(g.unpausedPools)
	if id < 0 {
		return false
	}
	p := &g.positions[id]
	asset := g.poolAsset(p.pools[0])
	amount := g.dollars(asset, g.logUniform(500, 500_000))
	if !g.fund(p.owner, asset, amount) {
		return true
	}
	g.a.reset()
	g.a.uint("position", uint64(id))
	g.a.amount("amount", amount)
	g.as(p.owner)
	g.emit("addLiquidity", false)
	return true
}

func (g *generator) takeInterests() bool {
	id := g.livePosition(uncommitted)
	if id < 0 {
		return false
	}
	g.a.reset()
	g.a.uint("position", uint64(id))
	g.as(g.positions[id].owner)
	g.emit("takeInterests", false)
	return true
}

func (g *generator) commit() bool {
	id := g.livePosition(uncommitted)
	if id < 0 {
		return false
	}
	p := &g.positions[id]
	g.a.reset()
	g.a.uint("position", uint64(id))
	g.as(p.owner)
	if _, err := g.emit("commitRemoveLiquidity", false); err == nil {
		p.committed, p.commitAt = true, g.now
		g.commitQ = append(g.commitQ, queuedCommit{id, g.now})
	}
	return true
}

func (g *generator) uncommit() bool {
	if len(g.commitQ) == 0 {
		return false
	}
	id, ok := g.committedEntry(g.r.IntN(len(g.commitQ)))
	if !ok {
		return false
	}
	g.a.reset()
	g.a.uint("position", uint64(id))
	g.as(g.positions[id].owner)
	if _, err := g.emit("uncommitRemoveLiquidity", false); err == nil {
		g.positions[id].committed = false
	}
	return true
}

func (g *generator) removeLiquidity() bool {
	for len(g.commitQ) > 0 {
		if _, ok := g.committedEntry(0); ok {
			break
		}
		g.commitQ = g.commitQ[1:]
	}
	if cap(g.commitQ) > 64 && len(g.commitQ) < cap(g.commitQ)/4 {
		g.commitQ = append([]queuedCommit(nil), g.commitQ...)
	}
	for i, tried := 0, 0; i < len(g.commitQ) && tried < 16; i++ {
		id, ok := g.committedEntry(i)
		if !ok {
			continue
		}
		p := &g.positions[id]
		if p.commitAt+g.delay > g.now {
			return false
		}
		tried++
		blocked := false
		for _, pid := range p.pools {
			blocked = blocked || g.pools[pid].openClaims > 0
		}
		if blocked {
			continue
		}
		v, err := g.m.PositionAt(id, g.now)
		if err != nil {
			continue
		}
		capital := parseAmount(v.Capital)
		amount := capital
		if g.chance(4500) {
			amount = mulBP(capital, g.between(1000, 9000))
		}
		for _, pid := range p.pools {
			pv, _ := g.m.PoolAt(pid, g.now)
			amount = minAmount(amount, g.removable(pid, pv))
		}
		if amount.IsZero() {
			if p.commitAt+g.delay+30*day < g.now { // a month stuck: the LP gives up for now
				g.a.reset()
				g.a.uint("position", uint64(id))
				if _, err := g.emit("uncommitRemoveLiquidity", false); err == nil {
					p.committed = false
				}
				return true
			}
			continue
		}
		g.a.reset()
		g.a.uint("position", uint64(id))
		g.a.amount("amount", amount)
		g.as(p.owner)
		if _, err := g.emit("removeLiquidity", false); err == nil {
			p.committed = false
			if amount.Eq(&capital) {
				g.dropPosition(id)
			}
		}
		return true
	}
	return false
}
