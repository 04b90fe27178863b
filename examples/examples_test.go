// Package examples holds the scenario files of examples/; its test replays
// them so that the README's command and the files' comments stay true.
package examples

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/vpool/vpool/scenario"
)

// line is the part of a replay output line the checks read.
type line struct {
	Step   *int            `json:"step"`
	Final  bool            `json:"final"`
	OK     *bool           `json:"ok"`
	Error  string          `json:"error"`
	Result json.RawMessage `json:"result"`
	State  *state          `json:"state"`
}

type state struct {
	Pools []struct {
		TotalLiquidity string            `json:"totalLiquidity"`
		CoveredCapital string            `json:"coveredCapital"`
		Utilization    string            `json:"utilization"`
		PremiumRate    string            `json:"premiumRate"`
		SecondsPerTick string            `json:"secondsPerTick"`
		Overlaps       map[string]string `json:"overlaps"`
	} `json:"pools"`
	Covers []struct {
		CoverAmount  string `json:"coverAmount"`
		PremiumsLeft string `json:"premiumsLeft"`
		DailyCost    string `json:"dailyCost"`
		LastTick     uint32 `json:"lastTick"`
	} `json:"covers"`
	Positions []struct {
		Supplied string `json:"supplied"`
		Capital  string `json:"capital"`
	} `json:"positions"`
	Balances map[string]map[string]string `json:"balances"`
	Custody  struct {
		Strategies map[string]string `json:"strategies"`
	} `json:"custody"`
}

func replay(t *testing.T, path string) []line {
	t.Helper()
	f, err := scenario.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := scenario.Replay(f, &out, scenario.Options{States: true}); err != nil {
		t.Fatal(err)
	}
	var lines []line
	dec := json.NewDecoder(&out)
	for dec.More() {
		var l line
		if err := dec.Decode(&l); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, l)
	}
	if len(lines) == 0 || !lines[len(lines)-1].Final {
		t.Fatalf("%s: no final line", path)
	}
	return lines
}

// failing lists, per example, the steps that fail on purpose and their code.
var failing = map[string]map[int]string{
	"two-pools.yaml": {12: "insufficient_capacity"},
	"swap.yaml":      {12: "vpool_locked", 16: "reserve_ratio_exceeded"},
}

func TestExamplesReplay(t *testing.T) {
	files, _ := filepath.Glob("*.yaml")
	jsonFiles, _ := filepath.Glob("*.json")
	files = append(files, jsonFiles...)
	if len(files) == 0 {
		t.Fatal("no examples")
	}
	for _, path := range files {
		t.Run(path, func(t *testing.T) {
			for _, l := range replay(t, path) {
				if l.Final {
					continue
				}
				want, fails := failing[path][*l.Step]
				switch {
				case fails && (*l.OK || l.Error != want):
					t.Errorf("step %d: ok=%v error=%q, want it to fail with %s", *l.Step, *l.OK, l.Error, want)
				case !fails && !*l.OK:
					t.Errorf("step %d failed: %s", *l.Step, l.Error)
				}
			}
		})
	}
}

// TestTwoPoolsComments checks the numbers the comments of two-pools.yaml
// quote where they can be known without running the engine: the cover of
// step 7 is docs/formulas.md §10's worked purchase (5,000 of cover on 10,000
// at 0%, curve 80/2/6/15, 100 of premiums), and the claim of step 10 takes
// 2,000 out of pool 0's 10,000, a ratio of 20% applied to every pool and
// position sharing it.
func TestTwoPoolsComments(t *testing.T) {
	lines := replay(t, "two-pools.yaml")
	eq := func(what, got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %s, want %s", what, got, want)
		}
	}

	s := lines[6].State
	eq("overlap after step 6", s.Pools[0].Overlaps["1"], "4000000000")
	eq("pool 0 L after step 6", s.Pools[0].Overlaps["0"], "10000000000")

	s = lines[7].State
	eq("U after step 7", s.Pools[0].Utilization, "50000000000000000000000000000")
	eq("P after step 7", s.Pools[0].PremiumRate, "5750000000000000000000000000")
	eq("spt after step 7", s.Pools[0].SecondsPerTick, "30052")
	eq("premiumsLeft after step 7", s.Covers[0].PremiumsLeft, "99999421")
	eq("dailyCost after step 7", s.Covers[0].DailyCost, "787671")
	if s.Covers[0].LastTick != 366 {
		t.Errorf("lastTick after step 7 = %d, want 366", s.Covers[0].LastTick)
	}

	s = lines[10].State
	eq("pool 0 L after the claim", s.Pools[0].TotalLiquidity, "8000000000")
	eq("pool 1 L after the claim", s.Pools[1].TotalLiquidity, "3200000000")
	eq("overlap after the claim", s.Pools[0].Overlaps["1"], "3200000000")
	eq("alice capital after the claim", s.Positions[0].Capital, "4800000000")
	eq("bob capital after the claim", s.Positions[1].Capital, "3200000000")
	eq("cover after the claim", s.Covers[0].CoverAmount, "3000000000")
	eq("custody after the claim", s.Custody.Strategies["0"], "8000000000")
}

// TestSwapComments checks the results the comments of swap.yaml quote,
// which are those docs/swap.md §7 gives for its worked scenario.
func TestSwapComments(t *testing.T) {
	lines := replay(t, "swap.yaml")
	for step, want := range map[int]string{
		1:  `{"pair":0}`,
		2:  `{"pair":1}`,
		9:  `{"pair":0,"amountA":"10000","amountB":"40000","shares":"19000"}`,
		10: `{"pair":1,"amountA":"20000","amountB":"5000","shares":"9000"}`,
		11: `{"route":{"native":0},"amountIn":"1000","amountOut":"243"}`,
		13: `{"tokenIn":"C","tokenOut":"A","amountIn":"300","amountOut":"282","reserveRatio":"1543"}`,
		14: `{"pair":0,"amountA":"1000","amountB":"4116","shares":"2026"}`,
		15: `{"amountIn":"135"}`,
		17: `{"amountA":"4622","amountB":"19027","reserves":{"C":"129"}}`,
	} {
		if got := string(lines[step].Result); got != want {
			t.Errorf("step %d: result %s, want %s", step, got, want)
		}
	}
}

// TestSplitComments checks the results the comments of split.yaml quote:
// each leg's amount out is getAmountOut (docs/swap.md §2.1) of its amount
// in on the pair or virtual pool it trades on.
func TestSplitComments(t *testing.T) {
	lines := replay(t, "split.yaml")
	for step, want := range map[int]string{
		9: `{"route":{"jk":1,"ik":2},"amountIn":"20000","amountOut":"18132"}`,
		10: `{"tokenIn":"C","tokenOut":"A","amountIn":"20000","amountOut":"18696","legs":[` +
			`{"route":{"native":0},"amountIn":"6875","amountOut":"6414"},{"route":{"jk":1,"ik":2},"amountIn":"13125","amountOut":"12282"}]}`,
	} {
		if got := string(lines[step].Result); got != want {
			t.Errorf("step %d: result %s, want %s", step, got, want)
		}
	}
}
