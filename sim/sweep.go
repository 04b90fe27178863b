package sim

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"html/template"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gopkg.in/yaml.v3"
)

// SweepPoint is one point of a sweep grid and its run's figures.
type SweepPoint struct {
	Values     []string            `json:"values"`
	Objective  Estimate            `json:"objective"`
	Objectives map[string]Estimate `json:"objectives"`
}

// SweepResult is sweep.json.
type SweepResult struct {
	Params    []string     `json:"params"`
	Objective string       `json:"objective"`
	Points    []SweepPoint `json:"points"`
	// Interrupted marks a sweep stopped before every point ran: Points
	// are the points completed (a point under way is dropped).
	Interrupted bool `json:"interrupted"`
}

// Sweep runs every point of the grid of the file (data is the file's
// bytes, fileDir where it is) with opt, and writes sweep.json, sweep.csv
// and sweep.html into dir. Stress scenarios are not run per point. progress, when set, hears of each point done. A sweep stopped
// through opt.Stop writes the points completed and returns ErrInterrupted.
func Sweep(data []byte, fileDir string, opt Options, dir string, progress func(point, points int)) (*SweepResult, error) {
	if err := opt.check(); err != nil {
		return nil, err
	}
	base, err := ParseIn(data, fileDir)
	if err != nil {
		return nil, err
	}
	if base.Sweep == nil {
		return nil, fmt.Errorf("the file has no sweep section")
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, err
	}
	grid := base.Sweep.Grid
	res := &SweepResult{Objective: base.Sweep.Objective}
	for _, g := range grid {
		res.Params = append(res.Params, g.Param)
	}
	points := gridPoints(grid)
	for i, values := range points {
		c, err := pointConfig(&root, fileDir, grid, values)
		if err != nil {
			return nil, fmt.Errorf("sweep point %s: %w", strings.Join(values, ", "), err)
		}
		agg, err := simulate(c, opt)
		if err != nil {
			return nil, err
		}
		if agg.interrupted {
			res.Interrupted = true
			break
		}
		all := objectives(agg.finalSummary(opt))
		res.Points = append(res.Points, SweepPoint{Values: values, Objective: all[res.Objective], Objectives: all})
		if progress != nil {
			progress(i+1, len(points))
		}
	}
	if len(res.Points) == 0 {
		return nil, fmt.Errorf("%w before any sweep point completed: nothing was written", ErrInterrupted)
	}
	if err := writeJSON(filepath.Join(dir, "sweep.json"), res); err != nil {
		return nil, err
	}
	if err := writeFile(filepath.Join(dir, "sweep.csv"), res.writeCSV); err != nil {
		return nil, err
	}
	if err := writeFile(filepath.Join(dir, "sweep.html"), res.writeHTML); err != nil {
		return nil, err
	}
	if res.Interrupted {
		return res, fmt.Errorf("%w after %d of %d sweep points: the outputs cover those points", ErrInterrupted, len(res.Points), len(points))
	}
	return res, nil
}

// gridPoints lists every combination of the grid's values, the first
// parameter varying slowest.
func gridPoints(grid []SweepParam) [][]string {
	points := [][]string{nil}
	for _, g := range grid {
		var next [][]string
		for _, p := range points {
			for _, v := range g.Values {
				next = append(next, append(append([]string(nil), p...), v))
			}
		}
		points = next
	}
	return points
}

// pointConfig is the file with each grid parameter set to its value.
func pointConfig(root *yaml.Node, fileDir string, grid []SweepParam, values []string) (*Config, error) {
	doc := cloneNode(root)
	for i, g := range grid {
		if err := setParam(doc.Content[0], strings.Split(g.Param, "."), values[i], g.Param); err != nil {
			return nil, err
		}
	}
	data, err := yaml.Marshal(doc)
	if err != nil {
		return nil, err
	}
	return ParseIn(data, fileDir)
}

// setParam sets the field at path (keys, list indexes or * for every
// element) below n to value; a last key the file leaves out is added (and
// a misspelt one is then refused by the strict parse).
func setParam(n *yaml.Node, path []string, value, full string) error {
	if len(path) == 0 {
		if n.Kind != yaml.ScalarNode {
			return fmt.Errorf("param %s is not a single value", full)
		}
		n.Value, n.Tag, n.Style = value, "", 0
		return nil
	}
	key, rest := path[0], path[1:]
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				return setParam(n.Content[i+1], rest, value, full)
			}
		}
		if len(rest) == 0 { // a field the file leaves to its default
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, &yaml.Node{Kind: yaml.ScalarNode, Value: value})
			return nil
		}
		return fmt.Errorf("param %s: no field %q", full, key)
	case yaml.SequenceNode:
		if key == "*" {
			for _, item := range n.Content {
				if err := setParam(item, rest, value, full); err != nil {
					return err
				}
			}
			return nil
		}
		i, err := strconv.Atoi(key)
		if err != nil || i < 0 || i >= len(n.Content) {
			return fmt.Errorf("param %s: %q is not an index of a list of %d", full, key, len(n.Content))
		}
		return setParam(n.Content[i], rest, value, full)
	}
	return fmt.Errorf("param %s: %q is below a single value", full, key)
}

func cloneNode(n *yaml.Node) *yaml.Node {
	c := *n
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, child := range n.Content {
		c.Content[i] = cloneNode(child)
	}
	return &c
}

func (r *SweepResult) writeCSV(b *bufio.Writer) error {
	w := csv.NewWriter(b)
	names := objectiveNames()
	header := append([]string(nil), r.Params...)
	for _, name := range names {
		header = append(header, name, name+".ci95_lo", name+".ci95_hi")
	}
	if err := w.Write(header); err != nil {
		return err
	}
	for _, p := range r.Points {
		row := append([]string(nil), p.Values...)
		for _, name := range names {
			e := p.Objectives[name]
			row = append(row, num(e.Value), ciBound(e, 0), ciBound(e, 1))
		}
		if err := w.Write(row); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// writeHTML renders sweep.html: the objective as a line over one
// parameter, or a heatmap over two, and the table of every point.
func (r *SweepResult) writeHTML(w *bufio.Writer) error {
	fig, err := r.figure()
	if err != nil {
		return err
	}
	var table bytes.Buffer
	table.WriteString("<table><tr>")
	for _, p := range r.Params {
		fmt.Fprintf(&table, "<th>%s</th>", template.HTMLEscapeString(p))
	}
	fmt.Fprintf(&table, "<th>%s</th></tr>", template.HTMLEscapeString(r.Objective))
	for _, p := range r.Points {
		table.WriteString("<tr>")
		for _, v := range p.Values {
			fmt.Fprintf(&table, "<td>%s</td>", template.HTMLEscapeString(v))
		}
		fmt.Fprintf(&table, "<td>%s</td></tr>", template.HTMLEscapeString(fmtEstimate(p.Objective, 4)))
	}
	table.WriteString("</table>")
	_, err = fmt.Fprintf(w, "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>vpool sim sweep</title></head>"+
		"<body style=\"font-family:system-ui,sans-serif;margin:2rem\"><h1>Sweep: %s</h1>%s%s</body></html>\n",
		template.HTMLEscapeString(r.Objective), fig, table.String())
	return err
}

// figure plots the objective over the grid.
func (r *SweepResult) figure() (template.HTML, error) {
	axis := func(i int) []string { return distinct(r.Points, i) }
	if len(r.Params) == 1 {
		p := figure(r.Objective, r.Params[0], r.Objective)
		values := make(plotter.Values, len(r.Points))
		for i, pt := range r.Points {
			values[i] = pt.Objective.Value
		}
		xs := make([]float64, len(values))
		for i := range xs {
			xs[i] = float64(i)
		}
		if err := line(p, xs, values, blue, ""); err != nil {
			return "", err
		}
		p.NominalX(axis(0)...)
		return img(p, "sweep")
	}
	xs, ys := axis(1), axis(0)
	g := &sweepGrid{cols: len(xs), rows: len(ys), z: make([]float64, len(r.Points))}
	for i, pt := range r.Points {
		g.z[i] = pt.Objective.Value
	}
	p := figure(r.Objective, r.Params[1], r.Params[0])
	p.Add(plotter.NewHeatMap(g, moreland.SmoothBlueRed().Palette(64)))
	for i, pt := range r.Points {
		labels, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: float64(i % len(xs)), Y: float64(i / len(xs))}},
			Labels: []string{num(pt.Objective.Value)}})
		if err != nil {
			return "", err
		}
		p.Add(labels)
	}
	p.NominalX(xs...)
	p.NominalY(ys...)
	return img(p, "sweep heatmap")
}

// distinct are the values of parameter i in grid order.
func distinct(points []SweepPoint, i int) []string {
	var out []string
	for _, p := range points {
		v := p.Values[i]
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// sweepGrid is a two-parameter grid for a heatmap: column = second
// parameter, row = first.
type sweepGrid struct {
	cols, rows int
	z          []float64
}

func (g *sweepGrid) Dims() (int, int)   { return g.cols, g.rows }
func (g *sweepGrid) Z(c, r int) float64 { return g.z[r*g.cols+c] }
func (g *sweepGrid) X(c int) float64    { return float64(c) }
func (g *sweepGrid) Y(r int) float64    { return float64(r) }
