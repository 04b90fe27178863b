package covergen

import (
	"encoding/json"
	"slices"

	"github.com/vpool/vpool/ray"
	"github.com/vpool/vpool/scenario"
)

// configure draws the market, assets, strategies and accounts.
func (g *generator) configure() {
	g.delay = []uint64{7, 10, 14}[g.r.IntN(3)] * day
	g.maxLev = g.r.IntN(9) + 4
	lev := g.between(2, 8) * 25
	ma := &g.marketArgs
	ma.uint("withdrawDelay", g.delay)
	ma.uint("maxLeverage", uint64(g.maxLev))
	ma.text("leverageFeePerPool", pct(lev))
	g.file.Market = json.RawMessage("{" + string(ma.js) + "}")
	g.file.Steps = []scenario.Step{{At: g.now}}

	g.assets = []trackedAsset{{"USDC", 6, ray.U64(1_000_000)}}
	if g.chance(6000) {
		g.assets = append(g.assets, trackedAsset{"WETH", 18, ray.U64(400_000_000_000_000)}) // at 2,500 dollars
	}
	for _, as := range g.assets {
		g.file.Assets = append(g.file.Assets, scenario.AssetDef{Symbol: as.symbol, Decimals: as.decimals})
		a := opArgs{yaml: g.yaml}
		a.name("symbol", as.symbol)
		a.uint("decimals", uint64(as.decimals))
		g.assetArgs = append(g.assetArgs, a)
	}
	g.strategies = []trackedStrategy{
		{asset: 0, compounds: false, fee: g.between(1, 4) * 500, deduc: 0, yield: g.between(200, 500)},
		{asset: 0, compounds: true, fee: g.between(1, 4) * 500, deduc: g.between(0, 10) * 100, yield: g.between(300, 800)},
	}
	if len(g.assets) > 1 {
		g.strategies = append(g.strategies, trackedStrategy{asset: 1, compounds: true, fee: 1000, deduc: g.between(0, 5) * 100, yield: g.between(200, 400)})
	}
	for i := range g.strategies {
		s := &g.strategies[i]
		s.index, s.last = ray.RAY, g.now
		id := i
		g.file.Strategies = append(g.file.Strategies, scenario.StrategyDef{ID: &id, Asset: g.assets[s.asset].symbol, Compounds: s.compounds,
			FeeRate: scenario.Percent{Int: mustPct(s.fee)}, PayoutDeductible: scenario.Percent{Int: mustPct(s.deduc)}})
		a := opArgs{yaml: g.yaml}
		a.uint("id", uint64(i))
		a.name("asset", g.assets[s.asset].symbol)
		a.boolean("compounds", s.compounds)
		a.text("feeRate", pct(s.fee))
		a.text("payoutDeductible", pct(s.deduc))
		g.strategyArgs = append(g.strategyArgs, a)
	}
	g.lps = accountNames(lpNames, min(max(g.opt.Steps/80, 6), 4000))
	g.buyers = accountNames(buyerNames, min(max(g.opt.Steps/60, 6), 5000))
}

// plan schedules the pools and sets the weights of the actions.
func (g *generator) plan() {
	p := g.opt.Pools
	g.compat, g.used = make([][]bool, p), make([][]bool, p)
	for i := range p {
		g.compat[i], g.used[i] = make([]bool, p), make([]bool, p)
	}
	first := min(p, max(2, p/2))
	for range first {
		g.poolAt = append(g.poolAt, 0)
	}
	lo, hi := g.opt.Steps/20, max(g.opt.Steps/2, g.opt.Steps/20+1)
	for range p - first {
		g.poolAt = append(g.poolAt, lo+g.r.IntN(hi-lo))
	}
	slices.Sort(g.poolAt)
	g.actions = []weightedAction{
		{170, g.openCover}, {90, g.updateCover}, {85, g.openPosition}, {60, g.addLiquidity},
		{80, g.takeInterests}, {20, g.commit}, {5, g.uncommit}, {40, g.removeLiquidity},
		{10, g.openClaim}, {14, g.resolveClaim}, {40, g.setStrategyIndex}, {20, g.purge},
		{15, g.check}, {15, g.faucet}, {5, g.setCompatibility}, {3, g.updatePoolConfig},
		{2, g.pausePool}, {1, g.freeze},
	}
	g.failures = []weightedAction{
		{3, g.failOverCapacity}, {3, g.failNotOwner}, {3, g.failZeroAmount}, {4, g.failEarlyRemoval},
		{1, g.failCommitted}, {1, g.failTinyPremiums}, {1, g.failPremiumOverdraw}, {1, g.failClaimNotOpen},
		{1, g.failNotAscending}, {1, g.failBalance}, {1, g.failUnknown}, {1, g.failNotCommitted},
	}
	for _, a := range g.actions {
		g.totalW += a.weight
	}
	for _, a := range g.failures {
		g.failW += a.weight
	}
}
