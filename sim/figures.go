package sim

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Figure colours: one hue per series, a light tint for bands.
var (
	blue      = color.NRGBA{R: 31, G: 119, B: 180, A: 255}
	orange    = color.NRGBA{R: 255, G: 127, B: 14, A: 255}
	green     = color.NRGBA{R: 44, G: 160, B: 44, A: 255}
	red       = color.NRGBA{R: 214, G: 39, B: 40, A: 255}
	purple    = color.NRGBA{R: 148, G: 103, B: 189, A: 255}
	brown     = color.NRGBA{R: 140, G: 86, B: 75, A: 255}
	pink      = color.NRGBA{R: 227, G: 119, B: 194, A: 255}
	olive     = color.NRGBA{R: 188, G: 189, B: 34, A: 255}
	blueBand  = color.NRGBA{R: 31, G: 119, B: 180, A: 50}
	blueInner = color.NRGBA{R: 31, G: 119, B: 180, A: 90}
	redBand   = color.NRGBA{R: 214, G: 39, B: 40, A: 40}
	grey      = color.NRGBA{R: 150, G: 150, B: 150, A: 60}
)

// series are the colours of curves drawn side by side (LP groups, kinds),
// in order.
var series = []color.NRGBA{blue, orange, green, red, purple, brown, pink, olive}

// seriesColour is the colour of the i-th curve.
func seriesColour(i int) color.NRGBA { return series[i%len(series)] }

const (
	figW = 5.2 * vg.Inch
	figH = 3.4 * vg.Inch
)

// chart is one figure of a report: the image, its legend (drawn in HTML
// under the image, so that it never covers the data) and a short note on
// how to read it.
type chart struct {
	Img    template.HTML
	Legend []legendEntry
	HowTo  string
}

// legendEntry names one series: its CSS colour and whether it is a
// shaded band rather than a line.
type legendEntry struct {
	Name   string
	Colour template.CSS
	Band   bool
}

// canvas is a chart being drawn.
type canvas struct {
	p      *plot.Plot
	legend []legendEntry
}

// newCanvas is a plot with the report's common look.
func newCanvas(title, x, y string) *canvas {
	p := plot.New()
	p.Title.Text, p.X.Label.Text, p.Y.Label.Text = title, x, y
	p.Add(plotter.NewGrid())
	return &canvas{p: p}
}

// logY puts the y axis on a log scale from floor up.
func (c *canvas) logY(floor float64) {
	c.p.Y.Scale, c.p.Y.Tick.Marker, c.p.Y.Min = plot.LogScale{}, plot.LogTicks{Prec: -1}, floor
}

// logX puts the x axis on a log scale.
func (c *canvas) logX() {
	c.p.X.Scale, c.p.X.Tick.Marker = plot.LogScale{}, plot.LogTicks{Prec: -1}
}

// name adds a legend entry when name is set.
func (c *canvas) name(name string, col color.Color, isBand bool) {
	if name != "" {
		c.legend = append(c.legend, legendEntry{Name: name, Colour: cssColour(col), Band: isBand})
	}
}

// line adds a polyline in colour col.
func (c *canvas) line(xs, ys []float64, col color.Color, name string) error {
	l, err := plotter.NewLine(xys(xs, ys))
	if err != nil {
		return err
	}
	l.Color, l.Width = col, vg.Points(1.5)
	c.p.Add(l)
	c.name(name, col, false)
	return nil
}

// band shades the area between lo and hi.
func (c *canvas) band(xs, lo, hi []float64, col color.Color, name string) error {
	pts := xys(xs, lo)
	for i := len(xs) - 1; i >= 0; i-- {
		pts = append(pts, plotter.XY{X: xs[i], Y: hi[i]})
	}
	poly, err := plotter.NewPolygon(pts)
	if err != nil {
		return err
	}
	poly.Color, poly.LineStyle.Width = col, 0
	c.p.Add(poly)
	c.name(name, col, true)
	return nil
}

// steps draws a histogram outline: value ys[i] over [edges[i], edges[i+1]).
func (c *canvas) steps(edges, ys []float64, col color.Color, name string) error {
	var xs, hs []float64
	for i, y := range ys {
		xs, hs = append(xs, edges[i], edges[i+1]), append(hs, y, y)
	}
	return c.line(xs, hs, col, name)
}

// chart renders the canvas as an inlined SVG image.
func (c *canvas) chart(alt, howTo string) (chart, error) {
	tag, err := svgImage(c.p, figW, figH, alt)
	return chart{Img: template.HTML(tag), Legend: c.legend, HowTo: howTo}, err
}

func xys(xs, ys []float64) plotter.XYs {
	pts := make(plotter.XYs, len(xs))
	for i := range xs {
		pts[i] = plotter.XY{X: xs[i], Y: ys[i]}
	}
	return pts
}

// svgImage renders p as an <img> with the SVG inlined as a data URI.
func svgImage(p *plot.Plot, width, height vg.Length, alt string) (string, error) {
	w, err := p.WriterTo(width, height, "svg")
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		return "", err
	}
	return `<img alt="` + template.HTMLEscapeString(alt) + `" src="data:image/svg+xml;base64,` +
		base64.StdEncoding.EncodeToString(buf.Bytes()) + `">`, nil
}

// cssColour writes a colour for a style attribute.
func cssColour(c color.Color) template.CSS {
	r, g, b, a := c.RGBA()
	if a == 0 {
		return "transparent"
	}
	// RGBA is alpha-premultiplied; undo it for rgba().
	return template.CSS(fmt.Sprintf("rgba(%d,%d,%d,%.2f)", r*255/a, g*255/a, b*255/a, float64(a)/0xffff))
}

// floored replaces values below floor (zeros on a log axis) by floor.
func floored(ys []float64, floor float64) []float64 {
	out := make([]float64, len(ys))
	for i, y := range ys {
		out[i] = math.Max(y, floor)
	}
	return out
}

func floats(xs []int) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}
