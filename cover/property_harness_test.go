package cover

// The property-test harness: where choices come from, the harness that
// drives one Market, and the random market it starts from.

import (
	"fmt"
	"os"
	"strings"

	"pgregory.net/rapid"
)

// propDrawer is where the random choices come from: rapid in the property
// tests, the fuzz input in FuzzRandomOps. draw returns an int in [lo, hi].
type propDrawer interface {
	draw(lo, hi int, label string) int
}

type propRapid struct{ t *rapid.T }

func (d propRapid) draw(lo, hi int, label string) int {
	return rapid.IntRange(lo, hi).Draw(d.t, label)
}

// propFailer is what the harness needs of *testing.T and *rapid.T.
type propFailer interface {
	Helper()
	Fatalf(format string, args ...any)
	Logf(format string, args ...any)
}

var (
	propAccounts = []string{"alice", "bob", "carol", "dave"}
	propAssets   = []Asset{{"USDC", 6}, {"DAI", 18}}
)

const propStart uint64 = 1_700_000_000

// propHarness drives a Market with generated commands and checks every one.
type propHarness struct {
	t     propFailer
	d     propDrawer
	m     *Market
	now   uint64
	sane  bool // bounded arguments: no huge amounts, covers of bounded length
	trail []string
	stats *propStats
	// twin, when set, is an Exclusive market every command also goes to
	// (checkTwin).
	twin *Market
}

func newPropHarness(t propFailer, d propDrawer, stats *propStats, sane bool) *propHarness {
	if stats == nil {
		stats = newPropStats()
	}
	return &propHarness{t: t, d: d, m: New(), now: propStart, sane: sane, stats: stats}
}

func (h *propHarness) u(lo, hi int, label string) int { return h.d.draw(lo, hi, label) }

// chance is true one time in n. Draws shrink toward 0 (rapid) and an
// exhausted fuzz input reads 0, so 0 is always the ordinary path.
func (h *propHarness) chance(n int, label string) bool { return h.u(0, n-1, label) == n-1 }

func (h *propHarness) fatalf(format string, args ...any) {
	h.t.Helper()
	tail := h.trail
	if len(tail) > 40 && os.Getenv("VPOOL_TRAIL") == "" {
		tail = tail[len(tail)-40:]
	}
	h.t.Fatalf("%s\nlast commands:\n  %s", fmt.Sprintf(format, args...), strings.Join(tail, "\n  "))
}

// must applies a command that has to succeed.
func (h *propHarness) must(at uint64, cmd Command) any {
	h.t.Helper()
	res, err := h.apply(at, cmd)
	if err != nil {
		h.fatalf("%s must succeed: %v", describeCmd(cmd), err)
	}
	return res
}

// run sets the market up and applies n generated commands.
func (h *propHarness) run(n int) {
	h.t.Helper()
	h.setup()
	for range n {
		h.step()
	}
}

// setup configures a random market: the settings, both assets, 1-3
// strategies (compounding or not, with fees and deductibles), 2-5 pools
// with random curves and compatibilities, and funded accounts.
func (h *propHarness) setup() {
	at := h.now
	delay := []uint64{0, 3600, Day, 14 * Day}[h.u(0, 3, "withdrawDelay")]
	lev := h.u(2, 12, "maxLeverage")
	fee := propPct(h.u(0, 300, "leverageFee"), 2)
	h.must(at, SetMarket{WithdrawDelay: &delay, MaxLeverage: &lev, LeverageFeePerPool: &fee})
	for _, a := range propAssets {
		h.must(at, AddAsset(a))
	}
	for range h.u(1, 3, "strategies") {
		h.must(at, h.addStrategy(true))
	}
	for range h.u(2, 5, "pools") {
		h.must(at, h.createPool(true))
	}
	var pairs []CompatPair
	for a := range h.m.pools {
		for b := a + 1; b < len(h.m.pools); b++ {
			if !h.chance(4, "incompatible") {
				pairs = append(pairs, CompatPair{a, b, true})
			}
		}
	}
	h.must(at, SetCompatibility{pairs})
	for _, who := range propAccounts {
		for _, a := range propAssets {
			p := propPow10(h.fundExp(a.Symbol) + h.u(0, 1, "fund.e"))
			h.must(at, Mint{To: who, Asset: a.Symbol, Amount: p})
		}
	}
}

// fundExp is the order of magnitude of an account's funds. Sane markets
// stay far below two arithmetic limits of the spec: a pool of RAY base
// units or more makes a payout's ratio rayDiv(amount, L) too coarse (the
// pools lose up to L/(2·RAY) units more or less than is paid), and a cover
// with amount·beginRate·P above 365·2^256 overflows its cover info (see
// TestInvariantLargeCoverInfo).
func (h *propHarness) fundExp(asset string) int {
	if h.sane {
		return propDecimals(asset) + 6
	}
	return propDecimals(asset) + 11
}

func (h *propHarness) addStrategy(valid bool) AddStrategy {
	asset := propAssets[h.u(0, len(propAssets)-1, "strategy.asset")].Symbol
	if !valid && h.chance(3, "strategy.badAsset") {
		asset = "XYZ"
	}
	return AddStrategy{Asset: asset, Compounds: h.chance(2, "compounds"),
		FeeRate: h.feeRate("strategy.fee", 50, valid), PayoutDeductible: h.feeRate("deductible", 20, valid)}
}

func (h *propHarness) createPool(valid bool) CreatePool {
	var compat []int
	for id := range h.m.pools {
		if h.chance(2, "create.compat") {
			compat = append(compat, id)
		}
	}
	if !valid && h.chance(4, "create.badCompat") {
		compat = append(compat, len(h.m.pools)+h.u(0, 2, "create.badID"))
	}
	strat := h.u(0, max(0, len(h.m.strategies)-1), "create.strategy")
	if !valid && h.chance(8, "create.badStrategy") {
		strat = len(h.m.strategies)
	}
	payment := propAssets[h.u(0, len(propAssets)-1, "paymentAsset")].Symbol
	if strat < len(h.m.strategies) && !h.chance(5, "crossAsset") {
		payment = h.m.strategies[strat].Asset
	}
	return CreatePool{PaymentAsset: payment, Strategy: strat,
		FeeRate: h.feeRate("pool.fee", 30, valid), Formula: h.formula(valid || !h.chance(6, "formula.invalid")), CompatiblePools: compat}
}
