package sim

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestStressScenarios: a scenario hitting pool a at severity 0.8 on day
// 40, in a market without random incidents, pays claims in every path
// while the main run pays none; a scenario of two shocks (one through a
// shared source) hits both pools. The main run's figures are the same
// with or without scenarios in the file.
func TestStressScenarios(t *testing.T) {
	stress := `stress:
  - {name: a-hack, day: 40, pools: [a], severity: 0.8}
  - name: both
    shocks:
      - {day: 10, source: dep, severity: 0.3}
      - {day: 60, pools: [b], severity: 0.5}
`
	incidents := "incidents:\n  shared:\n    - {name: dep, pools: [a, b], probabilityPerYear: 0, severity: 0.5}\n"
	run := func(extra string) *Summary {
		s, _ := runFile(t, strings.Replace(tinyMarket, "HACKS", incidents+extra, 1), Options{Runs: 10, Seed: 2})
		return s
	}
	plain, s := run(""), run(stress)
	with, _ := json.Marshal(s.Overall)
	without, _ := json.Marshal(plain.Overall)
	if !bytes.Equal(with, without) || s.Overall.PathsWithClaims.Value != 0 || len(s.Stress) != 2 {
		t.Fatalf("main run: differs with scenarios %v, paths with claims %v, %d scenarios", !bytes.Equal(with, without), s.Overall.PathsWithClaims, len(s.Stress))
	}
	a, both := s.Stress[0], s.Stress[1]
	if a.Name != "a-hack" || a.Paths != 10 || a.Overall.PathsWithClaims.Value != 1 || a.Overall.ClaimsPaid.Mean.Value <= 0 {
		t.Errorf("scenario a-hack: %+v", a.Overall.Stats)
	}
	if len(both.Shocks) != 2 || strings.Join(both.Shocks[0].Pools, ",") != "a,b" || both.Shocks[1].Day != 60 {
		t.Errorf("scenario both: shocks %+v", both.Shocks)
	}
	if both.Overall.LPLoss.Leveraged.Probability.Value != 1 {
		t.Errorf("scenario both: leveraged LPs over a and b should all lose: %+v", both.Overall.LPLoss.Leveraged)
	}
}

// TestStressRejects names the scenario and the shock at fault.
func TestStressRejects(t *testing.T) {
	for stress, want := range map[string]string{
		"stress: [{name: x, day: 500, pools: [a], severity: 0.5}]":     "stress[0] (x) shock 1: day is 500: it must be between 1 and horizonDays (120)",
		"stress: [{name: x, day: 5, severity: 0.5}]":                   "give either source (a shared incident) or pools",
		"stress: [{name: x, day: 5, source: nope, severity: 0.5}]":     `source "nope" is not a shared incident`,
		"stress: [{name: x, day: 5, pools: [a]}]":                      "severity must be given, between 0 and 1",
		"stress: [{name: x}]":                                          "stress[0] (x) has no shock",
		"stress: [{day: 5, pools: [a], severity: 1}]":                  "stress[0].name is missing",
		"stress: [{name: x, day: 5, pools: [a], severity: 1, hit: 1}]": "field hit not found",
	} {
		_, err := Parse([]byte(strings.Replace(tinyMarket, "HACKS", noHacks+stress, 1)))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", stress, err, want)
		}
	}
}
