package sim

// bandBins is the resolution of the bands over time (per pool, per record).
const bandBins = 400

// aggregate folds path results into fixed-size statistics: the tally of
// all paths, from which every figure is computed, a tally per batch of
// paths (path i in batch i mod batches), from which its confidence
// interval is, and the pools' state over time across all paths. Its
// memory depends on the market and the horizon, never on the number of
// paths, and everything in it merges exactly.
type aggregate struct {
	m     *model
	paths int
	// interrupted tells that the run stopped before every path it meant
	// to run was in.
	interrupted bool
	all         *tally
	batches     [batches]*tally
	bands       []*histogram // [record][pool][poolSeries]
	money       []*histogram // [record][moneySeries]
}

func newAggregate(m *model) *aggregate {
	a := &aggregate{m: m, all: newTally(m, allBins)}
	for b := range a.batches {
		a.batches[b] = newTally(m, batchBins)
	}
	series := make([]*binning, 0, len(m.pools)*poolSeries) // [pool][poolSeries]
	for _, pm := range m.pools {
		series = append(series, bandBinning(100), bandBinning(pm.maxRate), bandBinning(pm.maxRate+pm.yield))
	}
	for range m.records {
		for _, b := range series {
			a.bands = append(a.bands, newHistogram(b))
		}
		for range moneySeries {
			a.money = append(a.money, newHistogram(amountBins))
		}
	}
	return a
}

// add folds in one path.
func (a *aggregate) add(r *pathResult) {
	a.paths++
	a.all.add(a.m, r)
	a.batches[r.index%batches].add(a.m, r)
	for i, v := range r.series {
		a.bands[i].add(float64(v))
	}
	for i, v := range r.money {
		a.money[i].add(float64(v))
	}
}

// bandBinning spreads bandBins bins over [0, hi] percent.
func bandBinning(hi float64) *binning {
	return &binning{lo: 0, width: hi / bandBins, bins: bandBins, quanta: percentQuanta}
}
