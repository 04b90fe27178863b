package sim

import "math"

// Summary is summary.json: the run's figures per pool, per LP group and
// overall, each with its 95% confidence interval.
type Summary struct {
	Name            string `json:"name"`
	Paths           int    `json:"paths"`
	Seed            uint64 `json:"seed"`
	HorizonDays     int    `json:"horizonDays"`
	StepDays        int    `json:"stepDays"`
	RecordEveryDays int    `json:"recordEveryDays"`
	WarmupDays      int    `json:"warmupDays"`
	StartMarket     string `json:"startMarket"`
	// Interrupted marks a run stopped before every path ran: the figures
	// cover the Paths completed.
	Interrupted bool      `json:"interrupted"`
	Intervals   Intervals `json:"intervals"`
	// Precision is the --target-precision goal and how it ended.
	Precision *Precision `json:"targetPrecision,omitempty"`
	Overall   Overall    `json:"overall"`
	Tails     Tails      `json:"tails"`
	// Stress are the file's stress scenarios, each run over the same
	// paths with its shocks added.
	Stress []StressSummary `json:"stress,omitempty"`
	// History is what the fit of the file's history found.
	History *HistoryFit    `json:"historyFit,omitempty"`
	Groups  []GroupSummary `json:"groups"`
	Pools   []PoolSummary  `json:"pools"`
}

// Intervals says how the confidence intervals were computed.
type Intervals struct {
	Level   float64 `json:"level"`
	Batches int     `json:"batches"`
	Method  string  `json:"method"`
}

// Precision is a --target-precision goal: the figure, the half-width of
// its interval asked for and reached, and whether it was met.
type Precision struct {
	Figure string  `json:"figure"`
	Target float64 `json:"target"`
	// HalfWidth is the interval's half-width reached (absent when the
	// figure has no interval: fewer than two batches hold data for it).
	HalfWidth *float64 `json:"halfWidth,omitempty"`
	Met       bool     `json:"met"`
}

// Overall is the market as a whole.
type Overall struct {
	Stats
	TreasuryIncome Amounts `json:"treasuryIncome"`
	RiskFundIncome Amounts `json:"riskFundIncome"`
	// RiskFundCoversClaims is, among the paths with claims, the share
	// whose risk-fund income was at least the claims paid.
	RiskFundCoversClaims RiskFundCover `json:"riskFundCoversClaims"`
	Shortfall            Amounts       `json:"premiumShortfall"`
	// ShortfallProbability is the share of paths ending with a premium
	// shortfall in the engine's books.
	ShortfallProbability Estimate `json:"premiumShortfallProbability"`
	// LPsRefused counts LP arrivals the engine refused, over all paths;
	// LPsDeclined those who stayed away for a quoted APY below the one
	// they required.
	LPsRefused  uint64 `json:"lpsRefused"`
	LPsDeclined uint64 `json:"lpsDeclined"`
	// WithdrawalsBlocked is the withdrawals per path the engine refused
	// because a pool of the position had claims open.
	WithdrawalsBlocked Estimate `json:"withdrawalsBlockedByClaims"`
	// VenueFailure is the share of paths in which a strategy venue failed.
	VenueFailure Estimate `json:"venueFailureProbability"`
}

// RiskFundCover compares risk-fund income with claims in the paths that
// had claims.
type RiskFundCover struct {
	PathsWithClaims uint64   `json:"pathsWithClaims"`
	Share           Estimate `json:"share"`
}

// Stats are the figures kept both per pool and overall.
type Stats struct {
	LPAPY  ByKind[Quantiles] `json:"lpAPY"`
	LPLoss ByKind[Losses]    `json:"lpLoss"`
	// PathsWithClaims is the share of paths where a hack led to claims.
	PathsWithClaims Estimate `json:"pathsWithClaims"`
	// ClaimNotPaidInFull is the share of paths where some claim could not
	// be paid in full.
	ClaimNotPaidInFull Estimate `json:"claimNotPaidInFull"`
	// ClaimsPaid and ClaimsUnpaid are per path, tokens.
	ClaimsPaid   Amounts `json:"claimsPaid"`
	ClaimsUnpaid Amounts `json:"claimsUnpaid"`
	// CoverDemand is the covers asked for per path; CoverRefusedShare the
	// share the engine refused (no capacity).
	CoverDemand       Estimate `json:"coverDemand"`
	CoverRefusedShare Estimate `json:"coverRefusedShare"`
}

// ByKind splits a figure between unleveraged and leveraged LPs.
type ByKind[T any] struct {
	Unleveraged T `json:"unleveraged"`
	Leveraged   T `json:"leveraged"`
}

// Quantiles are a distribution's 5th, 50th and 95th percentiles and mean.
type Quantiles struct {
	N    uint64   `json:"n"`
	P5   Estimate `json:"p5"`
	P50  Estimate `json:"p50"`
	P95  Estimate `json:"p95"`
	Mean Estimate `json:"mean"`
}

// Losses describe the share of capital LPs lost to claims, in percent.
type Losses struct {
	N uint64 `json:"n"`
	// Probability is the share of LPs that lost any capital.
	Probability Estimate `json:"probability"`
	Mean        Estimate `json:"mean"`
	P95         Estimate `json:"p95"`
	P99         Estimate `json:"p99"`
	// Max is the largest loss seen (a sample maximum: no interval).
	Max float64 `json:"max"`
}

// Amounts describe a per-path amount in tokens.
type Amounts struct {
	Mean Estimate `json:"mean"`
	P5   Estimate `json:"p5"`
	P50  Estimate `json:"p50"`
	P95  Estimate `json:"p95"`
	// Max is the largest amount seen (a sample maximum: no interval).
	Max float64 `json:"max"`
}

// Tails are the tail figures over the horizon (HorizonDays): value at
// risk and expected shortfall at 95% and 99% of what a path loses.
type Tails struct {
	HorizonDays int `json:"horizonDays"`
	// ClaimsPaid is per path, in tokens.
	ClaimsPaid Tail `json:"claimsPaid"`
	// LPCapitalLost is per path the share of their capital (percent) a
	// book of LPs lost: the unleveraged LPs, the leveraged, each group.
	LPCapitalLost LPTails `json:"lpCapitalLost"`
	// ProtocolNetLoss is per path, in tokens, the claims not paid in full
	// less the treasury's and risk fund's income (negative: they earned
	// more than buyers were left owed).
	ProtocolNetLoss Tail `json:"protocolNetLoss"`
	// LossThreshold is tails.lossThreshold (percent); AnyPoolLPsLose is the
	// share of paths in which the LPs of at least one pool together lost
	// more than that share of their capital (per pool: pools[].lpsLose).
	LossThreshold  float64  `json:"lossThreshold"`
	AnyPoolLPsLose Estimate `json:"anyPoolLPsLoseMoreThanThreshold"`
}

// StressSummary is a stress scenario's run: the same paths (same seed,
// same random incidents and agents) with the scenario's shocks added.
type StressSummary struct {
	Name    string         `json:"name"`
	Shocks  []ShockSummary `json:"shocks"`
	Paths   int            `json:"paths"`
	Overall Overall        `json:"overall"`
	Tails   Tails          `json:"tails"`
}

// ShockSummary is one shock of a stress scenario: the day, the pools hit
// and the severity.
type ShockSummary struct {
	Day      int      `json:"day"`
	Pools    []string `json:"pools"`
	Severity float64  `json:"severity"`
}

// LPTails are the tails of LP books.
type LPTails struct {
	Unleveraged Tail        `json:"unleveraged"`
	Leveraged   Tail        `json:"leveraged"`
	Groups      []GroupTail `json:"groups"`
}

// GroupTail is one LP group's tail.
type GroupTail struct {
	Name string `json:"name"`
	Tail
}

// Tail is VaR and ES at 95% and 99%: VaR is the loss not exceeded in
// that share of paths, ES the mean loss over the paths beyond it.
type Tail struct {
	VaR95 Estimate `json:"var95"`
	ES95  Estimate `json:"es95"`
	VaR99 Estimate `json:"var99"`
	ES99  Estimate `json:"es99"`
}

// GroupSummary is one LP group of the file.
type GroupSummary struct {
	Name   string    `json:"name"`
	LPAPY  Quantiles `json:"lpAPY"`
	LPLoss Losses    `json:"lpLoss"`
}

// PoolSummary is one pool's figures and its bands over time.
type PoolSummary struct {
	Name string `json:"name"`
	Stats
	// HacksPerPath is the mean number of hacks of the pool in a path.
	HacksPerPath Estimate `json:"hacksPerPath"`
	// LPsLose is the share of paths in which the pool's LPs together
	// lost more than tails.lossThreshold of their capital.
	LPsLose Estimate `json:"lpsLoseMoreThanThreshold"`
	Bands   Bands    `json:"bands"`
}

// Bands are a pool's state over time: at each record day, the 5th, 50th
// and 95th percentiles over the paths (descriptive: no intervals).
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

// intervalMethod is summary.json's one-line account of the intervals.
const intervalMethod = "shares of paths: Wilson score interval; every other figure: batch means (sectioning) over 20 fixed batches of paths (path i in batch i mod 20): the figure from all paths ± t(k−1)·s/√k, s the standard deviation of the figure computed in each of the k batches holding data for it, the lower bound floored at 0 for a figure that cannot be negative"

// finalSummary is the summary of a run made with opt: whether it was
// interrupted and how its precision target ended.
func (a *aggregate) finalSummary(opt Options) *Summary {
	s := a.summary(opt.Seed)
	s.Interrupted = a.interrupted
	if t := opt.Target; t != nil {
		half := objectives(s)[t.Figure].HalfWidth()
		s.Precision = &Precision{Figure: t.Figure, Target: t.HalfWidth, Met: half <= t.HalfWidth}
		if !math.IsInf(half, 0) {
			reached := round(half)
			s.Precision.HalfWidth = &reached
		}
	}
	return s
}

// summary turns the aggregate into summary.json.
func (a *aggregate) summary(seed uint64) *Summary {
	c := a.m.cfg
	s := &Summary{Name: c.Name, Paths: a.paths, Seed: seed, HorizonDays: c.HorizonDays.N, StepDays: c.StepDays.N,
		RecordEveryDays: c.RecordDays.N, WarmupDays: c.WarmupDays.N, StartMarket: c.StartMarket,
		Intervals: Intervals{Level: confidenceLevel, Batches: batches, Method: intervalMethod}, History: c.fitted}
	all := a.all
	market := len(a.m.pools)
	s.Overall.Stats = a.stats(all, market)
	s.Overall.TreasuryIncome = a.amounts(all, func(t *tally) *histogram { return t.treasury })
	s.Overall.RiskFundIncome = a.amounts(all, func(t *tally) *histogram { return t.riskFund })
	s.Overall.RiskFundCoversClaims = RiskFundCover{PathsWithClaims: all.pools[market].withClaims,
		Share: wilson(all.riskFundCovers, all.pools[market].withClaims).rounded()}
	s.Overall.Shortfall = a.amounts(all, func(t *tally) *histogram { return t.shortfall })
	s.Overall.ShortfallProbability = wilson(all.shortfallPaths, all.paths).rounded()
	s.Overall.LPsRefused, s.Overall.LPsDeclined = all.lpRefused, all.lpDeclined
	s.Overall.VenueFailure = wilson(all.venueFailed, all.paths).rounded()
	s.Overall.WithdrawalsBlocked = a.estimate(all, func(t *tally) (float64, bool) {
		return float64(t.blocked) / float64(t.paths), t.paths > 0
	})
	s.Tails = a.tails(all)
	for g, lm := range a.m.lps {
		set := a.m.groupSet(g)
		s.Groups = append(s.Groups, GroupSummary{Name: lm.name, LPAPY: a.quantiles(all, set), LPLoss: a.losses(all, set)})
	}
	for id, pm := range a.m.pools {
		ps := PoolSummary{Name: pm.name, Stats: a.stats(all, id), Bands: a.poolBands(id)}
		ps.HacksPerPath = a.estimate(all, func(t *tally) (float64, bool) {
			return float64(t.pools[id].hacks) / float64(t.paths), t.paths > 0
		})
		ps.LPsLose = wilson(all.lossAbove[id], all.paths).rounded()
		s.Pools = append(s.Pools, ps)
	}
	return s
}

// statistic is one figure computed from a tally, and whether the tally
// holds data for it.
type statistic func(t *tally) (float64, bool)

// estimate is f, a figure that cannot be negative (a count, share or
// ratio), over all paths with its batch-means interval floored at 0.
func (a *aggregate) estimate(all *tally, f statistic) Estimate {
	return a.sectionedFigure(all, f, true)
}

// sectionedFigure is f over all paths with its batch-means interval, whose
// lower bound is floored at 0 for a figure that cannot be negative (the
// interval is symmetric; below 0 it would claim what cannot be).
func (a *aggregate) sectionedFigure(all *tally, f statistic, nonNegative bool) Estimate {
	v, ok := f(all)
	if !ok {
		return Estimate{}
	}
	var perBatch []float64
	for _, t := range a.batches {
		if x, ok := f(t); ok {
			perBatch = append(perBatch, x)
		}
	}
	e := sectioned(v, perBatch)
	if nonNegative && e.CI != nil {
		e.CI[0] = max(e.CI[0], 0)
	}
	return e.rounded()
}

// histogramFigure is a figure of the histogram h picks from a tally.
func (a *aggregate) histogramFigure(all *tally, h func(t *tally) *histogram, f func(h *histogram) float64) Estimate {
	return a.sectionedFigure(all, func(t *tally) (float64, bool) {
		x := h(t)
		return f(x), x.n > 0
	}, h(all).b.nonNegative())
}

// stats are the figures of pool id, or of the whole market (id = pools).
func (a *aggregate) stats(all *tally, id int) Stats {
	var st Stats
	st.LPAPY = ByKind[Quantiles]{a.quantiles(all, a.m.lpSet(unleveraged, id)), a.quantiles(all, a.m.lpSet(leveraged, id))}
	st.LPLoss = ByKind[Losses]{a.losses(all, a.m.lpSet(unleveraged, id)), a.losses(all, a.m.lpSet(leveraged, id))}
	pt := all.pools[id]
	st.PathsWithClaims = wilson(pt.withClaims, all.paths).rounded()
	st.ClaimNotPaidInFull = wilson(pt.short, all.paths).rounded()
	st.ClaimsPaid = a.amounts(all, func(t *tally) *histogram { return t.pools[id].paid })
	st.ClaimsUnpaid = a.amounts(all, func(t *tally) *histogram { return t.pools[id].unpaid })
	st.CoverDemand = a.estimate(all, func(t *tally) (float64, bool) {
		return float64(t.pools[id].covers) / float64(t.paths), t.paths > 0
	})
	st.CoverRefusedShare = a.estimate(all, func(t *tally) (float64, bool) {
		p := t.pools[id]
		return float64(p.refused) / float64(p.covers), p.covers > 0
	})
	return st
}

// quantiles are the realised APY figures of LP set set.
func (a *aggregate) quantiles(all *tally, set int) Quantiles {
	h := func(t *tally) *histogram { return t.lps[set].apy }
	q := func(p float64) Estimate {
		return a.histogramFigure(all, h, func(h *histogram) float64 { return h.quantile(p) })
	}
	return Quantiles{N: all.lps[set].apy.n, P5: q(0.05), P50: q(0.5), P95: q(0.95),
		Mean: a.histogramFigure(all, h, (*histogram).mean)}
}

// losses are the loss figures of LP set set.
func (a *aggregate) losses(all *tally, set int) Losses {
	h := func(t *tally) *histogram { return t.lps[set].loss }
	q := func(p float64) Estimate {
		return a.histogramFigure(all, h, func(h *histogram) float64 { return h.quantile(p) })
	}
	l := Losses{N: all.lps[set].loss.n, Mean: a.histogramFigure(all, h, (*histogram).mean), P95: q(0.95), P99: q(0.99)}
	l.Probability = a.estimate(all, func(t *tally) (float64, bool) {
		n := t.lps[set].loss.n
		return float64(t.lps[set].losing) / float64(n), n > 0
	})
	if l.N > 0 {
		l.Max = round(all.lps[set].loss.max)
	}
	return l
}

// amounts are the figures of the per-path amount h picks.
func (a *aggregate) amounts(all *tally, h func(t *tally) *histogram) Amounts {
	q := func(p float64) Estimate {
		return a.histogramFigure(all, h, func(h *histogram) float64 { return h.quantile(p) })
	}
	out := Amounts{Mean: a.histogramFigure(all, h, (*histogram).mean), P5: q(0.05), P50: q(0.5), P95: q(0.95)}
	if x := h(all); x.n > 0 {
		out.Max = round(x.max)
	}
	return out
}

// tails are the run's tail figures.
func (a *aggregate) tails(all *tally) Tails {
	book := func(i int) Tail { return a.tail(all, func(t *tally) *histogram { return t.books[i] }) }
	tl := Tails{HorizonDays: a.m.cfg.HorizonDays.N, LossThreshold: round(a.m.lossThreshold),
		ClaimsPaid:      a.tail(all, func(t *tally) *histogram { return t.pools[len(a.m.pools)].paid }),
		ProtocolNetLoss: a.tail(all, func(t *tally) *histogram { return t.protocolLoss }),
		LPCapitalLost:   LPTails{Unleveraged: book(unleveraged), Leveraged: book(leveraged)},
		AnyPoolLPsLose:  wilson(all.lossAbove[len(a.m.pools)], all.paths).rounded()}
	for g, lm := range a.m.lps {
		tl.LPCapitalLost.Groups = append(tl.LPCapitalLost.Groups, GroupTail{Name: lm.name, Tail: book(a.m.groupBook(g))})
	}
	return tl
}

// tail is VaR and ES of the per-path loss h picks.
func (a *aggregate) tail(all *tally, h func(t *tally) *histogram) Tail {
	at := func(alpha float64, es bool) Estimate {
		return a.histogramFigure(all, h, func(h *histogram) float64 {
			v, shortfall := h.tail(alpha)
			if es {
				return shortfall
			}
			return v
		})
	}
	return Tail{VaR95: at(0.95, false), ES95: at(0.95, true), VaR99: at(0.99, false), ES99: at(0.99, true)}
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

// round keeps 4 decimals: the figures are estimates, and fewer digits
// make the file readable.
func round(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return math.Round(x*1e4) / 1e4
}
