package sim

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// historyFile writes a CSV into a temporary directory and returns it.
func historyFile(t *testing.T, csv string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "hacks.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

const historyCSV = `date,protocol,lossShare
2021-01-01,lend-v1,0.2
2022-07-01,lend-v2,40%
2023-01-01,lend-v1,0.6
2022-03-01,nft-shop,0.9
`

// TestHistoryFit works a fit by hand. Three events of protocols mapped to
// pool a over the two years from the first date to the last: a rate of
// (3 + ½)/2 = 1.75 a year, so a yearly probability 1 − e^−1.75 = 0.826226;
// pool b, mapped but with no event, (0 + ½)/2 = 0.25, so 0.221199. Loss
// shares 0.2, 0.4, 0.6: mean 0.4, variance 0.04, k = 0.4·0.6/0.04 − 1 = 5,
// so Beta(2, 3). The nft-shop row maps to no pool and is left out.
func TestHistoryFit(t *testing.T) {
	dir := historyFile(t, historyCSV)
	file := strings.Replace(tinyMarket, "HACKS", "history:\n  file: hacks.csv\n  fit: true\n  protocols: {lend-v1: a, lend-v2: a, bridge-x: b}\n", 1)
	c, err := ParseIn([]byte(file), dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Incidents.Pools) != 2 {
		t.Fatalf("incidents %+v", c.Incidents.Pools)
	}
	a, b := c.Incidents.Pools[0], c.Incidents.Pools[1]
	if a.Pools[0] != "a" || math.Abs(float64(a.ProbabilityPerYear)-0.826226) > 1e-6 || b.Pools[0] != "b" || math.Abs(float64(b.ProbabilityPerYear)-0.221199) > 1e-6 {
		t.Errorf("fitted probabilities: %v %v, %v %v", a.Pools, a.ProbabilityPerYear, b.Pools, b.ProbabilityPerYear)
	}
	if s := a.Severity; s.Kind != "beta" || math.Abs(s.A-2) > 1e-9 || math.Abs(s.B-3) > 1e-9 {
		t.Errorf("fitted severity %+v, want Beta(2, 3)", s)
	}
	if f := c.fitted; f == nil || f.Events != 3 || f.YearsObserved != 2 || f.Pools[0].Events != 3 || f.Severity["alpha"] != 2.0 {
		t.Errorf("reported fit %+v", f)
	}
}

// TestHistoryReplay: replaying adds a scenario "history" with a shock per
// mapped event within the horizon, on its day from the first date (or
// from replayFrom).
func TestHistoryReplay(t *testing.T) {
	dir := historyFile(t, "date,protocol,lossShare\n2024-01-01,lend-v1,0.3\n2024-03-01,lend-v2,0.5\n2025-06-01,lend-v1,0.9\n")
	file := strings.Replace(tinyMarket, "HACKS", noHacks+"history:\n  file: hacks.csv\n  replay: true\n  protocols: {lend-v1: a, lend-v2: b}\n", 1)
	c, err := ParseIn([]byte(file), dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Stress) != 1 || c.Stress[0].Name != "history" {
		t.Fatalf("stress %+v", c.Stress)
	}
	shocks := c.Stress[0].shocks()
	if len(shocks) != 2 || shocks[0].Day != 1 || shocks[1].Day != 61 || shocks[1].Pools[0] != "b" || *shocks[1].Severity != 0.5 {
		t.Errorf("shocks %+v (the 2025 event is beyond the 120-day horizon)", shocks)
	}
	c, err = ParseIn([]byte(strings.Replace(file, "replay: true", "replay: true\n  replayFrom: 2024-02-01", 1)), dir)
	if err != nil {
		t.Fatal(err)
	}
	if shocks = c.Stress[0].shocks(); len(shocks) != 1 || shocks[0].Day != 30 {
		t.Errorf("from 2024-02-01: shocks %+v, want only the March event, on day 30", shocks)
	}
}

// TestHistoryRejects names the file, line and field at fault.
func TestHistoryRejects(t *testing.T) {
	for _, tc := range []struct{ csv, history, want string }{
		{"date,protocol,lossShare\n2024-13-01,lend-v1,0.3\n", "fit: true", `line 2: date "2024-13-01" is not YYYY-MM-DD`},
		{"date,protocol,lossShare\n2024-01-01,lend-v1,1.3\n", "fit: true", `line 2: lossShare "1.3" must be a share between 0 and 1`},
		{"date,protocol,loss\n2024-01-01,lend-v1,0.3\n", "fit: true", "the header must name date, protocol and lossShare"},
		{"date,protocol,lossShare\n", "fit: true", "has no row"},
		{historyCSV, "fit: true\n  protocols: {lend-v1: z}", `protocols.lend-v1: "z" is not a pool`},
		{historyCSV, "protocols: {lend-v1: a}", "set fit, replay or both"},
		{historyCSV, "fit: true\n  protocols: {dex-y: a}", "no row of hacks.csv is of a protocol in protocols"},
		{historyCSV, "replay: true\n  replayFrom: 2030-01-01\n  protocols: {lend-v1: a}", "replay: no event falls within the 120 days from 2030-01-01"},
		{historyCSV, "replay: true\n  replayFrom: 1/1/2022\n  protocols: {lend-v1: a}", `replayFrom "1/1/2022" is not YYYY-MM-DD`},
	} {
		history := "history:\n  file: hacks.csv\n  " + tc.history + "\n"
		if !strings.Contains(tc.history, "protocols") {
			history += "  protocols: {lend-v1: a}\n"
		}
		_, err := ParseIn([]byte(strings.Replace(tinyMarket, "HACKS", history, 1)), historyFile(t, tc.csv))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q with %q: got %v, want %q", tc.csv, tc.history, err, tc.want)
		}
	}
}

// TestStressExampleFit checks docs/sim.md's worked example by hand. The
// mapped rows of examples/sim/hacks.csv are lendco-v2 0.35 and 0.05,
// swapx 0.08 and 0.15, bridge-alpha 0.62 and 0.25: mean 0.25, variance
// 0.2258/5 = 0.04516, k = 0.1875/0.04516 − 1 = 3.1519, so Beta(0.788,
// 2.364). The CSV runs from 2017-07-19 to 2025-01-10: 2,732 days, 7.4849
// years, so each pool's 2 events give 1 − e^(−2.5/7.4849) = 0.2839. From
// 2021-08-01 the replay sees bridge-alpha on day 10 and swapx on day 119.
func TestStressExampleFit(t *testing.T) {
	c, err := Load("../examples/sim/stress.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f := c.fitted
	if f.Events != 6 || f.YearsObserved != 7.4849 || len(f.Pools) != 3 {
		t.Fatalf("fit %+v", f)
	}
	for _, p := range f.Pools {
		if p.Events != 2 || p.ProbabilityPerYear != 0.2839 {
			t.Errorf("pool %+v, want 2 events and 0.2839", p)
		}
	}
	if f.Severity["alpha"] != 0.788 || f.Severity["beta"] != 2.3639 {
		t.Errorf("severity %v", f.Severity)
	}
	replay := c.Stress[len(c.Stress)-1]
	shocks := replay.shocks()
	if replay.Name != "history" || len(shocks) != 2 || shocks[0].Day != 10 || *shocks[0].Severity != 0.62 ||
		shocks[1].Day != 119 || shocks[1].Pools[0] != "dex" {
		t.Errorf("replay %+v", shocks)
	}
}
