package sim

import "math"

// LP kinds: a position over one pool, or over several.
const (
	unleveraged = iota
	leveraged
	lpKinds
)

// tallyBins are the binnings of a tally's histograms.
type tallyBins struct{ apy, loss *binning }

// The binnings of the statistics. The tally of all paths, whose figures
// are reported, keeps APY in 0.01-point bins and an LP's loss in
// 0.05-point bins; the batches' tallies, whose figures only measure the
// spread between batches, use bins five times wider (the rounding this
// adds to a batch's figure is far below the spread it measures), which
// keeps 20 of them small. Amounts have 200 bins a decade everywhere (a
// relative resolution of about 1.2%).
var (
	allBins    = tallyBins{apy: apyBinning(0.01), loss: lossBinning(0.05)}
	batchBins  = tallyBins{apy: apyBinning(0.05), loss: lossBinning(0.25)}
	amountBins = &binning{lo: 0, width: 0.005, bins: 3_000, log: true, quanta: tokenQuanta, binSums: true}
)

// apyBinning spreads bins of the given width over ±1500% a year (an LP
// held 30 days and wiped out is at −1217%).
func apyBinning(width float64) *binning {
	return &binning{lo: -1500, width: width, bins: int(math.Round(3000 / width)), quanta: percentQuanta}
}

// lossBinning spreads bins of the given width over 0 to 100%.
func lossBinning(width float64) *binning {
	return &binning{lo: 0, width: width, bins: int(math.Round(100 / width)), quanta: percentQuanta}
}

// tally is what one batch of paths (or all of them, merged) adds up to:
// counts, exact sums and fixed-bin histograms only, so that tallies of
// the same run merge exactly in any order.
type tally struct {
	paths uint64
	// lps are per LP set (see model.lpSet): realised APY and loss.
	lps []lpTally
	// pools are per pool, then (last) over all pools.
	pools []poolTally
	// Per path, in tokens: treasury and risk-fund income over the
	// horizon, the engine's premium shortfall at its end.
	treasury, riskFund, shortfall *histogram
	// Paths with a premium shortfall; paths with claims whose risk-fund
	// income was at least the claims paid.
	shortfallPaths, riskFundCovers uint64
	lpRefused                      uint64
}

// lpTally is one set of LPs' outcomes: every LP of the set counts once.
type lpTally struct {
	apy, loss *histogram
	losing    uint64 // LPs that lost capital
}

// poolTally is one pool's outcomes (or all pools' together).
type poolTally struct {
	covers, refused, hacks uint64
	// paid and unpaid are the claims of a path, in tokens.
	paid, unpaid      *histogram
	withClaims, short uint64 // paths with claims, with a claim not paid in full
}

func newTally(m *model, bins tallyBins) *tally {
	t := &tally{treasury: newHistogram(amountBins), riskFund: newHistogram(amountBins), shortfall: newHistogram(amountBins)}
	for range m.lpSets() {
		t.lps = append(t.lps, lpTally{apy: newHistogram(bins.apy), loss: newHistogram(bins.loss)})
	}
	for range len(m.pools) + 1 {
		t.pools = append(t.pools, poolTally{paid: newHistogram(amountBins), unpaid: newHistogram(amountBins)})
	}
	return t
}

// add folds in one path.
func (t *tally) add(m *model, r *pathResult) {
	t.paths++
	for _, lp := range r.lps {
		k := lp.kind()
		for _, id := range lp.pools {
			t.lps[m.lpSet(k, id)].add(lp)
		}
		t.lps[m.lpSet(k, len(m.pools))].add(lp)
		t.lps[m.groupSet(lp.group)].add(lp)
	}
	var all poolOutcome
	for id, po := range r.pools {
		t.pools[id].add(po)
		all.demand, all.refused, all.hacks = all.demand+po.demand, all.refused+po.refused, all.hacks+po.hacks
		all.asked, all.paid = all.asked+po.asked, all.paid+po.paid
	}
	t.pools[len(r.pools)].add(all)
	if all.asked > 0 && r.riskFund >= all.paid {
		t.riskFundCovers++
	}
	t.treasury.add(r.treasury)
	t.riskFund.add(r.riskFund)
	t.shortfall.add(r.shortfall)
	if r.shortfall > 0 {
		t.shortfallPaths++
	}
	t.lpRefused += uint64(r.lpRefused)
}

func (l *lpTally) add(lp lpOutcome) {
	loss := lp.lossPercent()
	l.loss.add(loss)
	if loss > 0 {
		l.losing++
	}
	if lp.hasAPY {
		l.apy.add(lp.apy)
	}
}

func (p *poolTally) add(po poolOutcome) {
	p.covers, p.refused, p.hacks = p.covers+uint64(po.demand), p.refused+uint64(po.refused), p.hacks+uint64(po.hacks)
	p.paid.add(po.paid)
	p.unpaid.add(po.asked - po.paid)
	if po.asked > 0 {
		p.withClaims++
	}
	if po.paid < po.asked {
		p.short++
	}
}
