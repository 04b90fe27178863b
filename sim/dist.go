package sim

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gopkg.in/yaml.v3"
)

// Dist is a distribution of a random draw: a plain number (always that
// value) or a mapping {dist: fixed|uniform|lognormal|beta, …}.
type Dist struct {
	Kind string
	// A and B are the kind's parameters: value; min, max; median, sigma;
	// alpha, beta.
	A, B float64
}

type distFields struct {
	Dist   string   `yaml:"dist"`
	Value  *float64 `yaml:"value"`
	Min    *float64 `yaml:"min"`
	Max    *float64 `yaml:"max"`
	Median *float64 `yaml:"median"`
	Sigma  *float64 `yaml:"sigma"`
	Alpha  *float64 `yaml:"alpha"`
	Beta   *float64 `yaml:"beta"`
}

// distParams names the two parameters of each kind (fixed has one).
var distParams = map[string][2]string{
	"fixed": {"value", ""}, "uniform": {"min", "max"}, "lognormal": {"median", "sigma"}, "beta": {"alpha", "beta"},
}

// UnmarshalYAML reads a number or a distribution mapping, strictly: a
// kind's parameters must all be given and no other.
func (d *Dist) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		var v float64
		if err := n.Decode(&v); err != nil {
			return fmt.Errorf("line %d: %q is neither a number nor a distribution", n.Line, n.Value)
		}
		*d = Dist{Kind: "fixed", A: v}
		return nil
	}
	var f distFields
	if err := onlyKeys(n, "dist", "value", "min", "max", "median", "sigma", "alpha", "beta"); err != nil {
		return err
	}
	if err := n.Decode(&f); err != nil {
		return err
	}
	names, ok := distParams[f.Dist]
	if !ok {
		return fmt.Errorf("line %d: dist %q is not one of fixed, uniform, lognormal, beta", n.Line, f.Dist)
	}
	given := map[string]*float64{"value": f.Value, "min": f.Min, "max": f.Max, "median": f.Median, "sigma": f.Sigma, "alpha": f.Alpha, "beta": f.Beta}
	vals := [2]float64{}
	for i, name := range names {
		if name == "" {
			continue
		}
		if given[name] == nil {
			return fmt.Errorf("line %d: dist %s needs %s", n.Line, f.Dist, name)
		}
		vals[i] = *given[name]
		delete(given, name)
	}
	for name, v := range given {
		if v != nil {
			return fmt.Errorf("line %d: dist %s takes no %s", n.Line, f.Dist, name)
		}
	}
	*d = Dist{Kind: f.Dist, A: vals[0], B: vals[1]}
	return nil
}

// check reports a distribution that is malformed or can draw outside
// [lo, hi].
func (d Dist) check(lo, hi float64) error {
	finite := !math.IsNaN(d.A) && !math.IsInf(d.A, 0) && !math.IsNaN(d.B) && !math.IsInf(d.B, 0)
	switch {
	case d.Kind == "":
		return fmt.Errorf("is missing")
	case !finite:
		return fmt.Errorf("has a parameter that is not a finite number")
	case d.Kind == "fixed" && (d.A < lo || d.A > hi):
		return fmt.Errorf("value %g is outside [%g, %g]", d.A, lo, hi)
	case d.Kind == "uniform" && (d.A > d.B || d.A < lo || d.B > hi):
		return fmt.Errorf("needs %g ≤ min ≤ max ≤ %g", lo, hi)
	case d.Kind == "lognormal" && (d.A <= 0 || d.B < 0 || lo > 0 || !math.IsInf(hi, 1)):
		return fmt.Errorf("lognormal needs median > 0 and sigma ≥ 0, and is allowed only for unbounded positive quantities")
	case d.Kind == "beta" && (d.A <= 0 || d.B <= 0 || lo > 0 || hi < 1):
		return fmt.Errorf("beta needs alpha > 0 and beta > 0 and draws in [0, 1]")
	}
	return nil
}

// Sample draws one value.
func (d Dist) Sample(r *rand.Rand) float64 {
	switch d.Kind {
	case "uniform":
		return d.A + (d.B-d.A)*r.Float64()
	case "lognormal":
		return d.A * math.Exp(d.B*r.NormFloat64())
	case "beta":
		x := gamma(r, d.A)
		return x / (x + gamma(r, d.B))
	}
	return d.A
}

// gamma draws from Gamma(k, 1) (Marsaglia and Tsang).
func gamma(r *rand.Rand, k float64) float64 {
	if k < 1 {
		return gamma(r, k+1) * math.Pow(r.Float64(), 1/k)
	}
	d := k - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if math.Log(u) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v
		}
	}
}

// poisson draws the number of events of a Poisson process of mean lambda
// (Knuth's method, by chunks of 30 so that e^-lambda never underflows).
func poisson(r *rand.Rand, lambda float64) int {
	n := 0
	for lambda > 0 {
		l := min(lambda, 30)
		lambda -= l
		limit, p := math.Exp(-l), r.Float64()
		for p > limit {
			n++
			p *= r.Float64()
		}
	}
	return n
}
