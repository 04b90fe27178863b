package sim

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const tinySweep = `sweep:
  objective: lpLoss.leveraged.mean
  grid:
    - param: market.leverageFeePerPool
      values: ["1%", "5%"]
    - param: market.pools.*.curve.uOptimal
      values: ["60%", "70%", "90%"]
`

// TestSweepShape: a 2 × 3 grid gives six points, one CSV row each in grid
// order, and a heatmap.
func TestSweepShape(t *testing.T) {
	data := []byte(strings.Replace(tinyMarket, "HACKS", sharedHack+tinySweep, 1))
	dir := t.TempDir()
	r, err := Sweep(&Source{File: data}, Options{Runs: 4, Seed: 1}, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Points) != 6 || r.Points[1].Values[0] != "1%" || r.Points[1].Values[1] != "70%" || r.Points[5].Values[0] != "5%" {
		t.Fatalf("points %+v", r.Points)
	}
	rows := readCSV(t, filepath.Join(dir, "sweep.csv"))
	if len(rows) != 7 || rows[0][0] != "market.leverageFeePerPool" || len(rows[0]) != 2+3*len(objectiveNames()) {
		t.Errorf("sweep.csv: %d rows, header %v", len(rows), rows[0])
	}
	html, err := os.ReadFile(filepath.Join(dir, "sweep.html"))
	if err != nil || !strings.Contains(string(html), `alt="sweep heatmap"`) || !strings.Contains(string(html), `alt="colour scale"`) {
		t.Errorf("sweep.html has no heatmap or no colour scale (%v)", err)
	}
}

// TestSweepBadParam names fields that are not in the file's format.
func TestSweepBadParam(t *testing.T) {
	bad := strings.Replace(tinySweep, "market.pools.*.curve.uOptimal", "market.pools.*.curve.uOptimum", 1)
	data := []byte(strings.Replace(tinyMarket, "HACKS", bad, 1))
	_, err := Sweep(&Source{File: data}, Options{Runs: 1, Seed: 1}, t.TempDir(), nil)
	if err == nil || !strings.Contains(err.Error(), "field uOptimum not found") {
		t.Errorf("got %v", err)
	}
	bad = strings.Replace(tinySweep, "market.pools.*.curve.uOptimal", "market.pool.*.curve.uOptimal", 1)
	data = []byte(strings.Replace(tinyMarket, "HACKS", bad, 1))
	if _, err = Sweep(&Source{File: data}, Options{Runs: 1, Seed: 1}, t.TempDir(), nil); err == nil || !strings.Contains(err.Error(), `no field "pool"`) {
		t.Errorf("got %v", err)
	}
}

// TestAxisPositions: numeric sweep values sit at their values, percents
// included; any text value puts every value at its index.
func TestAxisPositions(t *testing.T) {
	if xs, ok := axisPositions([]string{"0.5%", "1.5%", "3%"}); !ok || xs[0] != 0.5 || xs[1] != 1.5 || xs[2] != 3 {
		t.Errorf("percents: %v %v", xs, ok)
	}
	if xs, ok := axisPositions([]string{"2", "fixed"}); ok || xs[0] != 0 || xs[1] != 1 {
		t.Errorf("text: %v %v", xs, ok)
	}
}
