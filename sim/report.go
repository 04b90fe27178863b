package sim

import (
	"bufio"
	"fmt"
	"html/template"
	"image/color"
	"math"

	"github.com/vpool/vpool/ray"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// reportPool is one pool's figures in the report.
type reportPool struct {
	Name                    string
	Curve, Bands, APY, Loss template.HTML
}

// reportPage is what report.html is rendered from.
type reportPage struct {
	S                         *Summary
	Money, Losses, APY, Table template.HTML
	Pools                     []reportPool
}

// writeReport renders report.html: the overall figures, then each pool's.
func writeReport(w *bufio.Writer, a *aggregate, s *Summary) error {
	page := reportPage{S: s}
	pooled := a.all
	var err error
	if page.Money, err = a.moneyFigure(); err != nil {
		return err
	}
	all := len(a.m.pools)
	if page.Losses, err = a.lossFigure(pooled, all, "all pools"); err != nil {
		return err
	}
	if page.APY, err = a.apyFigure(pooled, all, "all pools"); err != nil {
		return err
	}
	for id, pm := range a.m.pools {
		rp := reportPool{Name: pm.name}
		if rp.Curve, err = a.curveFigure(id, s.Pools[id].Bands); err != nil {
			return err
		}
		if rp.Bands, err = a.bandsFigure(id, s.Pools[id].Bands); err != nil {
			return err
		}
		if rp.APY, err = a.fanFigure(id); err != nil {
			return err
		}
		if rp.Loss, err = a.lossFigure(pooled, id, pm.name); err != nil {
			return err
		}
		page.Pools = append(page.Pools, rp)
	}
	return reportTemplate.Execute(w, page)
}

const (
	figW = 5.2 * vg.Inch
	figH = 3.4 * vg.Inch
)

// curveFigure draws pool id's premium curve as the engine prices it, with
// the utilization range the pool operated in (p5 to p95 over all paths and
// records) shaded.
func (a *aggregate) curveFigure(id int, b Bands) (template.HTML, error) {
	p := figure(a.m.pools[id].name+": premium curve", "utilization (%)", "premium rate (%/year)")
	lo, hi := 100.0, 0.0
	for r := range b.Days {
		lo, hi = min(lo, b.Utilization.P5[r]), max(hi, b.Utilization.P95[r])
	}
	var xs, ys []float64
	f := a.m.pools[id].formula
	for u := 0; u <= 100; u++ {
		var c ray.Calc
		rate := f.PremiumRate(&c, c.MulInt(ray.RAY, ray.U64(uint64(u))))
		xs, ys = append(xs, float64(u)), append(ys, rate.Float64()/1e27)
	}
	if hi >= lo {
		top := a.m.pools[id].maxRate
		if err := band(p, []float64{lo, hi}, []float64{0, 0}, []float64{top, top}, grey, "operating range (p5–p95)"); err != nil {
			return "", err
		}
	}
	if err := line(p, xs, ys, blue, "premium rate"); err != nil {
		return "", err
	}
	return img(p, "premium curve of "+a.m.pools[id].name)
}

// bandsFigure draws utilization and premium-rate bands over time.
func (a *aggregate) bandsFigure(id int, b Bands) (template.HTML, error) {
	p := figure(a.m.pools[id].name+": utilization and premium rate", "day", "%")
	days := floats(b.Days)
	if err := band(p, days, b.Utilization.P5, b.Utilization.P95, blueBand, "utilization p5–p95"); err != nil {
		return "", err
	}
	if err := line(p, days, b.Utilization.P50, blue, "utilization p50"); err != nil {
		return "", err
	}
	if err := band(p, days, b.PremiumRate.P5, b.PremiumRate.P95, redBand, "premium rate p5–p95"); err != nil {
		return "", err
	}
	if err := line(p, days, b.PremiumRate.P50, red, "premium rate p50"); err != nil {
		return "", err
	}
	return img(p, "utilization and premium rate of "+a.m.pools[id].name)
}

// fanFigure draws the fan of an unleveraged LP's APY over time: 5–95 and
// 25–75 percentile bands around the median.
func (a *aggregate) fanFigure(id int) (template.HTML, error) {
	p := figure(a.m.pools[id].name+": unleveraged LP APY", "day", "APY (%)")
	var days, q5, q25, q50, q75, q95 []float64
	for r := range a.m.records {
		h := a.bands[(r*len(a.m.pools)+id)*poolSeries+seriesLPAPY]
		days = append(days, float64(a.m.recordDay(r)))
		q5, q25, q50 = append(q5, h.quantile(0.05)), append(q25, h.quantile(0.25)), append(q50, h.quantile(0.5))
		q75, q95 = append(q75, h.quantile(0.75)), append(q95, h.quantile(0.95))
	}
	if err := band(p, days, q5, q95, blueBand, "p5–p95"); err != nil {
		return "", err
	}
	if err := band(p, days, q25, q75, blueInner, "p25–p75"); err != nil {
		return "", err
	}
	if err := line(p, days, q50, blue, "median"); err != nil {
		return "", err
	}
	return img(p, "APY fan of "+a.m.pools[id].name)
}

// lossFigure draws the distribution of the capital LPs lost, leveraged
// against unleveraged: the share of LPs in each 5% bin of loss (LPs that
// lost nothing are the rest, given in the title).
func (a *aggregate) lossFigure(all *tally, id int, name string) (template.HTML, error) {
	const bins = 20
	p := figure("", "capital lost to claims (%)", "share of LPs (%)")
	var titles []string
	for k, c := range []struct {
		name   string
		colour color.Color
	}{{"unleveraged", blue}, {"leveraged", orange}} {
		h := all.lps[a.m.lpSet(k, id)].loss
		values := make(plotter.Values, bins)
		for i := range values {
			values[i] = 100 * float64(h.between(float64(i*100/bins), float64((i+1)*100/bins))) / float64(max(h.n, 1))
		}
		bars, err := plotter.NewBarChart(values, vg.Points(6))
		if err != nil {
			return "", err
		}
		bars.Offset = vg.Points(float64(6*k - 3))
		bars.Color = c.colour
		bars.LineStyle.Width = 0
		p.Add(bars)
		p.Legend.Add(c.name, bars)
		titles = append(titles, fmt.Sprintf("%s %.1f%% lose", c.name, 100*float64(h.n-h.zeros)/float64(max(h.n, 1))))
	}
	p.Title.Text = name + ": LP losses (" + titles[0] + ", " + titles[1] + ")"
	p.NominalX(binLabels(bins)...)
	return img(p, "loss histogram of "+name)
}

func binLabels(bins int) []string {
	labels := make([]string, bins)
	for i := range labels {
		if i%4 == 0 {
			labels[i] = fmt.Sprint(i * 100 / bins)
		}
	}
	return labels
}

// apyFigure draws the realised APY distribution of LPs, leveraged against
// unleveraged, between the 1st and 99th percentiles.
func (a *aggregate) apyFigure(all *tally, id int, name string) (template.HTML, error) {
	p := figure(name+": realised LP APY over the horizon", "APY (%)", "share of LPs (%)")
	for k, c := range []color.Color{blue, orange} {
		h := all.lps[a.m.lpSet(k, id)].apy
		if h.n == 0 {
			continue
		}
		lo, hi := math.Floor(h.quantile(0.01)), math.Ceil(h.quantile(0.99))
		width := max((hi-lo)/40, h.b.width)
		var xs, ys []float64
		for x := lo; x <= hi; x += width {
			xs, ys = append(xs, x+width/2), append(ys, 100*float64(h.between(x, x+width))/float64(h.n))
		}
		if err := line(p, xs, ys, c, []string{"unleveraged", "leveraged"}[k]); err != nil {
			return "", err
		}
	}
	return img(p, "APY distribution of "+name)
}

// moneyFigure draws treasury and risk-fund income against the claims
// paid, cumulated since the horizon start (means, with the claims' p95).
func (a *aggregate) moneyFigure() (template.HTML, error) {
	p := figure("Risk fund and treasury income against claims paid", "day", "tokens (cumulated, mean over paths)")
	var days []float64
	series := make([][]float64, moneySeries)
	var claims95, zeros []float64
	for r := range a.m.records {
		days = append(days, float64(a.m.recordDay(r)))
		for k := range moneySeries {
			series[k] = append(series[k], a.money[r*moneySeries+k].mean())
		}
		claims95 = append(claims95, a.money[r*moneySeries+moneyClaimsPaid].quantile(0.95))
		zeros = append(zeros, 0)
	}
	if err := band(p, days, zeros, claims95, redBand, "claims paid, p95"); err != nil {
		return "", err
	}
	for k, c := range []struct {
		name   string
		colour color.Color
	}{{"treasury income", green}, {"risk-fund income", blue}, {"claims paid (mean)", red}} {
		if err := line(p, days, series[k], c.colour, c.name); err != nil {
			return "", err
		}
	}
	return img(p, "risk fund against losses")
}

// img renders a figure for the report.
func img(p *plot.Plot, alt string) (template.HTML, error) {
	tag, err := svgImage(p, figW, figH, alt)
	return template.HTML(tag), err
}

func floats(xs []int) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}
