package sim

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
)

// Shard is shard Index (from 0) of Count: a fixed share of a run's paths,
// or of a sweep's points × paths, that one machine runs. Which paths a
// shard runs depends only on Index, Count and the number of work items,
// and every path draws from (seed, path) alone, so the shards of a run
// hold exactly the paths one machine would have run.
type Shard struct{ Index, Count int }

func (s Shard) check() error {
	if s.Count < 1 || s.Index < 0 || s.Index >= s.Count {
		return fmt.Errorf("shard %d/%d: want I/N with N at least 1 and I from 0 to N−1", s.Index, s.Count)
	}
	return nil
}

// items is the shard's work items among total: [⌊total·I/N⌋,
// ⌊total·(I+1)/N⌋), consecutive items, the shards' sizes differing by
// one at most.
func (s Shard) items(total int) span {
	return span{cut(total, s.Index, s.Count), cut(total, s.Index+1, s.Count)}
}

// cut is ⌊total·i/n⌋ without overflow (i ≤ n).
func cut(total, i, n int) int {
	hi, lo := bits.Mul64(uint64(total), uint64(i))
	q, _ := bits.Div64(hi, lo, uint64(n))
	return int(q)
}

// within is the part of the items [from, to) of the shard that fall in
// the unit whose items are [lo, lo+n), as paths of that unit.
func (s span) within(lo, n int) span {
	return span{min(max(s.from-lo, 0), n), max(min(s.to-lo, n), 0)}
}

func (s span) len() int { return max(s.to-s.from, 0) }

// RunShard runs shard sh of the run of src with opt (a sweep of its grid
// with sweep) and writes its part into dir; it returns the part's path. A
// part holds every aggregate of its paths, exact counts, integer sums and
// fixed-bin histograms, and its rows of paths.csv, for Merge. version
// names the binary, which Merge requires to be the same for every part.
// A shard stopped through opt.Stop writes nothing.
func RunShard(src *Source, c *Config, opt Options, sweep bool, sh Shard, version, dir string) (string, error) {
	if err := opt.check(); err != nil {
		return "", err
	}
	if err := sh.check(); err != nil {
		return "", err
	}
	if opt.Target != nil {
		return "", errors.New("--target-precision cannot run in shards: how many paths it runs depends on all of them; " +
			"run the shards with the --runs it reached instead")
	}
	var plan *sweepPlan
	items := opt.Runs
	if sweep {
		var err error
		if plan, err = newSweepPlan(src); err != nil {
			return "", err
		}
		if len(plan.points) > math.MaxInt/opt.Runs {
			return "", fmt.Errorf("%d points of %d paths are too many work items", len(plan.points), opt.Runs)
		}
		items *= len(plan.points)
	}
	mine := sh.items(items)
	p, err := createPart(dir, partHeader{Format: PartFormat, Version: version, File: src.Name, SHA256: src.Hash(),
		Seed: opt.Seed, Runs: opt.Runs, Sweep: sweep, Shard: sh.Index, Shards: sh.Count, From: mine.from, To: mine.to, Items: items})
	if err != nil {
		return "", err
	}
	s := &shardRun{part: p, src: src, opt: opt, mine: mine}
	if sweep {
		err = s.runSweep(plan)
	} else {
		err = s.runFile(c)
	}
	if err != nil {
		p.abandon()
		return "", err
	}
	return p.path, p.finish()
}

// shardRun is a shard under way.
type shardRun struct {
	part *partWriter
	src  *Source
	opt  Options
	mine span // the shard's work items
	done int  // work items done, for progress
}

// runFile runs the shard's paths of the main run, writing their rows, then
// of every stress scenario.
func (s *shardRun) runFile(c *Config) error {
	s.part.source(s.src)
	paths := s.mine.within(0, s.opt.Runs)
	total := paths.len() * (1 + len(c.Stress))
	rows := newPathRows(s.part)
	o := s.opt
	o.PathRows = rows.write
	o.span = &paths
	agg, err := s.simulate(c, o, total)
	if err == nil {
		err = rows.flush()
	}
	if err != nil {
		return err
	}
	s.part.enc.uvarint(0) // the end of the rows
	s.part.enc.uvarint(uint64(1 + len(c.Stress)))
	s.unit(0, agg)
	for i := range c.Stress {
		o := stressOptions(c, s.opt, i, s.opt.Runs)
		o.span = &paths
		agg, err := s.simulate(c, o, total)
		if err != nil {
			return err
		}
		s.unit(1+i, agg)
	}
	return nil
}

// runSweep runs the shard's paths of every sweep point it has paths of.
func (s *shardRun) runSweep(plan *sweepPlan) error {
	s.part.source(s.src)
	s.part.enc.uvarint(0) // no rows
	var points []int
	for i := range plan.points {
		if s.mine.within(i*s.opt.Runs, s.opt.Runs).len() > 0 {
			points = append(points, i)
		}
	}
	s.part.enc.uvarint(uint64(len(points)))
	for _, i := range points {
		c, err := plan.config(i)
		if err != nil {
			return err
		}
		paths := s.mine.within(i*s.opt.Runs, s.opt.Runs)
		o := s.opt
		o.span = &paths
		agg, err := s.simulate(c, o, s.mine.len())
		if err != nil {
			return err
		}
		s.unit(i, agg)
	}
	return nil
}

// simulate runs o's span of c, reporting progress over total work items;
// a stopped shard is an error, since a part must hold all its paths.
func (s *shardRun) simulate(c *Config, o Options, total int) (*aggregate, error) {
	if s.opt.Progress != nil {
		o.Progress = func(done, _ int) { s.opt.Progress(s.done+done, total) }
	}
	agg, err := simulate(c, o)
	if err != nil {
		return nil, err
	}
	if agg.interrupted {
		return nil, fmt.Errorf("%w: a shard writes its part only once all its paths are done, so nothing was written", ErrInterrupted)
	}
	s.done += agg.paths
	return agg, nil
}

// unit writes the aggregate of unit id.
func (s *shardRun) unit(id int, agg *aggregate) {
	s.part.enc.uvarint(uint64(id))
	agg.encode(&s.part.enc)
}
