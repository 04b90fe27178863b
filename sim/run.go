package sim

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Options are the knobs of a run.
type Options struct {
	Runs    int    // number of paths (with Target: the first round)
	Seed    uint64 // the same seed gives the same outputs
	Workers int    // paths simulated at once (0: one per core)
	// Target, when set, keeps adding paths until a figure's interval is
	// narrow enough.
	Target *Target
	// Progress, when set, is called after each path folded in, in order;
	// total grows when a precision target asks for more paths.
	Progress func(done, total int)
	// PathRows, when set, receives every path's result in path order (to
	// stream it to disk).
	PathRows func(r *pathResult) error
	// Stop, when closed, interrupts the run: no new path starts, the
	// paths under way finish, and the outputs cover the paths completed.
	Stop <-chan struct{}
	// scenario, when set, adds a stress scenario's shocks to every path.
	scenario *StressConfig
	// span, when set, runs paths span.from to span.to−1 only (a shard's
	// share of Runs); the run has no precision target.
	span *span
}

// span is a range of path indexes, [from, to).
type span struct{ from, to int }

// Target is a precision goal (--target-precision): paths are added until
// the 95% interval of Figure (an objective name) is at most ±HalfWidth,
// or MaxRuns paths have run.
type Target struct {
	Figure    string
	HalfWidth float64
	MaxRuns   int
}

// ErrInterrupted is returned, with outputs covering the paths completed,
// by a run whose Stop channel was closed before every path ran.
var ErrInterrupted = errors.New("interrupted")

// check reports options no run can use.
func (o Options) check() error {
	switch {
	case o.Runs < 1:
		return fmt.Errorf("the number of runs is %d: it must be at least 1", o.Runs)
	case o.Workers < 0:
		return fmt.Errorf("the number of workers is %d: it must be 0 (one per core) or more", o.Workers)
	}
	if t := o.Target; t != nil {
		switch {
		case !slices.Contains(precisionFigures(), t.Figure):
			return fmt.Errorf("--target-precision: %q is not one of %s", t.Figure, strings.Join(precisionFigures(), ", "))
		case !(t.HalfWidth > 0) || math.IsInf(t.HalfWidth, 0):
			return fmt.Errorf("--target-precision: the half-width must be a positive number, not %g", t.HalfWidth)
		case t.MaxRuns < o.Runs:
			return fmt.Errorf("--max-runs (%d) must be at least --runs (%d)", t.MaxRuns, o.Runs)
		}
	}
	return nil
}

// window bounds how many paths may be in flight ahead of the oldest one
// not yet folded in, per worker.
const window = 4

// simulate runs the paths of c over opt.Workers workers and folds them,
// in path order, into an aggregate: opt.Runs paths, then, with a
// precision target, more rounds until it is met.
func simulate(c *Config, opt Options) (*aggregate, error) {
	if err := opt.check(); err != nil {
		return nil, err
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	m := newModel(c)
	if opt.scenario != nil {
		m.stress = m.stressEvents(opt.scenario)
	}
	snap, err := buildStart(m, opt.Seed)
	if err != nil {
		return nil, fmt.Errorf("building the start market: %w", err)
	}
	agg := newAggregate(m)
	first, end := 0, opt.Runs
	if opt.span != nil {
		first, end = opt.span.from, opt.span.to
	}
	if first == end { // a shard with no path of this run
		return agg, nil
	}
	slots := make(chan *pathResult, workers*window)
	for range cap(slots) {
		slots <- newPathResult(m)
	}
	jobs := make(chan *pathResult)
	done := make(chan *pathResult, cap(slots))
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for res := range jobs {
				if err := runPath(m, snap, opt.Seed, res.index, res); err != nil {
					res.err = err
				}
				done <- res
			}
		}()
	}
	// limits tells the dispatcher how far to go: the first round, then
	// each further round; it is closed when the run needs no more paths.
	limits := make(chan int, 1)
	limits <- end
	stop := make(chan struct{})
	go func() {
		defer close(done)
		defer wg.Wait()
		defer close(jobs)
		next := first
		for limit := range limits {
			for ; next < limit; next++ {
				select { // a stop seen first wins over a free slot
				case <-opt.Stop:
					return
				default:
				}
				select {
				case res := <-slots:
					res.index = next
					jobs <- res
				case <-stop:
					return
				case <-opt.Stop:
					return
				}
			}
		}
	}()
	f := folder{agg: agg, slots: slots, opt: opt, limits: limits, first: first, limit: end}
	err = f.foldInOrder(done)
	close(stop)
	for range done { // after an error, let the paths under way finish
	}
	agg.interrupted = err == nil && agg.paths < f.limit-first
	return agg, err
}

// folder folds path results in index order and decides when a round ends
// whether another is needed.
type folder struct {
	agg    *aggregate
	slots  chan<- *pathResult
	opt    Options
	limits chan<- int
	first  int // the first path of the run
	limit  int // the path the current round ends at (excluded)
}

// foldInOrder folds results as they arrive, holding early ones back until
// every path before them is in; each folded result's slot is handed back.
func (f *folder) foldInOrder(done <-chan *pathResult) error {
	pending := map[int]*pathResult{}
	next := f.first
	for res := range done {
		pending[res.index] = res
		for pending[next] != nil {
			r := pending[next]
			delete(pending, next)
			if r.err != nil {
				return fmt.Errorf("path %d: %w", r.index, r.err)
			}
			f.agg.add(r)
			if f.opt.PathRows != nil {
				if err := f.opt.PathRows(r); err != nil {
					return err
				}
			}
			next++
			if next == f.limit {
				f.endRound()
			}
			if f.opt.Progress != nil {
				f.opt.Progress(next-f.first, f.limit-f.first)
			}
			f.slots <- r
		}
	}
	return nil
}

// endRound starts another round when a precision target is not met yet,
// or ends the run.
func (f *folder) endRound() {
	if more := f.agg.roundsNeed(f.opt.Target, f.limit); more > f.limit {
		f.limit = more
		f.limits <- more
		return
	}
	close(f.limits)
}

// roundsNeed is how many paths the run should have in all, given a
// precision target, after paths paths: as many as the interval's
// half-width says (it shrinks as 1/√paths), with 10% to spare, at least
// one more path per batch, at most four times as many as now (an early
// interval is itself rough) and at most the target's MaxRuns.
func (a *aggregate) roundsNeed(t *Target, paths int) int {
	if t == nil || paths >= t.MaxRuns {
		return paths
	}
	half := objectives(a.summary(0))[t.Figure].HalfWidth()
	if half <= t.HalfWidth {
		return paths
	}
	want := float64(paths) * 1.1 * (half / t.HalfWidth) * (half / t.HalfWidth)
	if math.IsInf(half, 1) || want > float64(t.MaxRuns) {
		want = float64(t.MaxRuns)
	}
	return min(t.MaxRuns, 4*paths, max(paths+batches, int(math.Ceil(want))))
}
