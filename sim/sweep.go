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
