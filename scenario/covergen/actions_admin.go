package covergen

import (
	"fmt"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/ray"
)

func (g *generator) createPool() bool {
	id := len(g.pools)
	strat := 0
	if id > 1 {
		strat = []int{0, 0, 0, 1, 1, 1, 2, 2}[g.r.IntN(8)] % len(g.strategies)
	}
	g.a.reset()
	g.a.name("paymentAsset", g.assets[g.strategies[strat].asset].symbol)
	g.a.uint("strategy", uint64(strat))
	f := g.curve()
	var compat []int
	for j := range g.pools {
		if g.pools[j].strategy == strat && (id == 1 || g.chance(6500)) {
			compat = append(compat, j)
		}
	}
	g.a.ints("compatiblePools", append([]int{}, compat...))
	res, err := g.emit("createPool", false)
	if err != nil {
		return err != errEnoughSteps
	}
	if got := resultID(res, "pool"); got != id {
		g.werr = fmt.Errorf("covergen: generator expected pool %d, engine created %d", id, got)
		return true
	}
	g.pools = append(g.pools, trackedPool{strategy: strat, formula: f, target: g.between(55, 90) * 100})
	for _, j := range compat {
		g.compat[id][j], g.compat[j][id] = true, true
	}
	return true
}

// curve writes a fee and a realistic premium curve into g.a.
func (g *generator) curve() cover.Formula {
	fee := g.between(0, 40) * 50
	u, r0 := g.between(150, 180)*50, g.between(10, 60)*5
	s1, s2 := g.between(12, 40)*25, g.between(10, 100)*100
	g.a.text("feeRate", pct(fee))
	g.a.text("uOptimal", pct(u))
	g.a.text("r0", pct(r0))
	g.a.text("rSlope1", pct(s1))
	g.a.text("rSlope2", pct(s2))
	return cover.Formula{UOptimal: mustPct(u), R0: mustPct(r0), RSlope1: mustPct(s1), RSlope2: mustPct(s2)}
}

// setStrategyIndex moves the least recently updated strategy's index up by
// its yield (2 to 8% a year, give or take a quarter) over the time since.
func (g *generator) setStrategyIndex() bool {
	s := 0
	for i := range g.strategies {
		if g.strategies[i].last < g.strategies[s].last {
			s = i
		}
	}
	st := &g.strategies[s]
	if g.now < st.last+hour {
		return false
	}
	yield := st.yield * g.between(75, 125) / 100
	var grow, den ray.Int
	num := ray.U64(yield * (g.now - st.last))
	grow.Mul(&st.index, &num)
	den = ray.U64(basisPoints * year)
	grow.Div(&grow, &den)
	var next ray.Int
	next.Add(&st.index, &grow)
	g.a.reset()
	g.a.uint("strategy", uint64(s))
	g.a.amount("index", next)
	if _, err := g.emit("setStrategyIndex", false); err == nil {
		st.index, st.last = next, g.now
	}
	return true
}

func (g *generator) purge() bool {
	if len(g.pools) == 0 {
		return false
	}
	g.a.reset()
	g.a.uint("pool", uint64(g.r.IntN(len(g.pools))))
	g.emit("purge", false)
	return true
}

func (g *generator) check() bool {
	g.a.reset()
	g.emit("check", false)
	return true
}

// faucet mints some tokens to anyone, as a bridge or an exchange would.
func (g *generator) faucet() bool {
	asset := g.r.IntN(len(g.assets))
	acct := g.lp()
	if g.chance(5000) {
		acct = g.buyer()
	}
	g.a.reset()
	g.a.name("to", acct)
	g.a.name("asset", g.assets[asset].symbol)
	g.a.amount("amount", g.dollars(asset, g.logUniform(100, 100_000)))
	g.emit("mint", false)
	return true
}

// setCompatibility lets two pools of one strategy share positions, or
// (rarely) stops a pair no position uses yet from doing so.
func (g *generator) setCompatibility() bool {
	n := len(g.pools)
	if n < 2 {
		return false
	}
	start := g.r.IntN(n * n)
	for i := range n * n {
		a, b := (start+i)/n%n, (start+i)%n
		if a == b || g.pools[a].strategy != g.pools[b].strategy || g.used[a][b] || g.compat[a][b] && !g.chance(3000) {
			continue
		}
		to := !g.compat[a][b]
		pair := fmt.Sprintf("[[%d, %d, %t]]", a, b, to)
		g.a.reset()
		g.a.raw("pairs", pair, pair)
		if _, err := g.emit("setCompatibility", false); err == nil {
			g.compat[a][b], g.compat[b][a] = to, to
		}
		return true
	}
	return false
}

func (g *generator) updatePoolConfig() bool {
	if len(g.pools) == 0 {
		return false
	}
	p := g.r.IntN(len(g.pools))
	g.a.reset()
	g.a.uint("pool", uint64(p))
	f := g.curve()
	if _, err := g.emit("updatePoolConfig", false); err == nil {
		g.pools[p].formula = f
	}
	return true
}

func (g *generator) pausePool() bool {
	p := g.openPool()
	if p < 0 || len(g.pools) < 3 {
		return false
	}
	g.a.reset()
	g.a.uint("pool", uint64(p))
	g.a.boolean("paused", true)
	if _, err := g.emit("pausePool", false); err == nil {
		g.pools[p].paused, g.pools[p].unpauseAt = true, g.now+g.logUniform(hour, 3*day)
	}
	return true
}

// freeze stops the market for a few steps: only what does not purge a
// pool works meanwhile.
func (g *generator) freeze() bool {
	g.a.reset()
	g.a.boolean("frozen", true)
	if _, err := g.emit("freeze", false); err == nil {
		g.frozen = int(g.between(2, 5))
	}
	return true
}

func (g *generator) whileFrozen() {
	g.frozen--
	if g.frozen == 0 {
		g.a.reset()
		g.a.boolean("frozen", false)
		if _, err := g.emit("freeze", false); err != nil {
			g.frozen = 1
		}
		return
	}
	switch g.r.IntN(4) {
	case 0:
		g.faucet()
	case 1:
		if g.setStrategyIndex() {
			return
		}
		g.check()
	case 2: // anything that purges fails
		if id := g.livePosition(uncommitted); id >= 0 {
			g.a.reset()
			g.a.uint("position", uint64(id))
			g.emit("takeInterests", true)
			return
		}
		g.check()
	default:
		g.check()
	}
}
