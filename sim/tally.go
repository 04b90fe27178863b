package sim

import "math"

// LP kinds: a position over one pool, or over several.
const (
	unleveraged = iota
	leveraged
	lpKinds
)

// tallyBins are the binnings of a tally's histograms.
type tallyBins struct{ apy, loss, book *binning }

// The binnings of the statistics. The tally of all paths, whose figures
// are reported, keeps APY in 0.01-point bins (1-point bins beyond ±100%)
// and an LP's loss in 0.05-point bins; the batches' tallies, whose
// figures only measure the spread between batches, use bins five to ten
// times wider (the rounding this adds to a batch's figure is far below
// the spread it measures), which keeps 20 of them small. Amounts have 200 bins a decade everywhere (a
// relative resolution of about 1.2%).
var (
	allBins    = tallyBins{apy: apyBinning(0.01), loss: lossBinning(0.05, false), book: lossBinning(0.02, true)}
	batchBins  = tallyBins{apy: apyBinning(0.1), loss: lossBinning(0.25, false), book: lossBinning(0.1, true)}
	amountBins = &binning{lo: 0, width: 0.005, bins: 3_000, log: true, quanta: tokenQuanta, binSums: true}
	// signedBins hold amounts that may be negative: ±10^15 tokens.
	signedBins = &binning{lo: -15, width: 0.005, bins: 6_000, log: true, quanta: tokenQuanta, binSums: true}
)

// apyBinning spreads bins of the given width over ±100% a year, and
// 1-point bins from there to ±1500% (an LP held 30 days and wiped out is
// at −1217%).
func apyBinning(width float64) *binning {
	return &binning{lo: -100, width: width, bins: int(math.Round(200 / width)), quanta: percentQuanta, outer: 1, outerSpan: 1400}
}

// lossBinning spreads bins of the given width over 0 to 100%, with bin
// sums for tail figures.
func lossBinning(width float64, binSums bool) *binning {
	return &binning{lo: 0, width: width, bins: int(math.Round(100 / width)), quanta: percentQuanta, binSums: binSums}
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
	// blocked counts withdrawals refused for claims open in the pool;
	// lpDeclined arriving LPs who found the quoted APY too low.
	blocked, lpDeclined uint64
	// venueFailed counts the paths in which a strategy venue failed.
	venueFailed uint64
	// books are per path the share of their capital a book of LPs lost
	// (percent; see model.books), for paths where the book has LPs.
	books []*histogram
	// protocolLoss is per path, in tokens, the claims not paid in full
	// less the treasury's and the risk fund's income: what the protocol's
	// fee accounts would be short of making buyers whole (negative when
	// they earned more).
	protocolLoss *histogram
	// lossAbove counts per pool the paths where the pool's LPs together
	// lost more than the loss threshold of their capital, then (last) the
	// paths where some pool's did.
	lossAbove []uint64
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
	for range m.books() {
		t.books = append(t.books, newHistogram(bins.book))
	}
	t.protocolLoss = newHistogram(signedBins)
	t.lossAbove = make([]uint64, len(m.pools)+1)
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
	t.addBooks(m, r)
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
	t.protocolLoss.add(all.asked - all.paid - r.treasury - r.riskFund)
	t.treasury.add(r.treasury)
	t.riskFund.add(r.riskFund)
	t.shortfall.add(r.shortfall)
	if r.shortfall > 0 {
		t.shortfallPaths++
	}
	t.lpRefused += uint64(r.lpRefused)
	t.blocked += uint64(r.blocked)
	t.lpDeclined += uint64(r.lpDeclined)
	if r.venueFailures > 0 {
		t.venueFailed++
	}
}

// addBooks adds the path's loss share of every LP book, and counts the
// pools whose LPs lost more than the threshold.
func (t *tally) addBooks(m *model, r *pathResult) {
	type book struct{ lost, start float64 }
	books := make([]book, m.books())
	pools := make([]book, len(m.pools))
	for _, lp := range r.lps {
		for _, i := range []int{lp.kind(), m.groupBook(lp.group)} {
			books[i].lost, books[i].start = books[i].lost+lp.lost, books[i].start+lp.start
		}
		for _, id := range lp.pools {
			pools[id].lost, pools[id].start = pools[id].lost+lp.lost, pools[id].start+lp.start
		}
	}
	for i, b := range books {
		if b.start > 0 {
			t.books[i].add(lossPercent(b.lost, b.start))
		}
	}
	some := false
	for id, b := range pools {
		if b.start > 0 && lossPercent(b.lost, b.start) > m.lossThreshold {
			t.lossAbove[id]++
			some = true
		}
	}
	if some {
		t.lossAbove[len(pools)]++
	}
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
