package cover

import (
	"math/big"
	"testing"

	"github.com/vpool/vpool/ray"
)

// A strategy index moves only up to MaxStrategyIndex = 2^128−1: beyond it
// the strategy's rate could not be computed (issue 12, item 5).
func TestStrategyIndexIsBounded(t *testing.T) {
	m := New()
	m.Apply(0, AddAsset{Symbol: "USDC", Decimals: 6})
	if _, err := m.Apply(0, AddStrategy{Asset: "USDC"}); err != nil {
		t.Fatal(err)
	}
	max := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))
	if MaxStrategyIndex.ToBig().Cmp(max) != 0 {
		t.Fatalf("MaxStrategyIndex is %s, want 2^128−1", MaxStrategyIndex.Dec())
	}
	var over, all Int
	over.SetFromBig(new(big.Int).Add(max, big.NewInt(1)))
	all.SetAllOne()
	for _, index := range []Int{over, all} {
		if _, err := m.Apply(1, SetStrategyIndex{Strategy: 0, Index: index}); CodeOf(err) != CodeInvalidArgument {
			t.Errorf("index %s: %v, want invalid_argument", index.Dec(), err)
		}
	}
	// The largest move, in one second: the rate is still exact.
	if _, err := m.Apply(1, SetStrategyIndex{Strategy: 0, Index: MaxStrategyIndex}); err != nil {
		t.Fatal(err)
	}
	rate, err := m.strategies[0].StrategyRate()
	if err != nil {
		t.Fatal(err)
	}
	// (index − RAY) · year · 100·RAY / RAY / 1 s, with math/big.
	want := new(big.Int).Sub(max, ray.RAY.ToBig())
	want.Mul(want, big.NewInt(int64(Year)))
	want.Mul(want, ray.Hundred.ToBig())
	want.Quo(want, ray.RAY.ToBig())
	if rate.ToBig().Cmp(want) != 0 {
		t.Fatalf("rate %s, want %s", rate.Dec(), want)
	}
}
