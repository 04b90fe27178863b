package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestQuantilesInvertKnownDistributions checks the inverse distribution
// functions against closed forms: Beta(2, 2) has F(x) = 3x² − 2x³,
// Beta(1, 1) is uniform, Beta(0.5, 0.5) has F(x) = (2/π)·asin(√x), and
// the standard normal's 97.5% quantile is 1.959964.
func TestQuantilesInvertKnownDistributions(t *testing.T) {
	for _, u := range []float64{0.01, 0.2, 0.5, 0.77, 0.99} {
		if x := betaQuantile(u, 2, 2); math.Abs(3*x*x-2*x*x*x-u) > 1e-12 {
			t.Errorf("Beta(2,2) quantile %v = %v: F = %v", u, x, 3*x*x-2*x*x*x)
		}
		if x := betaQuantile(u, 1, 1); math.Abs(x-u) > 1e-12 {
			t.Errorf("Beta(1,1) quantile %v = %v", u, x)
		}
		if x := betaQuantile(u, 0.5, 0.5); math.Abs(2/math.Pi*math.Asin(math.Sqrt(x))-u) > 1e-10 {
			t.Errorf("Beta(.5,.5) quantile %v = %v", u, x)
		}
	}
	if z := normalQuantile(0.975); math.Abs(z-1.959964) > 1e-6 {
		t.Errorf("Φ⁻¹(0.975) = %v", z)
	}
	if x := (Dist{Kind: "lognormal", A: 100, B: 0.5}).quantile(0.5); math.Abs(x-100) > 1e-9 {
		t.Errorf("lognormal median %v", x)
	}
}

// TestCorrelatedSeverities: over 10,000 incidents hitting two pools with
// Beta(2, 5) severities, each pool's mean stays 2/7 whatever ρ, and the
// correlation between the two pools' severities grows with ρ: about 0 at
// ρ = 0, near 1 at ρ = 1.
func TestCorrelatedSeverities(t *testing.T) {
	d := Dist{Kind: "beta", A: 2, B: 5}
	corr := map[float64]float64{}
	for _, rho := range []float64{0, 0.5, 1} {
		r := rand.New(rand.NewPCG(7, 7))
		var sx, sy, sxx, syy, sxy float64
		const n = 10_000
		for range n {
			s := correlatedSeverities(r, d, rho, 2)
			sx, sy, sxx, syy, sxy = sx+s[0], sy+s[1], sxx+s[0]*s[0], syy+s[1]*s[1], sxy+s[0]*s[1]
		}
		mx, my := sx/n, sy/n
		if math.Abs(mx-2.0/7) > 0.006 || math.Abs(my-2.0/7) > 0.006 {
			t.Errorf("rho %v: means %v %v, want 2/7", rho, mx, my)
		}
		corr[rho] = (sxy/n - mx*my) / math.Sqrt((sxx/n-mx*mx)*(syy/n-my*my))
	}
	if math.Abs(corr[0]) > 0.03 || corr[0.5] < 0.35 || corr[0.5] > 0.6 || corr[1] < 0.999 {
		t.Errorf("correlations %v", corr)
	}
}

// TestSharedIncidentCorrelation: a shared source with severity
// correlation 1 hits both its pools with the same severity; with 0 (the
// default) the two severities differ.
func TestSharedIncidentCorrelation(t *testing.T) {
	for _, rho := range []string{"", ", severityCorrelation: 1"} {
		c := tiny(t, "incidents:\n  shared:\n    - {name: dep, pools: [a, b], probabilityPerYear: 1, severity: {dist: uniform, min: 0.1, max: 0.9}"+rho+"}\n")
		p := &path{m: newModel(c)}
		for i := range 20 {
			p.scheduleHacks(newStream(1, i, streamHacks))
			if len(p.hacks) != 2 || p.hacks[0].step != p.hacks[1].step {
				t.Fatalf("hacks %+v", p.hacks)
			}
			if same := p.hacks[0].severity == p.hacks[1].severity; same != (rho != "") {
				t.Errorf("correlation %q: severities %v and %v", rho, p.hacks[0].severity, p.hacks[1].severity)
			}
		}
	}
}
