package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestOptionsRejected: runs below 1 and negative workers are refused with
// the value named, before anything is written.
func TestOptionsRejected(t *testing.T) {
	c := tiny(t, noHacks)
	for _, tc := range []struct {
		opt  Options
		want string
	}{
		{Options{Runs: 0, Seed: 1}, "the number of runs is 0: it must be at least 1"},
		{Options{Runs: 5, Seed: 1, Workers: -1}, "the number of workers is -1: it must be 0 (one per core) or more"},
	} {
		dir := filepath.Join(t.TempDir(), "out")
		if _, err := Run(c, tc.opt, dir); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want %q", tc.opt, err, tc.want)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("%+v: the output directory was created", tc.opt)
		}
	}
}

// TestInterruptedRunWritesWhatRan: a run stopped after a few paths writes
// a valid summary of exactly the paths completed, marked interrupted, with
// one paths.csv row each, and returns ErrInterrupted.
func TestInterruptedRunWritesWhatRan(t *testing.T) {
	stop := make(chan struct{})
	opt := Options{Runs: 10_000, Seed: 2, Workers: 2, Stop: stop}
	opt.Progress = func(done, total int) {
		if done == 5 {
			close(stop)
		}
	}
	dir := t.TempDir()
	s, err := Run(tiny(t, sharedHack), opt, dir)
	if !errors.Is(err, ErrInterrupted) || s == nil {
		t.Fatalf("got %v (summary %v), want ErrInterrupted with a summary", err, s != nil)
	}
	if !strings.Contains(err.Error(), "interrupted after") {
		t.Errorf("the error does not say how far the run got: %v", err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var back Summary
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatalf("summary.json: %v", err)
	}
	if !back.Interrupted || back.Paths < 5 || back.Paths >= opt.Runs {
		t.Errorf("summary: interrupted %v after %d paths", back.Interrupted, back.Paths)
	}
	rows, err := os.ReadFile(filepath.Join(dir, "paths.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(rows, []byte("\n")) - 1; n != back.Paths {
		t.Errorf("paths.csv has %d rows, the summary %d paths", n, back.Paths)
	}
	for _, name := range []string{"timeseries.csv", "money.csv", "report.html"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestInterruptedBeforeAnyPath writes nothing and says so.
func TestInterruptedBeforeAnyPath(t *testing.T) {
	stop := make(chan struct{})
	close(stop)
	dir := t.TempDir()
	_, err := Run(tiny(t, noHacks), Options{Runs: 1000, Seed: 1, Workers: 1, Stop: stop}, dir)
	if !errors.Is(err, ErrInterrupted) || !strings.Contains(err.Error(), "nothing was written") {
		t.Fatalf("got %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left %d files behind", len(entries))
	}
}

// TestProgressETAOfAHugeRun: a run far too long to finish reports that,
// not a negative or overflowed duration.
func TestProgressETAOfAHugeRun(t *testing.T) {
	var out bytes.Buffer
	p := NewProgress(&out, false, "sim")
	now := time.Unix(0, 0)
	p.now = func() time.Time { return now }
	p.Update(0, 1<<62)
	now = now.Add(10 * time.Second)
	p.Update(1, 1<<62)
	if got := out.String(); !strings.Contains(got, "ETA more than 100 days") || strings.Contains(got, "ETA -") {
		t.Errorf("progress: %q", got)
	}
	out.Reset()
	p = NewProgress(&out, false, "sim")
	p.now = func() time.Time { return now }
	p.Update(0, 10)
	now = now.Add(10 * time.Second)
	p.Update(5, 10)
	if !strings.Contains(out.String(), "ETA 10s") {
		t.Errorf("progress: %q, want an ETA of 10s (5 paths in 10 s, 5 to go)", out.String())
	}
}

// TestTargetPrecisionAddsPaths: a run asked for ±0.6 points on the
// unleveraged median APY adds rounds of paths until its interval is that
// narrow, the same way with one worker or two; an unreachable target
// stops at --max-runs and says it was not met.
func TestTargetPrecisionAddsPaths(t *testing.T) {
	c := tiny(t, noHacks)
	run := func(workers int, target Target) (*Summary, []byte) {
		dir := t.TempDir()
		s, err := Run(c, Options{Runs: 20, Seed: 5, Workers: workers, Target: &target}, dir)
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(filepath.Join(dir, "summary.json"))
		if err != nil {
			t.Fatal(err)
		}
		return s, data
	}
	goal := Target{Figure: "lpAPY.unleveraged.p50", HalfWidth: 0.6, MaxRuns: 2000}
	s, first := run(2, goal)
	half := s.Overall.LPAPY.Unleveraged.P50.HalfWidth()
	if s.Paths <= 20 || half > 0.6 || s.Precision == nil || !s.Precision.Met || *s.Precision.HalfWidth != round(half) {
		t.Fatalf("%d paths, half-width %v, precision %+v", s.Paths, half, s.Precision)
	}
	if _, again := run(1, goal); !bytes.Equal(first, again) {
		t.Error("one worker and two reached different summaries")
	}
	s, _ = run(2, Target{Figure: "lpAPY.unleveraged.p50", HalfWidth: 1e-6, MaxRuns: 60})
	if s.Paths != 60 || s.Precision.Met {
		t.Errorf("unreachable target: %d paths, %+v", s.Paths, s.Precision)
	}
	if _, err := Run(c, Options{Runs: 20, Target: &Target{Figure: "utilization.median", HalfWidth: 1, MaxRuns: 100}}, t.TempDir()); err == nil ||
		!strings.Contains(err.Error(), `"utilization.median" is not one of`) {
		t.Errorf("a figure without an interval: %v", err)
	}
}
