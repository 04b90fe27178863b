package sim

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

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

// Sweep runs every point of the grid of src with opt, and writes
// sweep.json, sweep.csv and sweep.html into dir. Stress scenarios are not
// run per point. progress, when set, hears of each point done. A sweep
// stopped through opt.Stop writes the points completed and returns
// ErrInterrupted.
func Sweep(src *Source, opt Options, dir string, progress func(point, points int)) (*SweepResult, error) {
	if err := opt.check(); err != nil {
		return nil, err
	}
	g, err := newSweepPlan(src)
	if err != nil {
		return nil, err
	}
	res := g.result()
	for i := range g.points {
		c, err := g.config(i)
		if err != nil {
			return nil, err
		}
		agg, err := simulate(c, opt)
		if err != nil {
			return nil, err
		}
		if agg.interrupted {
			res.Interrupted = true
			break
		}
		res.add(g.points[i], agg, opt)
		if progress != nil {
			progress(i+1, len(g.points))
		}
	}
	if len(res.Points) == 0 {
		return nil, fmt.Errorf("%w before any sweep point completed: nothing was written", ErrInterrupted)
	}
	if err := res.write(dir); err != nil {
		return nil, err
	}
	if res.Interrupted {
		return res, fmt.Errorf("%w after %d of %d sweep points: the outputs cover those points", ErrInterrupted, len(res.Points), len(g.points))
	}
	return res, nil
}

// sweepPlan is the sweep of a file: its points, and the file each point
// runs.
type sweepPlan struct {
	src    *Source
	root   yaml.Node
	sweep  *SweepConfig
	points [][]string // values of the grid's parameters, the first varying slowest
}

func newSweepPlan(src *Source) (*sweepPlan, error) {
	base, err := src.Parse()
	if err != nil {
		return nil, err
	}
	if base.Sweep == nil {
		return nil, fmt.Errorf("the file has no sweep section")
	}
	g := &sweepPlan{src: src, sweep: base.Sweep, points: gridPoints(base.Sweep.Grid)}
	if err := yaml.Unmarshal(src.File, &g.root); err != nil {
		return nil, err
	}
	return g, nil
}

// config is the file of point i: each grid parameter set to its value.
func (g *sweepPlan) config(i int) (*Config, error) {
	doc := cloneNode(&g.root)
	values := g.points[i]
	for k, p := range g.sweep.Grid {
		if err := setParam(doc.Content[0], strings.Split(p.Param, "."), values[k], p.Param); err != nil {
			return nil, fmt.Errorf("sweep point %s: %w", strings.Join(values, ", "), err)
		}
	}
	data, err := yaml.Marshal(doc)
	if err != nil {
		return nil, err
	}
	c, err := parseWith(data, g.src.open)
	if err != nil {
		return nil, fmt.Errorf("sweep point %s: %w", strings.Join(values, ", "), err)
	}
	return c, nil
}

// result is the sweep's result before any point.
func (g *sweepPlan) result() *SweepResult {
	res := &SweepResult{Objective: g.sweep.Objective}
	for _, p := range g.sweep.Grid {
		res.Params = append(res.Params, p.Param)
	}
	return res
}

// add adds the point of the given values, whose paths agg holds.
func (r *SweepResult) add(values []string, agg *aggregate, opt Options) {
	all := objectives(agg.finalSummary(opt))
	r.Points = append(r.Points, SweepPoint{Values: values, Objective: all[r.Objective], Objectives: all})
}

// write writes sweep.json, sweep.csv and sweep.html into dir.
func (r *SweepResult) write(dir string) error {
	if err := writeJSON(filepath.Join(dir, "sweep.json"), r); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, "sweep.csv"), r.writeCSV); err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, "sweep.html"), r.writeHTML)
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
