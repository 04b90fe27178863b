package sim

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestSameSeedSameBytes runs the same file and seed three times, with one
// worker and with two, and expects byte-identical outputs; another seed
// must give a different summary.
func TestSameSeedSameBytes(t *testing.T) {
	c := tiny(t, sharedHack)
	outputs := []string{"summary.json", "paths.csv", "timeseries.csv", "money.csv", "report.html"}
	run := func(workers int, seed uint64) map[string][]byte {
		dir := t.TempDir()
		if _, err := Run(c, Options{Runs: 24, Seed: seed, Workers: workers}, dir); err != nil {
			t.Fatal(err)
		}
		files := map[string][]byte{}
		for _, name := range outputs {
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			files[name] = b
		}
		return files
	}
	first := run(1, 7)
	for _, workers := range []int{1, 2} {
		again := run(workers, 7)
		for _, name := range outputs {
			if !bytes.Equal(first[name], again[name]) {
				t.Errorf("%s differs between runs (workers 1 then %d)", name, workers)
			}
		}
	}
	if other := run(2, 8); bytes.Equal(first["summary.json"], other["summary.json"]) {
		t.Error("seeds 7 and 8 gave the same summary")
	}
}

// TestPathDependsOnlyOnSeedAndIndex: path i is the same whatever the
// number of paths or workers around it, so the rows of a 12-path run are
// the first rows of a 30-path run.
func TestPathDependsOnlyOnSeedAndIndex(t *testing.T) {
	c := tiny(t, sharedHack)
	rows := func(runs, workers int) []string {
		dir := t.TempDir()
		if _, err := Run(c, Options{Runs: runs, Seed: 4, Workers: workers}, dir); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(filepath.Join(dir, "paths.csv"))
		if err != nil {
			t.Fatal(err)
		}
		return strings.Split(string(data), "\n")
	}
	short, long := rows(12, 1), rows(30, 2)
	for i := range 13 { // the header and 12 paths
		if short[i] != long[i] {
			t.Fatalf("row %d differs: %q vs %q", i, short[i], long[i])
		}
	}
}

// TestStartMarketPerPathOrFixed: with startMarket perPath each path draws
// its own LP deposits; with fixed every path starts from the same LPs.
func TestStartMarketPerPathOrFixed(t *testing.T) {
	starts := func(mode string) [][]float64 {
		c := tiny(t, noHacks)
		c.StartMarket = mode
		c.Agents.LPs[0].Deposit = Dist{Kind: "uniform", A: 50_000, B: 150_000}
		m := newModel(c)
		snap, err := buildStart(m, 9)
		if err != nil {
			t.Fatal(err)
		}
		var out [][]float64
		for i := range 3 {
			res := newPathResult(m)
			if err := runPath(m, snap, 9, i, res); err != nil {
				t.Fatal(err)
			}
			var caps []float64
			for _, lp := range res.lps {
				caps = append(caps, lp.start)
			}
			out = append(out, caps)
		}
		return out
	}
	fixed := starts(startFixed)
	if !slices.Equal(fixed[0], fixed[1]) || !slices.Equal(fixed[0], fixed[2]) {
		t.Errorf("fixed start: paths start from different LPs: %v", fixed)
	}
	perPath := starts(startPerPath)
	if slices.Equal(perPath[0], perPath[1]) || slices.Equal(perPath[1], perPath[2]) {
		t.Errorf("per-path start: paths share their LPs: %v", perPath)
	}
}
