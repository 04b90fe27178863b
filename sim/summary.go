package sim

import "math"

// Summary is summary.json: the run's figures per pool and overall.
type Summary struct {
	Name            string `json:"name"`
	Paths           int    `json:"paths"`
	Seed            uint64 `json:"seed"`
	HorizonDays     int    `json:"horizonDays"`
	StepDays        int    `json:"stepDays"`
	RecordEveryDays int    `json:"recordEveryDays"`
	// Interrupted marks a run stopped before every path ran: the figures
	// cover the Paths completed.
	Interrupted bool          `json:"interrupted"`
	Overall     Overall       `json:"overall"`
	Pools       []PoolSummary `json:"pools"`
}

// Overall is the market as a whole.
type Overall struct {
	Stats
	TreasuryIncome Amounts `json:"treasuryIncome"`
	RiskFundIncome Amounts `json:"riskFundIncome"`
	// RiskFundCoversClaims is the share of paths whose risk-fund income
	// was at least the claims paid.
	RiskFundCoversClaims float64 `json:"riskFundCoversClaims"`
	Shortfall            Amounts `json:"premiumShortfall"`
	// ShortfallProbability is the share of paths ending with a premium
	// shortfall in the engine's books.
	ShortfallProbability float64 `json:"premiumShortfallProbability"`
	// LPsRefused counts LP arrivals the engine refused, over all paths.
	LPsRefused int `json:"lpsRefused"`
}

// Stats are the figures kept both per pool and overall.
type Stats struct {
	LPAPY  ByKind[Quantiles] `json:"lpAPY"`
	LPLoss ByKind[Losses]    `json:"lpLoss"`
	// PathsWithClaims is the share of paths where a hack led to claims.
	PathsWithClaims float64 `json:"pathsWithClaims"`
	// ClaimNotPaidInFull is the share of paths where some claim could not
	// be paid in full.
	ClaimNotPaidInFull float64 `json:"claimNotPaidInFull"`
	// ClaimsPaidMean and ClaimsUnpaidMean are per path, tokens.
	ClaimsPaidMean   float64 `json:"claimsPaidMean"`
	ClaimsUnpaidMean float64 `json:"claimsUnpaidMean"`
	// CoverDemand is the covers asked for per path; CoverRefusedShare the
	// share the engine refused (no capacity).
	CoverDemand       float64 `json:"coverDemand"`
	CoverRefusedShare float64 `json:"coverRefusedShare"`
}

// ByKind splits a figure between unleveraged and leveraged LPs.
type ByKind[T any] struct {
	Unleveraged T `json:"unleveraged"`
	Leveraged   T `json:"leveraged"`
}

// Quantiles are a distribution's 5th, 50th and 95th percentiles and mean.
type Quantiles struct {
	N    int     `json:"n"`
	P5   float64 `json:"p5"`
	P50  float64 `json:"p50"`
	P95  float64 `json:"p95"`
	Mean float64 `json:"mean"`
}

// Losses describe the share of capital LPs lost to claims, in percent.
type Losses struct {
	N int `json:"n"`
	// Probability is the share of LPs that lost any capital.
	Probability float64 `json:"probability"`
	Mean        float64 `json:"mean"`
	P95         float64 `json:"p95"`
	P99         float64 `json:"p99"`
	Max         float64 `json:"max"`
}

// Amounts describe a per-path amount in tokens.
type Amounts struct {
	Mean float64 `json:"mean"`
	P5   float64 `json:"p5"`
	P50  float64 `json:"p50"`
	P95  float64 `json:"p95"`
	Max  float64 `json:"max"`
}

// PoolSummary is one pool's figures and its bands over time.
type PoolSummary struct {
	Name string `json:"name"`
	Stats
	// HacksPerPath is the mean number of hacks of the pool in a path.
	HacksPerPath float64 `json:"hacksPerPath"`
	Bands        Bands   `json:"bands"`
}

// Bands are a pool's state over time: at each record day, the 5th, 50th
// and 95th percentiles over the paths.
type Bands struct {
	Days        []int `json:"days"`
	Utilization Band  `json:"utilization"`
	PremiumRate Band  `json:"premiumRate"`
	LPAPY       Band  `json:"lpAPY"`
}

// Band is one quantity's percentiles over time.
type Band struct {
	P5  []float64 `json:"p5"`
	P50 []float64 `json:"p50"`
	P95 []float64 `json:"p95"`
}

// summary turns the aggregate into summary.json.
func (a *aggregate) summary(seed uint64) *Summary {
	c := a.m.cfg
	s := &Summary{Name: c.Name, Paths: a.paths, Seed: seed, HorizonDays: c.HorizonDays.N, StepDays: c.StepDays.N, RecordEveryDays: c.RecordDays.N}
	all := len(a.m.pools)
	s.Overall.Stats = a.stats(all)
	s.Overall.PathsWithClaims = a.share(a.hacked)
	s.Overall.ClaimNotPaidInFull = a.share(a.unpaid)
	s.Overall.TreasuryIncome = amounts(a.treasury)
	s.Overall.RiskFundIncome = amounts(a.riskFund)
	s.Overall.RiskFundCoversClaims = a.share(a.riskFundCovers)
	s.Overall.Shortfall = amounts(a.shortfall)
	s.Overall.ShortfallProbability = a.share(a.shortfallPaths)
	s.Overall.LPsRefused = a.lpRefused
	for id, pm := range a.m.pools {
		t := a.pools[id]
		ps := PoolSummary{Name: pm.name, Stats: a.stats(id), HacksPerPath: round(float64(t.hacks) / float64(a.paths)), Bands: a.poolBands(id)}
		ps.PathsWithClaims, ps.ClaimNotPaidInFull = a.share(t.hacked), a.share(t.unpaid)
		s.Pools = append(s.Pools, ps)
	}
	return s
}

// stats are the figures of pool id, or of the whole market (id = pools).
func (a *aggregate) stats(id int) Stats {
	var st Stats
	st.LPAPY = ByKind[Quantiles]{quantiles(a.lpAPY[unleveraged][id]), quantiles(a.lpAPY[leveraged][id])}
	st.LPLoss = ByKind[Losses]{a.losses(unleveraged, id), a.losses(leveraged, id)}
	var t poolTotals
	if id < len(a.pools) {
		t = a.pools[id]
	} else {
		for _, p := range a.pools {
			t.demand, t.refused, t.asked, t.paid = t.demand+p.demand, t.refused+p.refused, t.asked+p.asked, t.paid+p.paid
		}
	}
	n := float64(a.paths)
	st.ClaimsPaidMean, st.ClaimsUnpaidMean = round(t.paid/n), round((t.asked-t.paid)/n)
	st.CoverDemand = round(float64(t.demand) / n)
	if t.demand > 0 {
		st.CoverRefusedShare = round(float64(t.refused) / float64(t.demand))
	}
	return st
}

func (a *aggregate) losses(kind, id int) Losses {
	h := a.lpLoss[kind][id]
	l := Losses{N: h.n, Mean: round(h.mean()), P95: round(h.quantile(0.95)), P99: round(h.quantile(0.99))}
	if h.n > 0 {
		l.Max, l.Probability = round(h.max), round(float64(a.lpLosing[kind][id])/float64(h.n))
	}
	return l
}

// poolBands are pool id's percentiles at every record.
func (a *aggregate) poolBands(id int) Bands {
	var b Bands
	for r := range a.m.records {
		b.Days = append(b.Days, a.m.recordDay(r))
		at := (r*len(a.m.pools) + id) * poolSeries
		b.Utilization.add(a.bands[at+seriesUtilization])
		b.PremiumRate.add(a.bands[at+seriesPremiumRate])
		b.LPAPY.add(a.bands[at+seriesLPAPY])
	}
	return b
}

func (b *Band) add(h *histogram) {
	b.P5 = append(b.P5, round(h.quantile(0.05)))
	b.P50 = append(b.P50, round(h.quantile(0.5)))
	b.P95 = append(b.P95, round(h.quantile(0.95)))
}

func (a *aggregate) share(k int) float64 { return round(float64(k) / float64(max(a.paths, 1))) }

func quantiles(h *histogram) Quantiles {
	return Quantiles{N: h.n, P5: round(h.quantile(0.05)), P50: round(h.quantile(0.5)), P95: round(h.quantile(0.95)), Mean: round(h.mean())}
}

func amounts(h *histogram) Amounts {
	a := Amounts{Mean: round(h.mean()), P5: round(h.quantile(0.05)), P50: round(h.quantile(0.5)), P95: round(h.quantile(0.95))}
	if h.n > 0 {
		a.Max = round(h.max)
	}
	return a
}

// round keeps 4 decimals: the figures are estimates, and fewer digits
// make the file readable.
func round(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return math.Round(x*1e4) / 1e4
}
