package sim

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// TestPriceElasticDemand: buyers with an elasticity of 2 buy less cover
// when every quoted rate is above their reference rate (1%) and more when
// it is below (60%), than buyers who ignore the price; the hacks, drawn
// from their own stream, are the same in all three.
func TestPriceElasticDemand(t *testing.T) {
	run := func(demand string) *Summary {
		s, _ := runFile(t, strings.Replace(strings.Replace(tinyMarket, "renewalProbability: 0.5", "renewalProbability: 0.5"+demand, 1),
			"HACKS", coinFlipHacks, 1), Options{Runs: 12, Seed: 6})
		return s
	}
	flat := run("")
	dear := run("\n      priceElasticity: 2\n      sizeElasticity: 1\n      referenceRate: 1%")
	cheap := run("\n      priceElasticity: 2\n      referenceRate: 60%")
	d := func(s *Summary) float64 { return s.Overall.CoverDemand.Value }
	if !(d(dear) < d(flat) && d(flat) < d(cheap)) {
		t.Errorf("covers asked per path: %v with rates above the reference, %v ignoring price, %v below", d(dear), d(flat), d(cheap))
	}
	if dear.Overall.ClaimsPaid.Mean.Value >= flat.Overall.ClaimsPaid.Mean.Value {
		t.Errorf("smaller, fewer covers should claim less: %v vs %v", dear.Overall.ClaimsPaid.Mean, flat.Overall.ClaimsPaid.Mean)
	}
	for i := range flat.Pools {
		h := func(s *Summary) float64 { return s.Pools[i].HacksPerPath.Value }
		if h(flat) != h(dear) || h(flat) != h(cheap) || h(flat) == 0 || h(flat) == 1 {
			t.Errorf("pool %d: hacks per path %v, %v, %v: want the same share, strictly between 0 and 1", i, h(flat), h(dear), h(cheap))
		}
	}
}

// windowMarket is the tiny market with little cover demand (so that LPs
// have free capital to take out), the given withdrawal delay, single-pool LPs
// all in pool a who run on news of an incident (or not), and pool a
// hacked once in every path.
func windowMarket(t *testing.T, run bool, delayDays int, window string) *Config {
	t.Helper()
	file := strings.NewReplacer("arrivalsPerDay: 0.5", "arrivalsPerDay: 0.15", "market:\n", fmt.Sprintf("market:\n  withdrawDelayDays: %d\n", delayDays),
		"baskets: [[a], [b]]", fmt.Sprintf("baskets: [[a]]\n      exitOnIncident: %v", run),
		"HACKS", "incidents:\n  pools:\n    - {pools: [a], probabilityPerYear: 1, severity: 0.6}\n"+window).Replace(tinyMarket)
	c, err := Parse([]byte(file))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestAssessmentWindow: LPs who run when pool a is hit get their free
// capital out before the payout when the engine lets them (claims filed
// three days after the incident, no withdrawal delay), and so lose less
// than LPs who stay; with a withdrawal delay longer than the window they
// cannot, and lose what the others lose; when the claims are open from
// the incident on, the
// engine refuses every withdrawal until they are settled, and the LPs who
// ran lose exactly what the LPs who stayed lose.
func TestAssessmentWindow(t *testing.T) {
	run := func(c *Config) (*Summary, []map[string]string) {
		dir := t.TempDir()
		s, err := Run(c, Options{Runs: 12, Seed: 8}, dir)
		if err != nil {
			t.Fatal(err)
		}
		return s, readRows(t, filepath.Join(dir, "paths.csv"))
	}
	loss := func(s *Summary) float64 { return s.Pools[0].LPLoss.Unleveraged.Mean.Value }

	late := "  claimFilingDays: 3\n  assessmentDays: 5\n"
	stayed, _ := run(windowMarket(t, false, 0, late))
	ran, _ := run(windowMarket(t, true, 0, late))
	if !(loss(ran) < loss(stayed)) {
		t.Errorf("claims filed after 3 days: LPs of a who ran lost %v%%, who stayed %v%%", loss(ran), loss(stayed))
	}
	if ran.Overall.ClaimsUnpaid.Mean.Value < stayed.Overall.ClaimsUnpaid.Mean.Value {
		t.Errorf("LPs leaving before the payout should leave claims less paid: unpaid %v vs %v",
			ran.Overall.ClaimsUnpaid.Mean, stayed.Overall.ClaimsUnpaid.Mean)
	}

	// A 14-day withdrawal delay outlasts the 8-day window: no way out.
	stayed, _ = run(windowMarket(t, false, 14, late))
	ran, _ = run(windowMarket(t, true, 14, late))
	if loss(ran) != loss(stayed) || loss(ran) <= 0 {
		t.Errorf("with a 14-day delay: LPs of a who ran lost %v%%, who stayed %v%%; want the same", loss(ran), loss(stayed))
	}

	open := "  claimFilingDays: 0\n  assessmentDays: 10\n"
	stayed, _ = run(windowMarket(t, false, 0, open))
	ran, rows := run(windowMarket(t, true, 0, open))
	claimed := 0
	for _, r := range rows {
		if r["claims_paid"] == "0" {
			continue // no cover was active when the hack came
		}
		claimed++
		if r["withdrawals_blocked"] == "0" {
			t.Errorf("path %s: claims open from the incident on, yet no withdrawal was refused", r["path"])
		}
	}
	if claimed < len(rows)/2 {
		t.Errorf("only %d of %d paths had claims", claimed, len(rows))
	}
	if loss(ran) != loss(stayed) || loss(ran) <= 0 {
		t.Errorf("claims open at once: LPs of a who ran lost %v%%, who stayed %v%%; want the same", loss(ran), loss(stayed))
	}
}

// TestRequiredAPY: arriving LPs who ask for 0% all enter (the same LPs as
// with no requirement); asking for 100% a year, none does, and each is
// counted as declining; asking for a uniform 0–20%, some do.
func TestRequiredAPY(t *testing.T) {
	run := func(required string) (*Summary, []string) {
		file := strings.NewReplacer("baskets: [[a], [b]]", "baskets: [[a], [b]]\n      arrivalsPerDay: 0.2"+required,
			"HACKS", noHacks).Replace(tinyMarket)
		s, dir := runFile(t, file, Options{Runs: 8, Seed: 4})
		return s, readColumns(t, filepath.Join(dir, "paths.csv"))["lps"]
	}
	_, free := run("")
	s, zero := run("\n      requiredAPY: 0")
	if strings.Join(zero, " ") != strings.Join(free, " ") || s.Overall.LPsDeclined != 0 {
		t.Errorf("asking for 0%%: LPs per path %v (declined %d), with no requirement %v", zero, s.Overall.LPsDeclined, free)
	}
	s, none := run("\n      requiredAPY: 100")
	for i, n := range none {
		if n != "6" || free[i] == "6" {
			t.Errorf("path %d: %s LPs asking for 100%% (%s with no requirement), want the 6 at the start", i, n, free[i])
		}
	}
	if s.Overall.LPsDeclined == 0 {
		t.Error("no LP declined at 100%")
	}
	s, _ = run("\n      requiredAPY: {dist: uniform, min: 0, max: 20}")
	if s.Overall.LPsDeclined == 0 || s.Overall.LPsDeclined >= 8*uint64(24) {
		t.Errorf("asking for 0–20%%: %d declined", s.Overall.LPsDeclined)
	}
}

// TestRandomYield: with no cover bought, LPs earn the strategy's yield
// alone: all the same APY (3.6%: 4% less the 10% fee) with the fixed
// yield, spread over more than a point around about the same median with
// a volatile one.
func TestRandomYield(t *testing.T) {
	run := func(strategy string) Quantiles {
		file := strings.NewReplacer("{name: s, yieldPerYear: 4%, feeRate: 10%}", strategy, "arrivalsPerDay: 0.5", "arrivalsPerDay: 0",
			"HACKS", noHacks).Replace(tinyMarket)
		s, _ := runFile(t, file, Options{Runs: 40, Seed: 3})
		return s.Overall.LPAPY.Unleveraged
	}
	fixed := run("{name: s, yieldPerYear: 4%, feeRate: 10%}")
	random := run("{name: s, yieldPerYear: 4%, feeRate: 10%, yieldVolatility: 3%, yieldMeanReversion: 1}")
	spread := func(q Quantiles) float64 { return q.P95.Value - q.P5.Value }
	if spread(fixed) > 0.02 || math.Abs(fixed.P50.Value-3.6) > 0.05 || spread(random) < 1 || math.Abs(random.P50.Value-fixed.P50.Value) > 0.5 {
		t.Errorf("fixed yield: %+v; random yield: %+v", fixed, random)
	}
}

// TestVenueFailure: a venue that fails in every path losing half its
// capital, with no hacks: every LP loses exactly half its capital, every
// path counts a failure, and no claim is paid.
func TestVenueFailure(t *testing.T) {
	file := strings.NewReplacer("{name: s, yieldPerYear: 4%, feeRate: 10%}",
		"{name: s, yieldPerYear: 4%, feeRate: 10%, failure: {probabilityPerYear: 1, loss: 0.5}}", "HACKS", noHacks).Replace(tinyMarket)
	s, _ := runFile(t, file, Options{Runs: 6, Seed: 3})
	l := s.Overall.LPLoss
	if s.Overall.VenueFailure.Value != 1 || l.Unleveraged.Mean.Value != 50 || l.Leveraged.Mean.Value != 50 || l.Leveraged.Probability.Value != 1 {
		t.Errorf("venue failure: %v of paths, losses %+v / %+v", s.Overall.VenueFailure, l.Unleveraged.Mean, l.Leveraged.Mean)
	}
	if s.Overall.ClaimsPaid.Mean.Value != 0 || s.Tails.LPCapitalLost.Unleveraged.VaR95.Value != 50 {
		t.Errorf("claims %v, unleveraged VaR95 %v", s.Overall.ClaimsPaid.Mean, s.Tails.LPCapitalLost.Unleveraged.VaR95)
	}
}
