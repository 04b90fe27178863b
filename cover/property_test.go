package cover

// Property tests: long random command sequences against one Market.
// After every command (propHarness.apply): a failure is an *Error with a
// code of docs/scenario.md and leaves the canonical encoding and the
// derived state byte-identical; a success moves the clock; the pools spec
// §4.2 says it purges are at refresh(at) and no other pool's time grid
// moved; checkInvariants (spec §9) holds; views are pure and agree with
// each other. Some commands add their own oracle (takeInterests takes what
// the view showed, a purge changes no view at its time, a removal needs
// the delay).
//
// The same generator drives three tests:
//   - TestPropertyRandomOps (here): rapid picks 200-500 commands per run;
//   - TestCloseEverything (property_close_test.go): a random market is
//     wound down to dust;
//   - FuzzRandomOps (fuzz_test.go): the fuzz input picks the commands.
//
// The default `go test ./cover` runs few rapid checks to stay fast. To run
// longer, give a count: `go test ./cover -run 'Property|Close'
// -rapid.checks=2000` (or RAPID_CHECKS=2000); -rapid.seed=N replays a run,
// and VPOOL_TRAIL=1 prints every command of a failing run, not the last 40.
//
// Files: property_harness_test.go (the harness and the market setup),
// property_checks_test.go (what apply checks after every command),
// property_args_test.go (times, amounts, ids and curves to draw),
// property_ops*_test.go (the command generators, by area),
// property_stats_test.go (what the runs saw).

import (
	"flag"
	"os"
	"strconv"
	"testing"

	"pgregory.net/rapid"
)

// propRapidChecks runs rapid with n checks for this test unless the run
// chose a count itself (-rapid.checks or RAPID_CHECKS).
func propRapidChecks(t *testing.T, n int) {
	t.Helper()
	if os.Getenv("RAPID_CHECKS") != "" {
		return
	}
	chosen := false
	flag.Visit(func(f *flag.Flag) { chosen = chosen || f.Name == "rapid.checks" })
	f := flag.Lookup("rapid.checks")
	if chosen || f == nil {
		return
	}
	old := f.Value.String()
	if err := f.Value.Set(strconv.Itoa(n)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Value.Set(old) })
}

// TestPropertyRandomOps drives random markets through 200-500 random
// commands each, failing ones included, and checks after every command that
// a failure changed nothing and that the §9 invariants hold.
func TestPropertyRandomOps(t *testing.T) {
	propRapidChecks(t, 40)
	stats := newPropStats()
	rapid.Check(t, func(rt *rapid.T) {
		h := newPropHarness(rt, propRapid{rt}, stats, false)
		h.run(rapid.IntRange(200, 500).Draw(rt, "commands"))
	})
	stats.report(t)
	if stats.shortfall.Sign() != 0 {
		t.Logf("FINDING: a premium shortfall of %s was seen (spec §9 expects 0)", stats.shortfall)
	}
}
