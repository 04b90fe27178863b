package sim

import (
	"math"
	"path/filepath"
	"slices"
	"testing"
)

// TestTailsMatchThePaths checks the tail figures of a run against the
// same figures computed here from its paths.csv: 40 paths of the tiny
// market where pool a is hacked every year. With n = 40, at 95% α·n = 38,
// so VaR is the 38th smallest loss and ES the mean of the 39th and 40th;
// at 99% α·n = 39.6, k = 40, so VaR = ES = the largest. The histogram
// reads a value as its bin's mean, so the two agree to the bin's 1.2%.
func TestTailsMatchThePaths(t *testing.T) {
	dir := t.TempDir()
	s, err := Run(tiny(t, certainHack), Options{Runs: 40, Seed: 11, Workers: 2}, dir)
	if err != nil {
		t.Fatal(err)
	}
	var claims, net []float64
	for _, r := range readRows(t, filepath.Join(dir, "paths.csv")) {
		v := func(name string) float64 { return number(t, r[name]) }
		claims = append(claims, v("claims_paid"))
		net = append(net, v("claims_unpaid")-v("treasury_income")-v("risk_fund_income"))
	}
	check := func(what string, values []float64, tail Tail) {
		slices.Sort(values)
		near := func(got Estimate, want float64) bool {
			return math.Abs(got.Value-want) <= 0.012*math.Abs(want)+1e-3
		}
		if !near(tail.VaR95, values[37]) || !near(tail.ES95, (values[38]+values[39])/2) ||
			!near(tail.VaR99, values[39]) || !near(tail.ES99, values[39]) {
			t.Errorf("%s: tail %+v; from the paths VaR95 %v ES95 %v VaR99 = ES99 %v", what, tail, values[37], (values[38]+values[39])/2, values[39])
		}
	}
	check("claims paid", claims, s.Tails.ClaimsPaid)
	check("protocol net loss", net, s.Tails.ProtocolNetLoss)
	if s.Tails.ClaimsPaid.VaR95.Value <= 0 || s.Tails.HorizonDays != 120 {
		t.Errorf("tails %+v", s.Tails)
	}
}

// TestLossThreshold: with pool a hacked at severity 1 in every path, its
// LPs lose more than 1% of their capital in every path, and so some pool's
// LPs do; without hacks no LP book loses anything.
func TestLossThreshold(t *testing.T) {
	c := tiny(t, certainHack)
	c.Tails.LossThreshold = percentOf("1")
	s, err := Run(c, Options{Runs: 10, Seed: 2}, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if s.Pools[0].LPsLose.Value != 1 || s.Tails.AnyPoolLPsLose.Value != 1 || s.Tails.LossThreshold != 1 {
		t.Errorf("pool a's LPs lose more than 1%% in %v of paths, some pool's in %v", s.Pools[0].LPsLose, s.Tails.AnyPoolLPsLose)
	}
	if l := s.Tails.LPCapitalLost; l.Leveraged.VaR95.Value <= 0 || l.Groups[1].Name != "leveraged" || l.Groups[1].VaR95.Value != l.Leveraged.VaR95.Value {
		t.Errorf("LP capital lost %+v", l)
	}
	s, err = Run(tiny(t, noHacks), Options{Runs: 10, Seed: 2}, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	l := s.Tails.LPCapitalLost
	if s.Tails.AnyPoolLPsLose.Value != 0 || l.Unleveraged.ES99.Value != 0 || l.Leveraged.ES99.Value != 0 || s.Tails.ClaimsPaid.ES99.Value != 0 {
		t.Errorf("without hacks: %+v", s.Tails)
	}
}
