package sim

import (
	"image/color"

	"github.com/vpool/vpool/ray"
)

// curveChart draws pool id's premium curve as the engine prices it, with
// the utilization range the pool operated in (p5 to p95 over all paths and
// records) shaded.
func (a *aggregate) curveChart(id int, b Bands) (chart, error) {
	pm := a.m.pools[id]
	c := newCanvas(pm.name+": premium curve", "utilization (%)", "premium rate (%/year)")
	lo, hi := 100.0, 0.0
	for r := range b.Days {
		lo, hi = min(lo, b.Utilization.P5[r]), max(hi, b.Utilization.P95[r])
	}
	if hi >= lo {
		if err := c.band([]float64{lo, hi}, []float64{0, 0}, []float64{pm.maxRate, pm.maxRate}, grey, "operating range: utilization p5–p95"); err != nil {
			return chart{}, err
		}
	}
	var xs, ys []float64
	for u := 0; u <= 100; u++ {
		var calc ray.Calc
		rate := pm.formula.PremiumRate(&calc, calc.MulInt(ray.RAY, ray.U64(uint64(u))))
		xs, ys = append(xs, float64(u)), append(ys, rate.Float64()/1e27)
	}
	if err := c.line(xs, ys, blue, "premium rate (the engine's curve)"); err != nil {
		return chart{}, err
	}
	return c.chart("premium curve of "+pm.name, "The yearly premium rate the engine charges at each utilization, and shaded the "+
		"utilizations the pool spent its time in (from the lowest 5th to the highest 95th percentile over the record days). "+
		"An operating range reaching past the kink means buyers often paid the steep part of the curve.")
}

// utilizationChart draws the pool's utilization over time.
func (a *aggregate) utilizationChart(id int, b Bands) (chart, error) {
	return a.bandChart(a.m.pools[id].name+": utilization", "utilization (%)", b.Days, b.Utilization, blue, blueBand,
		"utilization of "+a.m.pools[id].name, "Covered capital over the pool's liquidity on each record day: the median path "+
			"and the band 90% of paths stay within. A band pinned at the top means cover was often refused for lack of capacity.")
}

// rateChart draws the pool's premium rate over time.
func (a *aggregate) rateChart(id int, b Bands) (chart, error) {
	return a.bandChart(a.m.pools[id].name+": premium rate", "premium rate (%/year)", b.Days, b.PremiumRate, red, redBand,
		"premium rate of "+a.m.pools[id].name, "The yearly premium rate the engine quoted on each record day: the median path "+
			"and the band 90% of paths stay within. It follows utilization along the curve above.")
}

// bandChart draws a band of percentiles over the record days.
func (a *aggregate) bandChart(title, y string, days []int, b Band, col, shade color.Color, alt, howTo string) (chart, error) {
	c := newCanvas(title, "day of the horizon", y)
	xs := floats(days)
	if err := c.band(xs, b.P5, b.P95, shade, "5th to 95th percentile of paths"); err != nil {
		return chart{}, err
	}
	if err := c.line(xs, b.P50, col, "median path"); err != nil {
		return chart{}, err
	}
	return c.chart(alt, howTo)
}

// fanChart draws the fan of an unleveraged LP's current APY over time:
// 5–95 and 25–75 percentile bands around the median.
func (a *aggregate) fanChart(id int, _ Bands) (chart, error) {
	name := a.m.pools[id].name
	c := newCanvas(name+": unleveraged LP APY", "day of the horizon", "APY (%/year)")
	var days, q5, q25, q50, q75, q95 []float64
	for r := range a.m.records {
		h := a.bands[(r*len(a.m.pools)+id)*poolSeries+seriesLPAPY]
		days = append(days, float64(a.m.recordDay(r)))
		q5, q25, q50 = append(q5, h.quantile(0.05)), append(q25, h.quantile(0.25)), append(q50, h.quantile(0.5))
		q75, q95 = append(q75, h.quantile(0.75)), append(q95, h.quantile(0.95))
	}
	if err := c.band(days, q5, q95, blueBand, "5th to 95th percentile"); err != nil {
		return chart{}, err
	}
	if err := c.band(days, q25, q75, blueInner, "25th to 75th percentile"); err != nil {
		return chart{}, err
	}
	if err := c.line(days, q50, blue, "median"); err != nil {
		return chart{}, err
	}
	return c.chart("APY fan of "+name, "The APY an unleveraged LP of the pool would be quoted on each record day (the pool's net "+
		"premium rate plus its strategy's yield), across paths. It is a rate at a moment, not a realised return: the realised "+
		"returns are in the APY distribution above.")
}
