package sim

// LP kinds: a position over one pool, or over several.
const (
	unleveraged = iota
	leveraged
	lpKinds
)

// bandBins is the resolution of the bands over time (per pool, per record).
const bandBins = 400

// aggregate folds path results, in path order, into fixed-size
// statistics: its memory depends on the market and the horizon, never on
// the number of paths.
type aggregate struct {
	m     *model
	paths int
	bands []*histogram // [record][pool][poolSeries]
	money []*histogram // [record][moneySeries]
	// lpAPY and lpLoss are per kind, per pool and (last) over all pools.
	lpAPY, lpLoss  [lpKinds][]*histogram
	lpLosing       [lpKinds][]int // LPs that lost capital
	pools          []poolTotals
	hacked, unpaid int // paths with a hack, with a claim not paid in full
	treasury       *histogram
	riskFund       *histogram
	claims         *histogram
	unpaidAmount   *histogram
	shortfall      *histogram
	riskFundCovers int // paths whose risk-fund income covered the claims paid
	shortfallPaths int
	lpRefused      int
}

// poolTotals sums one pool's outcomes over the paths.
type poolTotals struct {
	demand, refused, hacks int
	asked, paid            float64
	hacked, unpaid         int // paths
}

func newAggregate(m *model) *aggregate {
	a := &aggregate{m: m, pools: make([]poolTotals, len(m.pools)), treasury: newAmountHistogram(),
		riskFund: newAmountHistogram(), claims: newAmountHistogram(), unpaidAmount: newAmountHistogram(),
		shortfall: newAmountHistogram()}
	for range m.records {
		for _, pm := range m.pools {
			a.bands = append(a.bands, newHistogram(0, 100, bandBins), newHistogram(0, pm.maxRate, bandBins),
				newHistogram(0, pm.maxRate+pm.yield, bandBins))
		}
		for range moneySeries {
			a.money = append(a.money, newAmountHistogram())
		}
	}
	for k := range lpKinds {
		a.lpLosing[k] = make([]int, len(m.pools)+1)
		for range len(m.pools) + 1 {
			a.lpAPY[k] = append(a.lpAPY[k], newHistogram(-100, 100, 20_000))
			a.lpLoss[k] = append(a.lpLoss[k], newHistogram(0, 100, 10_000))
		}
	}
	return a
}

// add folds in one path; paths must come in index order.
func (a *aggregate) add(r *pathResult) {
	a.paths++
	for i, v := range r.series {
		a.bands[i].add(float64(v))
	}
	for i, v := range r.money {
		a.money[i].add(float64(v))
	}
	a.addLPs(r.lps)
	var asked, paid float64
	for id, po := range r.pools {
		t := &a.pools[id]
		t.demand, t.refused, t.hacks = t.demand+po.demand, t.refused+po.refused, t.hacks+po.hacks
		t.asked, t.paid = t.asked+po.asked, t.paid+po.paid
		t.hacked += min(po.hacks, 1)
		if po.paid < po.asked {
			t.unpaid++
		}
		asked, paid = asked+po.asked, paid+po.paid
	}
	if asked > 0 {
		a.hacked++
	}
	if paid < asked {
		a.unpaid++
	}
	a.claims.add(paid)
	a.unpaidAmount.add(asked - paid)
	a.lpRefused += r.lpRefused
	if n := len(r.money); n > 0 {
		treasury, riskFund := float64(r.money[n-moneySeries+moneyTreasury]), float64(r.money[n-moneySeries+moneyRiskFund])
		a.treasury.add(treasury)
		a.riskFund.add(riskFund)
		if riskFund >= paid {
			a.riskFundCovers++
		}
	}
	a.shortfall.add(r.shortfall)
	if r.shortfall > 0 {
		a.shortfallPaths++
	}
}

// addLPs counts each LP in every pool of its basket and over all pools.
func (a *aggregate) addLPs(lps []lpOutcome) {
	all := len(a.m.pools)
	for _, lp := range lps {
		k := unleveraged
		if len(lp.pools) > 1 {
			k = leveraged
		}
		for _, id := range lp.pools {
			a.addLP(k, id, lp)
		}
		a.addLP(k, all, lp)
	}
}

func (a *aggregate) addLP(k, id int, lp lpOutcome) {
	a.lpLoss[k][id].add(lp.loss)
	if lp.loss > 0 {
		a.lpLosing[k][id]++
	}
	if lp.hasAPY {
		a.lpAPY[k][id].add(lp.apy)
	}
}
