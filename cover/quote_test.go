package cover

import (
	"bytes"
	"math/big"
	"testing"

	"github.com/vpool/vpool/ray"
)

// quoteMarket is spec §10's pool: 10,000 USDC at 0%, curve (80, 2, 6, 15),
// pool fee 10%, and bob with 1,000 USDC.
func quoteMarket(t *testing.T) (*Market, uint64) {
	return usdcMarket(t, percentOf(10), Mint{To: "bob", Asset: "USDC", Amount: usdc(1_000)})
}

func percentOf(p uint64) Int {
	v := ray.U64(p)
	return *v.Mul(&v, &ray.RAY)
}

// The §10 purchase: 5,000 USDC of cover for 100 USDC of premiums.
func TestQuoteCoverForPremiumsIsTheWorkedPurchase(t *testing.T) {
	m, t0 := quoteMarket(t)
	before := m.AppendCanonical(nil)
	premiums := usdc(100)
	q, err := m.QuoteCover(0, usdc(5_000), &premiums, nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, m.AppendCanonical(nil)) {
		t.Fatal("a quote changed the market")
	}
	want := map[string]string{"premiumRate": "5750000000000000000000000000", "secondsPerTick": "30052",
		"durationSeconds": "10969043", "premiums": "100000000", "dailyCost": "787671"}
	got := map[string]string{"premiumRate": q.PremiumRate.Dec(), "secondsPerTick": q.SecondsPerTick.Dec(),
		"durationSeconds": q.Duration.Dec(), "premiums": q.Premiums.Dec(), "dailyCost": q.DailyCost.Dec()}
	for k := range want {
		if got[k] != want[k] {
			t.Errorf("%s = %s, want %s (spec §10)", k, got[k], want[k])
		}
	}
	if q.Ticks != 365 {
		t.Errorf("ticks = %d, want 365", q.Ticks)
	}
	// Buying it registers exactly what was quoted.
	applyChecked(t, m, t0, OpenCover{Owner: "bob", Pool: 0, Amount: usdc(5_000), Premium: premiums})
	if cv := m.covers[0]; cv.LastTick != 1+365 || cv.BeginPremiumRate != q.PremiumRate {
		t.Errorf("bought cover: lastTick %d rate %s", cv.LastTick, cv.BeginPremiumRate.Dec())
	}
}

// For a duration, the quote is the least premiums whose cover lasts that
// long: checked against spec §5.1's duration formula computed with big.Int.
func TestQuoteCoverForDurationIsTheLeastPremiums(t *testing.T) {
	m, t0 := quoteMarket(t)
	amount := usdc(5_000)
	rate, _ := new(big.Int).SetString("5750000000000000000000000000", 10)
	duration := func(premiums *big.Int) *big.Int { // rayDiv(p·YEAR·100, rate) / amount
		num := new(big.Int).Mul(premiums, big.NewInt(31_536_000*100))
		num.Mul(num, new(big.Int).Exp(big.NewInt(10), big.NewInt(27), nil))
		num.Add(num, new(big.Int).Rsh(rate, 1))
		num.Quo(num, rate)
		return num.Quo(num, amount.ToBig())
	}
	for _, want := range []uint64{30052, 86_400, 10969043, 365 * 86_400} {
		q, err := m.QuoteCover(0, amount, nil, &want, t0)
		if err != nil {
			t.Fatalf("%d s: %v", want, err)
		}
		p := q.Premiums.ToBig()
		less := new(big.Int).Sub(p, big.NewInt(1))
		if duration(p).Uint64() < want || duration(less).Uint64() >= want {
			t.Errorf("%d s: premiums %s buy %s s; one less buys %s s", want, p, duration(p), duration(less))
		}
		if q.Duration.Uint64() != duration(p).Uint64() {
			t.Errorf("%d s: quoted duration %s, formula gives %s", want, q.Duration.Dec(), duration(p))
		}
	}
}

func TestQuoteCoverFailsAsOpenCoverWould(t *testing.T) {
	m, t0 := quoteMarket(t)
	one, day := ray.U64(1), uint64(86_400)
	for _, tc := range []struct {
		pool     int
		amount   Int
		premiums *Int
		duration *uint64
		code     Code
	}{
		{0, usdc(20_000), nil, &day, CodeInsufficientCapacity},
		{0, usdc(5_000), &one, nil, CodeDurationBelowOneTick},
		{7, usdc(5_000), nil, &day, CodePoolNotFound},
		{0, usdc(5_000), &one, &day, CodeInvalidArgument},
		{0, usdc(5_000), nil, nil, CodeInvalidArgument},
		{0, Int{}, nil, &day, CodeZeroAmount},
	} {
		if _, err := m.QuoteCover(tc.pool, tc.amount, tc.premiums, tc.duration, t0); CodeOf(err) != tc.code {
			t.Errorf("%+v: %v, want %s", tc, err, tc.code)
		}
	}
}

func TestRates(t *testing.T) {
	m, t0 := quoteMarket(t)
	premiums := usdc(100)
	applyChecked(t, m, t0, OpenCover{Owner: "bob", Pool: 0, Amount: usdc(5_000), Premium: premiums})
	r, err := m.PoolRates(0, t0)
	if err != nil {
		t.Fatal(err)
	}
	// U 50%, P 5.75%: LPs earn 2.875% a year, 2.5875% after the 10% fee.
	if r.RewardRate.Dec() != "2875000000000000000000000000" || r.NetRewardRate.Dec() != "2587500000000000000000000000" {
		t.Errorf("reward %s net %s", r.RewardRate.Dec(), r.NetRewardRate.Dec())
	}
	// The strategy index grows 5% over a year: a 5% strategy rate.
	index := ray.RAY
	index.Add(&index, ptr(*new(Int).Div(&ray.RAY, ptr(ray.U64(20)))))
	applyChecked(t, m, t0+Year, SetStrategyIndex{Strategy: 0, Index: index})
	if rate, err := m.strategies[0].StrategyRate(); err != nil || rate.Dec() != "5000000000000000000000000000" {
		t.Errorf("strategy rate %s, %v; want 5%%", rate.Dec(), err)
	}
	apy, err := m.PositionAPY(0, t0)
	if err != nil {
		t.Fatal(err)
	}
	if apy.Dec() != "7587500000000000000000000000" {
		t.Errorf("position APY %s, want 2.5875%% + 5%%", apy.Dec())
	}
}
