package sim

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// neutralBehaviour writes every behaviour of the file at its neutral
// value explicitly, on examples/sim/small.yaml: each pair replaces the
// first text with the second.
var neutralBehaviour = []string{
	"renewalProbability: 0.6\n", "renewalProbability: 0.6\n      priceElasticity: 0\n      sizeElasticity: 0\n      referenceRate: 9%\n",
	"incidents:\n", "incidents:\n  claimFilingDays: 0\n  assessmentDays: 0\n",
	"payoutDeductible: 0%\n", "payoutDeductible: 0%\n      yieldVolatility: 0%\n      failure: {probabilityPerYear: 0, loss: 0.5}\n",
	"hitProbability: 0.8\n", "hitProbability: 0.8\n      severityCorrelation: 0\n",
	"withdrawBelowAPY: 3%\n", "withdrawBelowAPY: 3%\n      exitOnIncident: false\n",
}

// TestBehaviourOffKeepsTodaysPaths: testdata/today holds paths.csv and
// timeseries.csv of examples/sim/small.yaml, 40 paths, seed 3, as written
// by commit 29c2271, before the behaviours of issue 10 (price-elastic
// demand, claim assessment windows, APY-driven LP entry, correlated
// severities, random strategy yields, venue failures, stress scenarios)
// existed. With each of them left out of the file, or written at its
// neutral value (an elasticity of 0, no window, …), the same run gives
// the same bytes in every column of those files.
func TestBehaviourOffKeepsTodaysPaths(t *testing.T) {
	data, err := os.ReadFile("../examples/sim/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"left out": string(data)}
	if len(neutralBehaviour) > 0 {
		files["written as neutral"] = strings.NewReplacer(neutralBehaviour...).Replace(string(data))
	}
	for name, file := range files {
		t.Run(name, func(t *testing.T) {
			if name != "left out" && file == string(data) {
				t.Fatal("the neutral values were not written into the file")
			}
			c, err := Parse([]byte(file))
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if _, err := Run(c, Options{Runs: 40, Seed: 3, Workers: 2}, dir); err != nil {
				t.Fatal(err)
			}
			for _, f := range []string{"paths.csv", "timeseries.csv"} {
				want, got := readColumns(t, filepath.Join("testdata/today", f)), readColumns(t, filepath.Join(dir, f))
				for col, values := range want {
					if strings.Join(got[col], "\n") != strings.Join(values, "\n") {
						t.Errorf("%s: column %s differs from today's", f, col)
					}
				}
			}
		})
	}
}
