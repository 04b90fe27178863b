package sim

import (
	"strings"
	"testing"
)

// TestPriceElasticDemand: buyers with an elasticity of 2 buy less cover
// when every quoted rate is above their reference rate (1%) and more when
// it is below (60%), than buyers who ignore the price; the hacks, drawn
// from their own stream, are the same in all three.
func TestPriceElasticDemand(t *testing.T) {
	run := func(demand string) *Summary {
		c, err := Parse([]byte(strings.Replace(strings.Replace(tinyMarket, "renewalProbability: 0.5", "renewalProbability: 0.5"+demand, 1), "HACKS", coinFlipHacks, 1)))
		if err != nil {
			t.Fatal(err)
		}
		s, err := Run(c, Options{Runs: 12, Seed: 6}, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
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
