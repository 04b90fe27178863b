package covergen

import (
	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/ray"
)

// trackedAsset is an asset of the market and what a dollar of it is.
type trackedAsset struct {
	symbol    string
	decimals  uint8
	perDollar ray.Int // base units worth one dollar
}

// trackedStrategy is a yield strategy and where its index stands.
type trackedStrategy struct {
	asset      int
	compounds  bool
	fee, deduc uint64 // basis points
	yield      uint64 // basis points per year
	index      ray.Int
	last       uint64
}

// trackedPool is what the generator keeps of a pool to size steps on it.
type trackedPool struct {
	strategy   int
	target     uint64 // utilization buyers stop at, in basis points
	formula    cover.Formula
	paused     bool
	unpauseAt  uint64
	openClaims int
}

// trackedPosition is an LP position and whether it is committed to leave.
type trackedPosition struct {
	owner     string
	pools     []int
	committed bool
	commitAt  uint64
	live      int // index in livePos, or -1
}

// trackedCover is a cover and when it is expected to expire.
type trackedCover struct {
	owner     string
	pool      int
	openClaim bool
	end       uint64 // estimated expiry
	live      int    // index in liveCovers, or -1
}

// trackedClaim is an open claim and when it is reviewed.
type trackedClaim struct {
	id, cover  int
	reviewAt   uint64
	acceptFail bool
}

// queuedCommit is an entry of the queue of commitments to withdraw.
type queuedCommit struct {
	pos int
	at  uint64
}

func (g *generator) openPool() int {
	start := g.r.IntN(max(len(g.pools), 1))
	for i := range g.pools {
		if p := (start + i) % len(g.pools); !g.pools[p].paused {
			return p
		}
	}
	return -1
}

func (g *generator) addPosition(id int, owner string, pools []int) {
	for len(g.positions) <= id {
		g.positions = append(g.positions, trackedPosition{live: -1})
	}
	g.positions[id] = trackedPosition{owner: owner, pools: pools, live: len(g.livePos)}
	g.livePos = append(g.livePos, id)
	for i, a := range pools {
		for _, b := range pools[i+1:] {
			g.used[a][b], g.used[b][a] = true, true
		}
	}
}

func (g *generator) dropPosition(id int) {
	i := g.positions[id].live
	if i < 0 {
		return
	}
	last := g.livePos[len(g.livePos)-1]
	g.livePos[i], g.positions[last].live = last, i
	g.livePos = g.livePos[:len(g.livePos)-1]
	g.positions[id].live = -1
}

func (g *generator) addCover(id int, owner string, pool int, end uint64) {
	for len(g.covers) <= id {
		g.covers = append(g.covers, trackedCover{live: -1})
	}
	g.covers[id] = trackedCover{owner: owner, pool: pool, end: end, live: len(g.liveCovers)}
	g.liveCovers = append(g.liveCovers, id)
}

func (g *generator) dropCover(id int) {
	i := g.covers[id].live
	if i < 0 {
		return
	}
	last := g.liveCovers[len(g.liveCovers)-1]
	g.liveCovers[i], g.covers[last].live = last, i
	g.liveCovers = g.liveCovers[:len(g.liveCovers)-1]
	g.covers[id].live = -1
}

// livePosition picks a live position that ok accepts.
func (g *generator) livePosition(ok func(*trackedPosition) bool) int {
	for range 8 {
		if len(g.livePos) == 0 {
			return -1
		}
		id := g.livePos[g.r.IntN(len(g.livePos))]
		if ok(&g.positions[id]) {
			return id
		}
	}
	return -1
}

func uncommitted(p *trackedPosition) bool { return !p.committed }

func (g *generator) unpausedPools(p *trackedPosition) bool {
	for _, id := range p.pools {
		if g.pools[id].paused {
			return false
		}
	}
	return !p.committed
}

// activeCover picks a live cover that is still active, dropping the
// expired ones it meets.
func (g *generator) activeCover(ok func(*trackedCover) bool) (int, cover.CoverView) {
	for range 8 {
		if len(g.liveCovers) == 0 {
			break
		}
		id := g.liveCovers[g.r.IntN(len(g.liveCovers))]
		v, err := g.m.CoverAt(id, g.now)
		if err != nil || !v.Active {
			g.dropCover(id)
			continue
		}
		if ok == nil || ok(&g.covers[id]) {
			return id, v
		}
	}
	return -1, cover.CoverView{}
}

// refreshCover re-estimates a cover's expiry after a change.
func (g *generator) refreshCover(id int) {
	v, err := g.m.CoverAt(id, g.now)
	if err != nil || !v.Active {
		g.dropCover(id)
		return
	}
	left, daily := parseAmount(v.PremiumsLeft), parseAmount(v.DailyCost)
	if daily.IsZero() {
		return
	}
	var secs ray.Int
	d := ray.U64(day)
	secs.Mul(&left, &d)
	secs.Div(&secs, &daily)
	g.covers[id].end = g.now + min(secs.Uint64(), 10*year)
}

// committedEntry returns the i-th commit queue entry if still current.
func (g *generator) committedEntry(i int) (int, bool) {
	e := g.commitQ[i]
	p := &g.positions[e.pos]
	return e.pos, p.committed && p.commitAt == e.at
}
