package sim

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Merged is what Merge wrote: a run's summary, or a sweep's result (the
// other is nil).
type Merged struct {
	Summary *Summary
	Sweep   *SweepResult
	Shards  int
}

// Merge reads the parts of a run split into shards, given in any order,
// and writes into dir exactly the files one run of the same file, seed
// and runs writes: summary.json, paths.csv, timeseries.csv, money.csv and
// report.html, or for a sweep sweep.json, sweep.csv and sweep.html. Parts
// that do not make one run together (another file, seed, number of runs
// or of shards, a shard missing or given twice, another binary than
// version) are refused, and nothing is written.
func Merge(paths []string, version, dir string) (*Merged, error) {
	parts, err := mergeable(paths, version)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	first := parts[0]
	m := &merger{dir: dir, opt: Options{Runs: first.Runs, Seed: first.Seed}}
	for _, h := range parts {
		if err := m.read(h); err != nil {
			m.discard()
			return nil, err
		}
	}
	return m.write(len(parts))
}

// mergeable reads the headers of the parts at paths and checks that they
// are every shard of one run made by this binary; it returns them in
// shard order.
func mergeable(paths []string, version string) ([]partHeaderAt, error) {
	if len(paths) == 0 {
		return nil, errors.New("no part to merge")
	}
	var parts []partHeaderAt
	for _, path := range paths {
		p, err := openPart(path)
		if err != nil {
			return nil, err
		}
		p.close()
		h := p.header
		if h.Version != version {
			return nil, fmt.Errorf("%s was written by vpool %s, and this is vpool %s: merge with the build that ran the shards, "+
				"whose single run the merge reproduces", path, h.Version, version)
		}
		parts = append(parts, partHeaderAt{h, path})
	}
	first := parts[0]
	for _, p := range parts[1:] {
		if err := first.sameRun(p); err != nil {
			return nil, err
		}
	}
	slices.SortStableFunc(parts, func(a, b partHeaderAt) int { return a.Shard - b.Shard })
	var missing []string
	next := 0
	for i, p := range parts {
		if i > 0 && parts[i-1].Shard == p.Shard {
			return nil, fmt.Errorf("shard %d of %d is given twice: %s and %s", p.Shard, p.Shards, parts[i-1].path, p.path)
		}
		if p.Shard < 0 || p.Shard >= p.Shards || (Shard{p.Shard, p.Shards}).items(p.Items) != (span{p.From, p.To}) {
			return nil, fmt.Errorf("%s is damaged: shard %d of %d cannot hold work items %d to %d of %d", p.path, p.Shard, p.Shards, p.From, p.To, p.Items)
		}
		for ; next < p.Shard; next++ {
			missing = append(missing, fmt.Sprint(next))
		}
		next = p.Shard + 1
	}
	for ; next < first.Shards; next++ {
		missing = append(missing, fmt.Sprint(next))
	}
	if len(missing) > 0 {
		if len(missing) > 10 {
			missing = append(missing[:10], "…")
		}
		return nil, fmt.Errorf("shard %s of %d missing: %d of %d parts given", strings.Join(missing, ", "), first.Shards, len(parts), first.Shards)
	}
	return parts, nil
}

// partHeaderAt is a part's header and where it is.
type partHeaderAt struct {
	partHeader
	path string
}

// sameRun tells how o is not a part of the same run as h, if it is not.
func (h partHeaderAt) sameRun(o partHeaderAt) error {
	switch {
	case o.SHA256 != h.SHA256:
		return fmt.Errorf("%s is a part of another simulation file than %s: %s (sha256 %.12s…) against %s (sha256 %.12s…)",
			o.path, h.path, o.File, o.SHA256, h.File, h.SHA256)
	case o.Seed != h.Seed:
		return fmt.Errorf("%s ran with --seed %d and %s with --seed %d: every shard must run with the same seed", o.path, o.Seed, h.path, h.Seed)
	case o.Runs != h.Runs:
		return fmt.Errorf("%s ran with --runs %d and %s with --runs %d: every shard must run with the same runs", o.path, o.Runs, h.path, h.Runs)
	case o.Sweep != h.Sweep:
		return fmt.Errorf("%s and %s are not both parts of a sweep (--sweep)", o.path, h.path)
	case o.Shards != h.Shards:
		return fmt.Errorf("%s is shard %d of %d and %s shard %d of %d: every shard must run with the same number of shards",
			o.path, o.Shard, o.Shards, h.path, h.Shard, h.Shards)
	}
	return nil
}

// merger adds the parts of a run together, in shard order.
type merger struct {
	dir string
	opt Options
	src *Source
	cfg *Config
	// units are the aggregates of the main run and its stress scenarios,
	// or of the sweep's points (nil until a part has paths of one).
	units []*aggregate
	plan  *sweepPlan
	// rows is paths.csv being written (a temporary file until the end).
	rows    *os.File
	rowsBuf *bufio.Writer
}

// read adds the part h.
func (m *merger) read(h partHeaderAt) error {
	p, err := openPart(h.path)
	if err != nil {
		return err
	}
	defer p.close()
	if p.header != h.partHeader {
		return fmt.Errorf("%s changed while it was being merged", h.path)
	}
	if err := p.body(); err != nil {
		return err
	}
	src, err := p.source()
	if err != nil {
		return err
	}
	if m.src == nil {
		if err := m.start(src, h.Sweep); err != nil {
			return fmt.Errorf("%s: %w", h.path, err)
		}
	}
	var rows io.Writer = io.Discard // a sweep has no rows
	if m.rows != nil {
		rows = m.rowsBuf
	}
	if err := p.rows(rows); err != nil {
		return err
	}
	n := p.dec.uvarint()
	for range n {
		id := p.dec.uvarint()
		if p.dec.err != nil || id >= uint64(len(m.units)) {
			return p.damaged(fmt.Errorf("no unit %d in a run of %d", id, len(m.units)))
		}
		agg, err := m.unit(int(id))
		if err != nil {
			return fmt.Errorf("%s: %w", h.path, err)
		}
		if err := agg.absorb(&p.dec); err != nil {
			return p.damaged(err)
		}
	}
	if p.dec.err != nil {
		return p.damaged(p.dec.err)
	}
	return p.end()
}

// start sets the merge up from the first part's source.
func (m *merger) start(src *Source, sweep bool) error {
	m.src = src
	if sweep {
		plan, err := newSweepPlan(src)
		if err != nil {
			return err
		}
		m.plan, m.units = plan, make([]*aggregate, len(plan.points))
		return nil
	}
	c, err := src.Parse()
	if err != nil {
		return err
	}
	m.cfg, m.units = c, make([]*aggregate, 1+len(c.Stress))
	if m.rows, err = os.CreateTemp(m.dir, ".paths-*.csv"); err != nil {
		return err
	}
	m.rowsBuf = bufio.NewWriter(m.rows)
	return newPathsCSV(m.rowsBuf).flush()
}

// unit is the aggregate of unit id, created on first use.
func (m *merger) unit(id int) (*aggregate, error) {
	if m.units[id] != nil {
		return m.units[id], nil
	}
	c := m.cfg
	if m.plan != nil {
		var err error
		if c, err = m.plan.config(id); err != nil {
			return nil, err
		}
	}
	m.units[id] = newAggregate(newModel(c))
	return m.units[id], nil
}

// write writes the merged run's outputs.
func (m *merger) write(shards int) (*Merged, error) {
	for id, agg := range m.units {
		if agg == nil || agg.paths != m.opt.Runs {
			m.discard()
			paths := 0
			if agg != nil {
				paths = agg.paths
			}
			return nil, fmt.Errorf("the parts hold %d paths of unit %d, not the %d of the run: a part is damaged", paths, id, m.opt.Runs)
		}
	}
	if m.plan != nil {
		res := m.plan.result()
		for i, agg := range m.units {
			res.add(m.plan.points[i], agg, m.opt)
		}
		return &Merged{Sweep: res, Shards: shards}, res.write(m.dir)
	}
	s := m.units[0].finalSummary(m.opt)
	for i := range m.cfg.Stress {
		s.Stress = append(s.Stress, stressSummary(m.cfg, i, m.units[1+i], m.opt.Seed))
	}
	err := m.rowsBuf.Flush()
	if cerr := m.rows.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(m.rows.Name(), filepath.Join(m.dir, "paths.csv"))
	}
	if err != nil {
		os.Remove(m.rows.Name())
		return nil, err
	}
	return &Merged{Summary: s, Shards: shards}, writeOutputs(m.dir, m.units[0], s)
}

// discard removes what a failed merge began to write.
func (m *merger) discard() {
	if m.rows != nil {
		m.rows.Close()
		os.Remove(m.rows.Name())
	}
}
