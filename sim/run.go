package sim

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
)

// Options are the knobs of a run.
type Options struct {
	Runs    int    // number of paths
	Seed    uint64 // the same seed gives the same outputs
	Workers int    // paths simulated at once (0: one per core)
	// Progress, when set, is called after each path folded in, in order.
	Progress func(done, total int)
	// PathRows, when set, receives every path's result in path order (to
	// stream it to disk).
	PathRows func(r *pathResult) error
	// Stop, when closed, interrupts the run: no new path starts, the
	// paths under way finish, and the outputs cover the paths completed.
	Stop <-chan struct{}
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
	return nil
}

// window bounds how many paths may be in flight ahead of the oldest one
// not yet folded in, per worker.
const window = 4

// simulate runs opt.Runs paths of c over opt.Workers workers and folds
// them, in path order, into an aggregate.
func simulate(c *Config, opt Options) (*aggregate, error) {
	if err := opt.check(); err != nil {
		return nil, err
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	m := newModel(c)
	snap, err := buildStart(m, opt.Seed)
	if err != nil {
		return nil, fmt.Errorf("building the start market: %w", err)
	}
	agg := newAggregate(m)
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
	stop := make(chan struct{})
	go func() {
		defer close(done)
		defer wg.Wait()
		defer close(jobs)
		for i := range opt.Runs {
			select { // a stop seen first wins over a free slot
			case <-opt.Stop:
				return
			default:
			}
			select {
			case res := <-slots:
				res.index = i
				jobs <- res
			case <-stop:
				return
			case <-opt.Stop:
				return
			}
		}
	}()
	err = foldInOrder(agg, done, slots, opt)
	close(stop)
	for range done { // after an error, let the paths under way finish
	}
	return agg, err
}

// foldInOrder folds results as they arrive, holding early ones back until
// every path before them is in; each folded result's slot is handed back.
func foldInOrder(agg *aggregate, done <-chan *pathResult, slots chan<- *pathResult, opt Options) error {
	pending := map[int]*pathResult{}
	next := 0
	for res := range done {
		pending[res.index] = res
		for pending[next] != nil {
			r := pending[next]
			delete(pending, next)
			if r.err != nil {
				return fmt.Errorf("path %d: %w", r.index, r.err)
			}
			agg.add(r)
			if opt.PathRows != nil {
				if err := opt.PathRows(r); err != nil {
					return err
				}
			}
			next++
			if opt.Progress != nil {
				opt.Progress(next, opt.Runs)
			}
			slots <- r
		}
	}
	return nil
}
