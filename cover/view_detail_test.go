package cover

import (
	"bytes"
	"testing"

	"github.com/vpool/vpool/ray"
)

// detailMarket is the quote market with two more pools compatible with
// pool 0 (same strategy), bob's three covers of different lengths in pool
// 0, and carol with 5,000 USDC.
func detailMarket(t *testing.T) (*Market, uint64) {
	m, t0 := quoteMarket(t)
	for _, cmd := range []Command{
		CreatePool{PaymentAsset: "USDC", FeeRate: percentOf(5), Formula: specCurve(), CompatiblePools: []int{0}},
		CreatePool{PaymentAsset: "USDC", FeeRate: percentOf(5), Formula: specCurve(), CompatiblePools: []int{0}},
		Mint{To: "carol", Asset: "USDC", Amount: usdc(5_000)},
		OpenCover{Owner: "bob", Pool: 0, Amount: usdc(1_000), Premium: usdc(10)},
		OpenCover{Owner: "bob", Pool: 0, Amount: usdc(2_000), Premium: usdc(50)},
		OpenCover{Owner: "bob", Pool: 0, Amount: usdc(500), Premium: usdc(40)},
	} {
		applyChecked(t, m, t0, cmd)
	}
	return m, t0
}

// Each expiry time is when a purge crosses the tick: the pool's covered
// capital is the coveredAfter of the expiry from that second on, and not
// one second before.
func TestExpiringAtMatchesRefresh(t *testing.T) {
	m, t0 := detailMarket(t)
	v, err := m.ExpiringAt(0, t0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Expiring) != 3 {
		t.Fatalf("%d expiries, want 3: %+v", len(v.Expiring), v)
	}
	for _, e := range v.Expiring {
		at, _ := m.PoolAt(0, e.At)
		before, _ := m.PoolAt(0, e.At-1)
		if at.CoveredCapital != e.CoveredAfter || before.CoveredCapital == e.CoveredAfter {
			t.Errorf("tick %d at %d: covered %s then %s, the view says %s after", e.Tick, e.At,
				before.CoveredCapital, at.CoveredCapital, e.CoveredAfter)
		}
	}
	// Later: only the ticks still ahead; a limit is honoured.
	later, _ := m.ExpiringAt(0, v.Expiring[0].At, 10)
	if len(later.Expiring) != 2 || later.Expiring[0] != v.Expiring[1] {
		t.Errorf("after the first expiry: %+v", later.Expiring)
	}
	if one, _ := m.ExpiringAt(0, t0, 1); len(one.Expiring) != 1 {
		t.Errorf("limit 1: %+v", one.Expiring)
	}
	if _, err := m.ExpiringAt(9, t0, 1); CodeOf(err) != CodePoolNotFound {
		t.Errorf("pool 9: %v", err)
	}
}

// The quote's APY is what PositionAPY reports once the position opens,
// and the quote changes nothing.
func TestQuotePositionIsTheAPYAfterOpening(t *testing.T) {
	for _, pools := range [][]int{{0}, {0, 1}, {0, 2}} {
		m, t0 := detailMarket(t)
		applyChecked(t, m, t0, SetCompatibility{Pairs: []CompatPair{{A: 1, B: 2, Compatible: true}}})
		before := m.AppendCanonical(nil)
		q, err := m.QuotePosition(pools, usdc(3_000), t0+100)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(before, m.AppendCanonical(nil)) {
			t.Fatal("a quote changed the market")
		}
		res := applyChecked(t, m, t0+100, OpenPosition{Owner: "carol", Amount: usdc(3_000), Pools: pools})
		apy, err := m.PositionAPY(res.(map[string]int)["position"], t0+100)
		if err != nil {
			t.Fatal(err)
		}
		if q.APY != apy.Dec() {
			t.Errorf("pools %v: quoted %s, PositionAPY %s", pools, q.APY, apy.Dec())
		}
		wantLev := "0"
		if len(pools) > 1 {
			three := percentOf(3) // 1.5% per pool × 2
			wantLev = three.Dec()
		}
		if q.Pools[0].LeverageFee != wantLev {
			t.Errorf("pools %v: leverage fee %s, want %s", pools, q.Pools[0].LeverageFee, wantLev)
		}
	}
}

// The quote refuses what openPosition refuses, with the same code.
func TestQuotePositionRefusesAsOpenPosition(t *testing.T) {
	m, t0 := detailMarket(t)
	applyChecked(t, m, t0, AddStrategy{Asset: "USDC"})
	applyChecked(t, m, t0, CreatePool{PaymentAsset: "USDC", Strategy: 1, Formula: specCurve(), CompatiblePools: []int{0}})
	for _, c := range []struct {
		pools  []int
		amount Int
		want   Code
	}{
		{[]int{0}, Int{}, CodeZeroAmount},
		{nil, usdc(1), CodeZeroAmount},
		{[]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, usdc(1), CodeMaxLeverageExceeded},
		{[]int{7}, usdc(1), CodePoolNotFound},
		{[]int{1, 0}, usdc(1), CodePoolsNotAscending},
		{[]int{1, 2}, usdc(1), CodeIncompatiblePools},
		{[]int{0, 9}, usdc(1), CodeIncompatiblePools},
		{[]int{0, 3}, usdc(1), CodeMixedStrategies},
	} {
		_, qerr := m.QuotePosition(c.pools, c.amount, t0)
		_, aerr := m.Apply(t0, OpenPosition{Owner: "carol", Amount: c.amount, Pools: c.pools})
		if CodeOf(qerr) != c.want || CodeOf(aerr) != c.want {
			t.Errorf("pools %v amount %s: quote %v, openPosition %v, want %s", c.pools, c.amount.Dec(), qerr, aerr, c.want)
		}
	}
}

func pct(p uint64) string {
	v := percentOf(p)
	return v.Dec()
}

func TestPoolCurveAndStrategy(t *testing.T) {
	m, t0 := detailMarket(t)
	v, err := m.PoolCurve(0, 4, t0)
	if err != nil {
		t.Fatal(err)
	}
	// 0, 25, 50, 75, 80 (uOptimal), 100.
	if len(v.Points) != 6 || v.Points[4].Utilization != pct(80) || v.Points[4].PremiumRate != pct(8) ||
		v.Points[5].PremiumRate != pct(23) || v.Points[0].PremiumRate != pct(2) {
		t.Errorf("points %+v", v.Points)
	}
	if len(v.CompatiblePools) != 2 || v.CompatiblePools[0] != 1 {
		t.Errorf("compatible %v", v.CompatiblePools)
	}
	pool, _ := m.PoolAt(0, t0)
	if v.Current.Utilization != pool.Utilization || v.Current.PremiumRate != pool.PremiumRate {
		t.Errorf("current %+v, pool %s %s", v.Current, pool.Utilization, pool.PremiumRate)
	}
	s, err := m.StrategyAt(0)
	if err != nil || s.Asset != "USDC" || s.Rate != "0" {
		t.Errorf("strategy %+v %v", s, err)
	}
	applyChecked(t, m, t0+Year, SetStrategyIndex{Strategy: 0, Index: mulRay(105)})
	if s, _ := m.StrategyAt(0); s.Rate != pct(5) {
		t.Errorf("strategy rate after +5%% in a year: %s", s.Rate)
	}
	if _, err := m.StrategyAt(5); CodeOf(err) != CodeNotFound {
		t.Errorf("strategy 5: %v", err)
	}
}

// mulRay is pct/100 as a ray index (105 → 1.05).
func mulRay(pct uint64) Int {
	v := ray.U64(pct)
	v.Mul(&v, &ray.RAY)
	h := ray.U64(100)
	return *v.Div(&v, &h)
}
