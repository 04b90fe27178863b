package cover

// Helpers for the hand-built markets of the example tests (claims,
// refresh, the findings and the worked compensation).

import (
	"testing"

	"github.com/vpool/vpool/ray"
)

// specCurve is the premium curve (80, 2, 6, 15) of spec §10.
func specCurve() Formula {
	return Formula{UOptimal: propPct(80, 0), R0: propPct(2, 0), RSlope1: propPct(6, 0), RSlope2: propPct(15, 0)}
}

// usdc is n USDC in base units (6 decimals).
func usdc(n uint64) Int { return ray.U64(n * 1_000_000) }

// applyChecked applies cmd at `at` and fails the test if the command fails
// or leaves an invariant broken.
func applyChecked(t *testing.T, m *Market, at uint64, cmd Command) any {
	t.Helper()
	res, err := m.Apply(at, cmd)
	if err != nil {
		t.Fatalf("%s: %v", describeCmd(cmd), err)
	}
	if err := checkInvariants(m); err != nil {
		t.Fatalf("after %s: %v", describeCmd(cmd), err)
	}
	return res
}

// usdcMarket is spec §10's pool at t0: USDC (6 decimals), one strategy, a
// pool on specCurve with the given fee, and alice's 10,000 USDC position
// in it; then the extra commands.
func usdcMarket(t *testing.T, fee Int, extra ...Command) (*Market, uint64) {
	t.Helper()
	m := New()
	const t0 = 1_700_000_000
	setup := []Command{
		AddAsset{Symbol: "USDC", Decimals: 6},
		AddStrategy{Asset: "USDC"},
		Mint{To: "alice", Asset: "USDC", Amount: usdc(10_000)},
		CreatePool{PaymentAsset: "USDC", FeeRate: fee, Formula: specCurve()},
		OpenPosition{Owner: "alice", Amount: usdc(10_000), Pools: []int{0}},
	}
	for _, cmd := range append(setup, extra...) {
		applyChecked(t, m, t0, cmd)
	}
	return m, t0
}
