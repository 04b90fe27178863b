package sim

import (
	"math"
	"math/rand/v2"
)

// correlatedSeverities draws the severities of the pools a shared
// incident hits, correlated through a Gaussian copula: pool i's severity
// is the distribution's quantile at Φ(√ρ·Z + √(1−ρ)·εᵢ), with Z common to
// the incident and εᵢ its own. Each severity keeps its distribution; ρ = 0
// gives independent draws, ρ = 1 the same quantile for every pool.
func correlatedSeverities(r *rand.Rand, d Dist, rho float64, n int) []float64 {
	common := r.NormFloat64()
	out := make([]float64, n)
	for i := range out {
		z := math.Sqrt(rho)*common + math.Sqrt(1-rho)*r.NormFloat64()
		out[i] = d.quantile(normalCDF(z))
	}
	return out
}

// normalCDF is the standard normal distribution function Φ.
func normalCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }

// quantile is the distribution's u-quantile (0 < u < 1).
func (d Dist) quantile(u float64) float64 {
	switch d.Kind {
	case "uniform":
		return d.A + (d.B-d.A)*u
	case "lognormal":
		return d.A * math.Exp(d.B*normalQuantile(u))
	case "beta":
		return betaQuantile(u, d.A, d.B)
	}
	return d.A
}

// normalQuantile is Φ⁻¹(u), by bisection on Φ to float precision.
func normalQuantile(u float64) float64 {
	return bisect(func(x float64) float64 { return normalCDF(x) }, u, -40, 40)
}

// betaQuantile is the u-quantile of Beta(a, b), by bisection on the
// regularized incomplete beta function.
func betaQuantile(u, a, b float64) float64 {
	return bisect(func(x float64) float64 { return regularizedBeta(x, a, b) }, u, 0, 1)
}

// bisect finds x in [lo, hi] with f(x) = target for a non-decreasing f
// (64 halvings take any range below float64 resolution).
func bisect(f func(float64) float64, target, lo, hi float64) float64 {
	for range 64 {
		mid := (lo + hi) / 2
		if f(mid) < target {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// regularizedBeta is I_x(a, b), the distribution function of Beta(a, b)
// at x, by its continued fraction (Numerical Recipes, betai/betacf).
func regularizedBeta(x, a, b float64) float64 {
	switch {
	case x <= 0:
		return 0
	case x >= 1:
		return 1
	}
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	front := math.Exp(lab - la - lb + a*math.Log(x) + b*math.Log1p(-x))
	if x < (a+1)/(a+b+2) {
		return front * betaFraction(x, a, b) / a
	}
	return 1 - front*betaFraction(1-x, b, a)/b
}

// betaFraction evaluates the incomplete beta's continued fraction by
// Lentz's method.
func betaFraction(x, a, b float64) float64 {
	const tiny = 1e-300
	c, d := 1.0, 1-(a+b)*x/(a+1)
	if math.Abs(d) < tiny {
		d = tiny
	}
	d = 1 / d
	h := d
	for m := 1; m <= 300; m++ {
		fm := float64(m)
		for _, num := range []float64{
			fm * (b - fm) * x / ((a + 2*fm - 1) * (a + 2*fm)),
			-(a + fm) * (a + b + fm) * x / ((a + 2*fm) * (a + 2*fm + 1)),
		} {
			d = 1 + num*d
			if math.Abs(d) < tiny {
				d = tiny
			}
			c = 1 + num/c
			if math.Abs(c) < tiny {
				c = tiny
			}
			d = 1 / d
			h *= d * c
		}
		if math.Abs(d*c-1) < 1e-15 {
			break
		}
	}
	return h
}
