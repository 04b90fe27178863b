package cover

import (
	"testing"

	"github.com/vpool/vpool/ray"
)

// The worked values of docs/formulas.md §10. Every expected number below is
// copied from the spec's table (or, for the compensation ratio, worked by
// hand from the formula the table names); none was produced by running
// the engine.

// workedInt parses a decimal integer literal of the spec table.
func workedInt(t *testing.T, s string) Int {
	t.Helper()
	v, err := ray.ParseAmount(s)
	if err != nil {
		t.Fatalf("bad literal %q: %v", s, err)
	}
	return v
}

// workedPct parses a percent ("5.75") into its ray value.
func workedPct(t *testing.T, s string) Int {
	t.Helper()
	v, err := ray.ParsePercent(s)
	if err != nil {
		t.Fatalf("bad percent %q: %v", s, err)
	}
	return v
}

// workedFormula is the curve (80, 2, 6, 15) of the published examples.
func workedFormula(t *testing.T) Formula {
	return Formula{UOptimal: workedPct(t, "80"), R0: workedPct(t, "2"), RSlope1: workedPct(t, "6"), RSlope2: workedPct(t, "15")}
}

func workedCheck(t *testing.T, what string, c *ray.Calc, got Int, want string) {
	t.Helper()
	if c.Err != nil {
		t.Fatalf("%s: arithmetic error %v", what, c.Err)
	}
	if w := workedInt(t, want); !got.Eq(&w) {
		t.Errorf("%s = %s, want %s", what, got.Dec(), want)
	}
}

func TestWorkedPremiumRate(t *testing.T) {
	f := workedFormula(t)
	for _, tc := range []struct {
		name, u, want string
	}{
		{"P(40%)", "40", "5000000000000000000000000000"},
		{"P(90%)", "90", "15500000000000000000000000000"},
		{"P(120%) capped", "120", "23000000000000000000000000000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c ray.Calc
			workedCheck(t, tc.name, &c, f.PremiumRate(&c, workedPct(t, tc.u)), tc.want)
		})
	}
}

func TestWorkedUtilization(t *testing.T) {
	const want = "35000000000000000000000000000" // 35%, whatever the decimals
	for _, tc := range []struct {
		name               string
		covered, liquidity string
	}{
		{"0 decimals", "3500", "10000"},
		{"6 decimals", "3500000000", "10000000000"},
		{"8 decimals", "350000000000", "1000000000000"},
		{"18 decimals", "3500000000000000000000", "10000000000000000000000"},
		{"27 decimals", "3500000000000000000000000000000", "10000000000000000000000000000000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c ray.Calc
			workedCheck(t, "U", &c, Utilization(&c, workedInt(t, tc.covered), workedInt(t, tc.liquidity)), want)
		})
	}
}

func TestWorkedIndexAndRewards(t *testing.T) {
	var c ray.Calc
	delta := IndexDelta(&c, workedPct(t, "50"), workedPct(t, "8"), ray.U64(10*Day))
	workedCheck(t, "indexDelta(50%, 8%, 10 days)", &c, delta, "10958904109589041095890410959")
	// 10,000 USDC at 6 decimals, from index 0 to that delta.
	rewards := CoverRewards(&c, workedInt(t, "10000000000"), Int{}, delta)
	workedCheck(t, "rewards of 10,000 USDC", &c, rewards, "10958904")
}

func TestWorkedMinSecondsPerTick(t *testing.T) {
	f := workedFormula(t)
	var c ray.Calc
	// From 0% to 100% utilization at a pool's starting 86,400 s per tick:
	// spt' = rayDiv(rayMul(86400, P(0%) = 2%), P(100%) = 23%).
	l := workedInt(t, "10000000000")
	_, spt, u := f.marketMove(&c, ray.U64(MaxSecondsPerTick), l, Int{}, l, l)
	workedCheck(t, "U'", &c, u, "100000000000000000000000000000")
	workedCheck(t, "min seconds per tick", &c, spt, "7513")
}

// TestWorkedOpenCoverFormulas works the cover row of §10 with the curve
// helpers and register's duration formula (§5.1 step 3).
func TestWorkedOpenCoverFormulas(t *testing.T) {
	f := workedFormula(t)
	var c ray.Calc
	liquidity := workedInt(t, "10000000000") // 10,000 USDC
	amount := workedInt(t, "5000000000")     // 5,000 USDC
	premiums := workedInt(t, "100000000")    // 100 USDC
	rate, spt, u := f.marketMove(&c, ray.U64(MaxSecondsPerTick), liquidity, Int{}, liquidity, amount)
	workedCheck(t, "U'", &c, u, "50000000000000000000000000000")
	workedCheck(t, "P'", &c, rate, "5750000000000000000000000000")
	workedCheck(t, "spt'", &c, spt, "30052")
	duration := c.DivInt(c.Div(c.MulInt(c.MulInt(premiums, yearInt), hundred), rate), amount)
	workedCheck(t, "duration", &c, duration, "10969043")
	workedCheck(t, "ticks", &c, c.DivInt(duration, spt), "365")
}

// workedApply applies cmd at `at` and fails the test on error.
func workedApply(t *testing.T, m *Market, at uint64, cmd Command) any {
	t.Helper()
	res, err := m.Apply(at, cmd)
	if err != nil {
		t.Fatalf("%T at %d: %v", cmd, at, err)
	}
	return res
}

// workedMarket is a market with USDC (6 decimals), strategy 0 (no fees)
// and `pools` pools on the (80, 2, 6, 15) curve with no fee, every pool
// compatible with the earlier ones, created at t0.
func workedMarket(t *testing.T, t0 uint64, pools int) *Market {
	m := New()
	workedApply(t, m, t0, AddAsset{Symbol: "USDC", Decimals: 6})
	workedApply(t, m, t0, AddStrategy{Asset: "USDC"})
	for id := range pools {
		compat := make([]int, id)
		for i := range compat {
			compat[i] = i
		}
		workedApply(t, m, t0, CreatePool{PaymentAsset: "USDC", Strategy: 0, Formula: workedFormula(t), CompatiblePools: compat})
	}
	return m
}

func workedStr(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %s, want %s", what, got, want)
	}
}

// TestWorkedOpenCover drives the cover row of §10 through real commands:
// a 10,000 USDC pool at 0% utilization, a 5,000 USDC cover bought with
// 100 USDC of premiums, then the views right after.
func TestWorkedOpenCover(t *testing.T) {
	const t0 = 1_700_000_000
	m := workedMarket(t, t0, 1)
	workedApply(t, m, t0, Mint{To: "alice", Asset: "USDC", Amount: workedInt(t, "10000000000")})
	workedApply(t, m, t0, Mint{To: "bob", Asset: "USDC", Amount: workedInt(t, "100000000")})
	workedApply(t, m, t0+60, OpenPosition{Owner: "alice", Amount: workedInt(t, "10000000000"), Pools: []int{0}})
	res := workedApply(t, m, t0+120, OpenCover{Owner: "bob", Pool: 0, Amount: workedInt(t, "5000000000"), Premium: workedInt(t, "100000000")})
	if got, ok := res.(map[string]int); !ok || got["cover"] != 0 {
		t.Fatalf("openCover result %v, want cover 0", res)
	}

	// The cover's stored fields: (amount, beginPremiumRate = P', lastTick).
	cv := m.covers[0]
	workedStr(t, "stored amount", cv.Amount.Dec(), "5000000000")
	workedStr(t, "stored beginPremiumRate", cv.BeginPremiumRate.Dec(), "5750000000000000000000000000")
	if cv.LastTick != 366 {
		t.Errorf("stored lastTick = %d, want 366", cv.LastTick)
	}
	// 366 = tick 1 + 365 ticks of cover.
	if n := cv.LastTick - m.pools[0].Slot0.Tick; n != 365 {
		t.Errorf("cover spans %d ticks, want 365", n)
	}

	pv, err := m.PoolAt(0, t0+120)
	if err != nil {
		t.Fatal(err)
	}
	workedStr(t, "pool utilization", pv.Utilization, "50000000000000000000000000000")
	workedStr(t, "pool premiumRate", pv.PremiumRate, "5750000000000000000000000000")
	workedStr(t, "pool secondsPerTick", pv.SecondsPerTick, "30052")
	workedStr(t, "pool coveredCapital", pv.CoveredCapital, "5000000000")
	workedStr(t, "pool totalLiquidity", pv.TotalLiquidity, "10000000000")
	if pv.Tick != 1 {
		t.Errorf("pool tick = %d, want 1", pv.Tick)
	}

	info, err := m.CoverAt(0, t0+120)
	if err != nil {
		t.Fatal(err)
	}
	if !info.Active || info.LastTick != 366 {
		t.Errorf("cover view active=%v lastTick=%d, want active, 366", info.Active, info.LastTick)
	}
	workedStr(t, "premiumsLeft", info.PremiumsLeft, "99999421")
	workedStr(t, "dailyCost", info.DailyCost, "787671")
	workedStr(t, "cover premiumRate", info.PremiumRate, "5750000000000000000000000000")
}

// TestWorkedCompensation drives the compensation row of §10 through real
// commands: pool A holds 3,000 USDC of which 1,000 is shared with pool B,
// B holds 2,000; a 1,000 USDC claim in A is accepted.
func TestWorkedCompensation(t *testing.T) {
	const t0 = 1_700_000_000
	m := workedMarket(t, t0, 2) // pool 0 is A, pool 1 is B
	for _, mint := range []struct{ to, amount string }{
		{"alice", "2000000000"}, {"bob", "1000000000"}, {"carol", "1000000000"}, {"dave", "100000000"},
	} {
		workedApply(t, m, t0, Mint{To: mint.to, Asset: "USDC", Amount: workedInt(t, mint.amount)})
	}
	workedApply(t, m, t0+60, OpenPosition{Owner: "alice", Amount: workedInt(t, "2000000000"), Pools: []int{0}})
	workedApply(t, m, t0+60, OpenPosition{Owner: "bob", Amount: workedInt(t, "1000000000"), Pools: []int{0, 1}})
	workedApply(t, m, t0+60, OpenPosition{Owner: "carol", Amount: workedInt(t, "1000000000"), Pools: []int{1}})
	workedApply(t, m, t0+120, OpenCover{Owner: "dave", Pool: 0, Amount: workedInt(t, "1500000000"), Premium: workedInt(t, "60000000")})

	for id, want := range []string{"3000000000", "2000000000"} {
		pv, err := m.PoolAt(id, t0+120)
		if err != nil {
			t.Fatal(err)
		}
		workedStr(t, "liquidity before", pv.TotalLiquidity, want)
	}
	if shared := m.overlap(0, 1); shared.Dec() != "1000000000" {
		t.Fatalf("overlap(A, B) = %s, want 1000000000", shared.Dec())
	}

	workedApply(t, m, t0+3600, OpenClaim{As: "dave", Cover: 0, Amount: workedInt(t, "1000000000")})
	res := workedApply(t, m, t0+7200, ResolveClaim{Claim: 0, Accept: true})
	if got, ok := res.(map[string]int); !ok || got["compensation"] != 0 {
		t.Fatalf("resolveClaim result %v, want compensation 0", res)
	}

	// ratio = rayDiv(1000, 3000) = (10^30 + 1500) / 3000, floored.
	workedStr(t, "ratio", m.comps[0].Ratio.Dec(), "333333333333333333333333333")
	for id, want := range []string{"2000000000", "1666666667"} {
		pv, err := m.PoolAt(id, t0+7200)
		if err != nil {
			t.Fatal(err)
		}
		workedStr(t, "liquidity after", pv.TotalLiquidity, want)
		if len(pv.Compensations) != 1 || pv.Compensations[0] != 0 {
			t.Errorf("pool %d compensations = %v, want [0]", id, pv.Compensations)
		}
	}
}
