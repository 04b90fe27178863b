package sim

import (
	"bytes"
	"encoding/base64"
	"image/color"

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
	blueBand  = color.NRGBA{R: 31, G: 119, B: 180, A: 50}
	blueInner = color.NRGBA{R: 31, G: 119, B: 180, A: 90}
	redBand   = color.NRGBA{R: 214, G: 39, B: 40, A: 40}
	grey      = color.NRGBA{R: 150, G: 150, B: 150, A: 60}
)

// figure is a plot with the report's common look.
func figure(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text, p.X.Label.Text, p.Y.Label.Text = title, x, y
	p.Add(plotter.NewGrid())
	p.Legend.Top, p.Legend.Left = true, true
	return p
}

// line adds a polyline in colour c, with a legend entry when name is set.
func line(p *plot.Plot, xs, ys []float64, c color.Color, name string) error {
	l, err := plotter.NewLine(xys(xs, ys))
	if err != nil {
		return err
	}
	l.Color, l.Width = c, vg.Points(1.5)
	p.Add(l)
	if name != "" {
		p.Legend.Add(name, l)
	}
	return nil
}

// band shades the area between lo and hi.
func band(p *plot.Plot, xs, lo, hi []float64, c color.Color, name string) error {
	pts := xys(xs, lo)
	for i := len(xs) - 1; i >= 0; i-- {
		pts = append(pts, plotter.XY{X: xs[i], Y: hi[i]})
	}
	poly, err := plotter.NewPolygon(pts)
	if err != nil {
		return err
	}
	poly.Color, poly.LineStyle.Width = c, 0
	p.Add(poly)
	if name != "" {
		p.Legend.Add(name, poly)
	}
	return nil
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
	return `<img alt="` + alt + `" src="data:image/svg+xml;base64,` + base64.StdEncoding.EncodeToString(buf.Bytes()) + `">`, nil
}
