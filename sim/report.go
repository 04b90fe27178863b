package sim

import (
	"bufio"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// reportPage is what report.html is rendered from.
type reportPage struct {
	S      *Summary
	Market []chart // the market as a whole
	Tails  []chart
	Pools  []reportPool
}

// reportPool is one pool's section.
type reportPool struct {
	S      PoolSummary
	Charts []chart
}

// writeReport renders report.html: the tables and figures of the market,
// its tails, then each pool's.
func writeReport(w *bufio.Writer, a *aggregate, s *Summary) error {
	page := reportPage{S: s}
	all := a.all
	for _, draw := range []func() (chart, error){a.moneyChart, func() (chart, error) { return a.apyChart(all) },
		func() (chart, error) { return a.lossChart(all) }} {
		c, err := draw()
		if err != nil {
			return err
		}
		page.Market = append(page.Market, c)
	}
	for _, draw := range []func(*tally) (chart, error){a.claimsExceedanceChart, a.bookExceedanceChart} {
		c, err := draw(all)
		if err != nil {
			return err
		}
		page.Tails = append(page.Tails, c)
	}
	for id := range a.m.pools {
		rp := reportPool{S: s.Pools[id]}
		for _, draw := range []func(int, Bands) (chart, error){a.curveChart, a.utilizationChart, a.rateChart, a.fanChart,
			func(id int, _ Bands) (chart, error) { return a.poolLossChart(all, id) }} {
			c, err := draw(id, s.Pools[id].Bands)
			if err != nil {
				return err
			}
			rp.Charts = append(rp.Charts, c)
		}
		page.Pools = append(page.Pools, rp)
	}
	return reportTemplate.Execute(w, page)
}

// moneyChart draws treasury and risk-fund income against the claims
// paid, cumulated since the horizon start (means, with the claims' p95).
func (a *aggregate) moneyChart() (chart, error) {
	c := newCanvas("Fee income against claims paid", "day of the horizon", "tokens, cumulated")
	var days, zeros, claims95 []float64
	series := make([][]float64, moneySeries)
	for r := range a.m.records {
		days = append(days, float64(a.m.recordDay(r)))
		for k := range moneySeries {
			series[k] = append(series[k], a.money[r*moneySeries+k].mean())
		}
		claims95, zeros = append(claims95, a.money[r*moneySeries+moneyClaimsPaid].quantile(0.95)), append(zeros, 0)
	}
	if err := c.band(days, zeros, claims95, redBand, "claims paid: 95% of paths below"); err != nil {
		return chart{}, err
	}
	for k, s := range []struct {
		name   string
		colour color.Color
	}{{"treasury income (mean)", green}, {"risk-fund income (mean)", blue}, {"claims paid (mean)", red}} {
		if err := c.line(days, series[k], s.colour, s.name); err != nil {
			return chart{}, err
		}
	}
	return c.chart("fee income against claims", "Each line is the mean over all paths of what the account received (or what claims paid) "+
		"since the horizon started. The shaded area reaches the claims paid that 95% of paths stay below: where it rises far above "+
		"the income lines, a bad year's claims dwarf what the fees bring in. The engine pays no claim from either fee account.")
}

// apyChart draws the realised APY of the LPs of each group over the full
// range of APYs seen, in equal bins shared by every group, on a log scale
// so that the tails show.
func (a *aggregate) apyChart(all *tally) (chart, error) {
	c := newCanvas("Realised LP APY by LP group", "APY over the horizon (%)", "share of the group's LPs (%)")
	var hs []*histogram
	lo, hi := math.Inf(1), math.Inf(-1)
	for g := range a.m.lps {
		h := all.lps[a.m.groupSet(g)].apy
		hs = append(hs, h)
		if h.n > 0 {
			lo, hi = min(lo, h.min), max(hi, h.max)
		}
	}
	if math.IsInf(lo, 1) {
		return c.chart("APY distribution", "No LP was held long enough (30 days) to have an APY.")
	}
	const bins = 200
	width := max((hi-lo)/bins, 0.01)
	edges := make([]float64, bins+1)
	for i := range edges {
		edges[i] = lo + width*float64(i)
	}
	const floor = 1e-3
	c.logY(floor)
	for g, h := range hs {
		if h.n == 0 {
			continue
		}
		ys := make([]float64, bins)
		h.eachBin(func(i int, n uint64, _ sum128) {
			k := int((h.b.edge(i) - lo) / width)
			ys[min(max(k, 0), bins-1)] += 100 * float64(n) / float64(h.n)
		})
		if err := c.steps(edges, floored(ys, floor), seriesColour(g), fmt.Sprintf("%s (%d LPs held 30 days or more)", a.m.lps[g].name, h.n)); err != nil {
			return chart{}, err
		}
	}
	return c.chart("APY distribution", fmt.Sprintf("Every LP held at least 30 days counts once in its group: the share of the group's LPs "+
		"whose simple annualized return over the horizon fell in each of %d equal bins of %.2f points, from the lowest APY seen to the "+
		"highest. The vertical axis is logarithmic, so a bin holding a handful of LPs in the tail still shows: the far left is LPs "+
		"whose capital claims took. Groups mixing 3- and 4-pool baskets would be two humps; each group of the file has its own curve.", bins, width))
}

// lossChart draws, for each LP group, the share of its LPs in each 5% bin
// of capital lost (LPs that lost nothing are the rest, given in the
// legend).
func (a *aggregate) lossChart(all *tally) (chart, error) {
	c := newCanvas("Capital lost to claims by LP group", "capital lost (%, bins of 5 points)", "share of the group's LPs (%)")
	var sets []int
	var names []string
	for g, lm := range a.m.lps {
		sets, names = append(sets, a.m.groupSet(g)), append(names, lm.name)
	}
	return a.lossBars(c, all, sets, names, "loss histogram by group")
}

// poolLossChart draws the pool's losses, unleveraged against leveraged.
func (a *aggregate) poolLossChart(all *tally, id int) (chart, error) {
	c := newCanvas(a.m.pools[id].name+": capital lost to claims", "capital lost (%, bins of 5 points)", "share of LPs (%)")
	return a.lossBars(c, all, []int{a.m.lpSet(unleveraged, id), a.m.lpSet(leveraged, id)}, []string{"unleveraged", "leveraged"},
		"loss histogram of "+a.m.pools[id].name)
}

// lossBars draws grouped bars of the loss histograms of the LP sets.
func (a *aggregate) lossBars(c *canvas, all *tally, sets []int, names []string, alt string) (chart, error) {
	const bins = 20
	barWidth := vg.Points(float64(18 / max(len(sets), 1)))
	for k, set := range sets {
		h := all.lps[set].loss
		values := make(plotter.Values, bins)
		for i := range values {
			values[i] = 100 * float64(h.between(float64(i*100/bins), float64((i+1)*100/bins))) / float64(max(h.n, 1))
		}
		bars, err := plotter.NewBarChart(values, barWidth)
		if err != nil {
			return chart{}, err
		}
		bars.Offset = barWidth * vg.Length(float64(k)-float64(len(sets)-1)/2)
		bars.Color, bars.LineStyle.Width = seriesColour(k), 0
		c.p.Add(bars)
		losing := 100 * float64(h.n-h.zeros) / float64(max(h.n, 1))
		c.name(fmt.Sprintf("%s: %.1f%% of %d LPs lost capital", names[k], losing, h.n), seriesColour(k), true)
	}
	labels := make([]string, bins)
	for i := range labels {
		if i%4 == 0 {
			labels[i] = fmt.Sprint(i * 100 / bins)
		}
	}
	c.p.NominalX(labels...)
	return c.chart(alt, "Bars are the share of LPs (of all LPs of the series, losers or not) whose capital fell by a loss in each "+
		"5-point bin, from 0–5% to 95–100%. LPs that lost nothing are not drawn: the legend gives the share that lost anything. "+
		"A leveraged LP is cut by every payout in any pool of its basket, so its bars reach further right.")
}

// claimsExceedanceChart draws the loss-exceedance curve of the claims
// paid in a path: the share of paths whose claims exceeded each amount.
func (a *aggregate) claimsExceedanceChart(all *tally) (chart, error) {
	c := newCanvas("Loss exceedance: claims paid per path", "claims paid over the horizon (tokens)", "share of paths above (%)")
	h := all.pools[len(a.m.pools)].paid
	xs, ys := exceedance(h)
	if len(xs) < 2 {
		return c.chart("claims exceedance", "No path paid claims: the curve is empty.")
	}
	c.logX()
	c.logY(ys[len(ys)-1] / 2)
	if err := c.line(xs, ys, red, "claims paid"); err != nil {
		return chart{}, err
	}
	return c.chart("claims exceedance", "For every amount x on the horizontal axis, the share of paths whose claims over the horizon "+
		"exceeded x (both axes logarithmic). Read across at 5% and 1% for the VaR of the tails table; the area under the curve "+
		"to the right of a VaR is what its expected shortfall averages. A flat, long curve is a heavy tail.")
}

// bookExceedanceChart draws the loss-exceedance curves of the LP books:
// the share of paths in which each book lost more than x% of its capital.
func (a *aggregate) bookExceedanceChart(all *tally) (chart, error) {
	c := newCanvas("Loss exceedance: LP capital lost per path", "capital lost by the book over the horizon (%)", "share of paths above (%)")
	names := []string{"unleveraged LPs", "leveraged LPs"}
	for _, lm := range a.m.lps {
		names = append(names, "group "+lm.name)
	}
	floor := 100.0
	drawn := false
	for i, name := range names {
		xs, ys := exceedance(all.books[i])
		if len(xs) < 2 {
			continue
		}
		floor, drawn = min(floor, ys[len(ys)-1]/2), true
		if err := c.line(xs, ys, seriesColour(i), name); err != nil {
			return chart{}, err
		}
	}
	if drawn {
		c.logY(floor)
	}
	return c.chart("LP book exceedance", "For every share x of capital, the share of paths in which a book of LPs (all unleveraged LPs "+
		"together, all leveraged ones, or one group of the file) lost more than x% of its capital to claims (the vertical axis is "+
		"logarithmic). Where a curve crosses 5% and 1% are the VaR of the tails table. A book whose curve stays high far to the "+
		"right loses much when it loses.")
}

// exceedance is the exceedance curve of a histogram: at the lower edge of
// every non-empty bin (above 0), the percentage of values at or above it.
func exceedance(h *histogram) (xs, ys []float64) {
	if h.n == 0 {
		return nil, nil
	}
	type bin struct {
		edge float64
		n    uint64
	}
	var bins []bin
	h.eachBin(func(i int, n uint64, _ sum128) {
		if e := h.b.edge(i); e > 0 {
			bins = append(bins, bin{e, n})
		}
	})
	above := uint64(0)
	for i := len(bins) - 1; i >= 0; i-- {
		above += bins[i].n
		bins[i].n = above
	}
	for _, b := range bins {
		xs, ys = append(xs, b.edge), append(ys, 100*float64(b.n)/float64(h.n))
	}
	return xs, ys
}
