package sim

import (
	"os"
	"testing"
)

// BenchmarkMarket10 simulates paths of the ten-pool example market on one
// worker; b.N is the number of paths.
func BenchmarkMarket10(b *testing.B) {
	data, err := os.ReadFile("../examples/sim/market10.yaml")
	if err != nil {
		b.Fatal(err)
	}
	c, err := Parse(data)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	if _, err := simulate(c, Options{Runs: b.N, Seed: 1, Workers: 1}); err != nil {
		b.Fatal(err)
	}
}
