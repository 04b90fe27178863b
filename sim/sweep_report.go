package sim

import (
	"bufio"
	"html/template"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// sweepPage is what sweep.html is rendered from.
type sweepPage struct {
	R      *SweepResult
	Charts []chart
}

// writeHTML renders sweep.html: the objective with its intervals as a
// line over one parameter, or a heatmap with a colour scale over two,
// and the table of every point.
func (r *SweepResult) writeHTML(w *bufio.Writer) error {
	var charts []chart
	if len(r.Params) == 1 {
		c, err := r.lineChart()
		if err != nil {
			return err
		}
		charts = append(charts, c)
	} else {
		c, err := r.heatmapCharts()
		if err != nil {
			return err
		}
		charts = append(charts, c...)
	}
	return sweepTemplate.Execute(w, sweepPage{R: r, Charts: charts})
}

// lineChart draws the objective over one parameter, with its 95%
// intervals as error bars, at the parameter's true values when they are
// numbers.
func (r *SweepResult) lineChart() (chart, error) {
	c := newCanvas(r.Objective, r.Params[0], r.Objective)
	xs, numeric := axisPositions(distinct(r.Points, 0))
	pts := errorPoints{}
	for i, pt := range r.Points {
		pts.xys = append(pts.xys, plotter.XY{X: xs[i], Y: pt.Objective.Value})
		half := 0.0
		if pt.Objective.CI != nil {
			half = pt.Objective.HalfWidth()
		}
		pts.half = append(pts.half, half)
	}
	if err := c.line(xs, yValues(pts.xys), blue, r.Objective); err != nil {
		return chart{}, err
	}
	bars, err := plotter.NewYErrorBars(pts)
	if err != nil {
		return chart{}, err
	}
	bars.Color = blue
	c.p.Add(bars)
	c.name("95% confidence interval", blue, false)
	if !numeric {
		c.p.NominalX(distinct(r.Points, 0)...)
	}
	return c.chart("sweep", "The objective at each value of the parameter, each point a full run of the same paths (the same "+
		"seed), with its 95% confidence interval as a bar. Points whose bars overlap are not told apart by this many paths. "+
		"Numeric values are placed at their true spacing.")
}

// heatmapCharts draw the objective over two parameters as a heatmap whose
// cells give the value and its interval's half-width, and its colour
// scale.
func (r *SweepResult) heatmapCharts() ([]chart, error) {
	colLabels, rowLabels := distinct(r.Points, 1), distinct(r.Points, 0)
	xs, xNumeric := axisPositions(colLabels)
	ys, yNumeric := axisPositions(rowLabels)
	g := &sweepGrid{xs: xs, ys: ys, z: make([]float64, len(r.Points))}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, pt := range r.Points {
		g.z[i] = pt.Objective.Value
		lo, hi = min(lo, g.z[i]), max(hi, g.z[i])
	}
	if hi <= lo {
		hi = lo + 1
	}
	colours := moreland.SmoothBlueRed()
	colours.SetMin(lo)
	colours.SetMax(hi)
	c := newCanvas(r.Objective, r.Params[1], r.Params[0])
	heat := plotter.NewHeatMap(g, colours.Palette(64))
	heat.Min, heat.Max = lo, hi
	c.p.Add(heat)
	for i, pt := range r.Points {
		text := strconv.FormatFloat(pt.Objective.Value, 'g', 4, 64)
		if pt.Objective.CI != nil {
			text += "\n± " + strconv.FormatFloat(pt.Objective.HalfWidth(), 'g', 3, 64)
		}
		labels, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: xs[i%len(xs)], Y: ys[i/len(xs)]}}, Labels: []string{text}})
		if err != nil {
			return nil, err
		}
		c.p.Add(labels)
	}
	if !xNumeric {
		c.p.NominalX(colLabels...)
	}
	if !yNumeric {
		c.p.NominalY(rowLabels...)
	}
	heatmap, err := c.chart("sweep heatmap", "Each cell is one point of the grid, a full run of the same paths: its value and, under "+
		"it, the half-width of its 95% interval. Two cells whose values differ by less than their half-widths together are not "+
		"told apart by this many paths. The colour scale is beside; numeric values sit at their true spacing.")
	if err != nil {
		return nil, err
	}
	scale, err := colourScale(colours, r.Objective)
	if err != nil {
		return nil, err
	}
	tag, err := svgImage(scale, 1.6*vg.Inch, figH, "colour scale")
	if err != nil {
		return nil, err
	}
	return []chart{heatmap, {Img: template.HTML(tag), HowTo: "The colour of each value of " + r.Objective + "."}}, nil
}

// colourScale draws a colour map's scale as a column of shaded steps
// (vector shapes, which every SVG viewer scales alike).
func colourScale(colours palette.ColorMap, title string) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = title
	p.HideX()
	const steps = 64
	lo, hi := colours.Min(), colours.Max()
	step := (hi - lo) / steps
	for i := range steps {
		y := lo + step*float64(i)
		col, err := colours.At(y + step/2)
		if err != nil {
			return nil, err
		}
		poly, err := plotter.NewPolygon(plotter.XYs{{X: 0, Y: y}, {X: 1, Y: y}, {X: 1, Y: y + step}, {X: 0, Y: y + step}})
		if err != nil {
			return nil, err
		}
		poly.Color, poly.LineStyle.Width = col, 0
		p.Add(poly)
	}
	return p, nil
}

// axisPositions places a parameter's values: at their numeric value
// (a trailing % is dropped) when every one is a number, else at 0, 1, 2….
func axisPositions(values []string) ([]float64, bool) {
	out := make([]float64, len(values))
	for i, v := range values {
		x, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "%")), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			for j := range out {
				out[j] = float64(j)
			}
			return out, false
		}
		out[i] = x
	}
	return out, true
}

// errorPoints are points with a symmetric error bar.
type errorPoints struct {
	xys  plotter.XYs
	half []float64
}

func (e errorPoints) Len() int                        { return len(e.xys) }
func (e errorPoints) XY(i int) (float64, float64)     { return e.xys[i].X, e.xys[i].Y }
func (e errorPoints) YError(i int) (float64, float64) { return e.half[i], e.half[i] }

func yValues(pts plotter.XYs) []float64 {
	out := make([]float64, len(pts))
	for i, p := range pts {
		out[i] = p.Y
	}
	return out
}

// sweepGrid is a two-parameter grid for a heatmap: column = second
// parameter, row = first, at their positions.
type sweepGrid struct {
	xs, ys []float64
	z      []float64
}

func (g *sweepGrid) Dims() (int, int)   { return len(g.xs), len(g.ys) }
func (g *sweepGrid) Z(c, r int) float64 { return g.z[r*len(g.xs)+c] }
func (g *sweepGrid) X(c int) float64    { return g.xs[c] }
func (g *sweepGrid) Y(r int) float64    { return g.ys[r] }

// sweepTemplate is sweep.html: self-contained, figures inlined.
var sweepTemplate = template.Must(template.New("sweep").Funcs(template.FuncMap{
	"estimate": func(e Estimate) string { return fmtEstimate(e, 4) },
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>vpool sim sweep: {{.R.Objective}}</title>
<style>` + reportCSS + `</style></head><body>
<h1>Sweep: {{.R.Objective}}</h1>
{{if .R.Interrupted}}<p class="warn">Interrupted: only the points below ran.</p>{{end}}
<div class="grid">{{range .Charts}}{{template "chart" .}}{{end}}</div>
<table><tr>{{range .R.Params}}<th>{{.}}</th>{{end}}<th>{{.R.Objective}} (95% interval)</th></tr>
{{range .R.Points}}<tr>{{range .Values}}<td>{{.}}</td>{{end}}<td>{{estimate .Objective}}</td></tr>
{{end}}</table>
<p>Every objective of every point, with its interval, is in sweep.csv and sweep.json.</p>
</body></html>
` + chartTemplate))
