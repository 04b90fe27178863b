package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestIntervalsCoverTheTruth is a seeded statistical test of the
// intervals: over 400 independent runs of 400 synthetic paths, the 95%
// intervals must contain the true value in 91% to 98.5% of the runs
// (the binomial spread of a 95% rate over 400 runs is ±1.1 points).
//
// Each path has five unleveraged LPs whose APY is the path's own level
// μ ~ N(5, 1) plus the LP's own N(0, 1): LPs of one path are correlated,
// as they are in a market, and an interval that treated them as
// independent would cover far less often. Their APYs are N(5, 2) over
// all paths, so the median and mean are 5 and the 95th percentile is
// 5 + 1.644854·√2. A path has a claim not paid in full with probability
// 2%; that share's (Wilson) interval must cover 0.02 as often.
func TestIntervalsCoverTheTruth(t *testing.T) {
	const runs, paths, lpsPerPath = 400, 400, 5
	m := newModel(tiny(t, noHacks))
	truth := map[string]float64{"p50": 5, "mean": 5, "p95": 5 + 1.644854*math.Sqrt2, "unpaid": 0.02}
	covered := map[string]int{}
	for run := range runs {
		r := rand.New(rand.NewPCG(uint64(run), 99))
		a := newAggregate(m)
		for i := range paths {
			res := newPathResult(m)
			res.index = i
			level := 5 + r.NormFloat64()
			for range lpsPerPath {
				res.lps = append(res.lps, lpOutcome{pools: []int{0}, apy: level + r.NormFloat64(), hasAPY: true, start: 1})
			}
			if r.Float64() < truth["unpaid"] {
				res.pools[0].asked, res.pools[0].paid = 10, 5
			}
			a.add(res)
		}
		all := a.all
		q := a.quantiles(all, m.lpSet(unleveraged, len(m.pools)))
		unpaid := a.stats(all, len(m.pools)).ClaimNotPaidInFull
		for name, e := range map[string]Estimate{"p50": q.P50, "mean": q.Mean, "p95": q.P95, "unpaid": unpaid} {
			if e.CI != nil && e.CI[0] <= truth[name] && truth[name] <= e.CI[1] {
				covered[name]++
			}
		}
	}
	for name := range truth {
		if rate := float64(covered[name]) / runs; rate < 0.91 || rate > 0.985 {
			t.Errorf("the %s interval covered the truth in %.1f%% of runs, want about 95%%", name, 100*rate)
		} else {
			t.Logf("%s: covered in %.1f%% of runs", name, 100*rate)
		}
	}
}

// TestWilsonHandComputed: 0 of 100 paths gives [0, 0.0370] (the rule of
// three's 3/n, a little wider at 95%); 50 of 100 gives 0.5 ± 0.0962.
func TestWilsonHandComputed(t *testing.T) {
	e := wilson(0, 100)
	if e.Value != 0 || e.CI[0] != 0 || math.Abs(e.CI[1]-0.036995) > 1e-5 {
		t.Errorf("0 of 100: %+v %v", e, *e.CI)
	}
	e = wilson(50, 100)
	if math.Abs(e.CI[0]-0.40383) > 1e-5 || math.Abs(e.CI[1]-0.59617) > 1e-5 {
		t.Errorf("50 of 100: %v", *e.CI)
	}
}

// TestSectionedHandComputed: batch estimates 1, 2, 3, 4 around an overall
// 2.5 have s = 1.290994, so the interval is 2.5 ± 3.182·1.290994/2.
func TestSectionedHandComputed(t *testing.T) {
	e := sectioned(2.5, []float64{1, 2, 3, 4})
	half := 3.182 * 1.2909944 / 2
	if math.Abs(e.CI[0]-(2.5-half)) > 1e-6 || math.Abs(e.CI[1]-(2.5+half)) > 1e-6 {
		t.Errorf("interval %v, want 2.5 ± %v", *e.CI, half)
	}
	if sectioned(1, []float64{1}).CI != nil {
		t.Error("one batch gave an interval")
	}
}
