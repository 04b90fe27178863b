package sim

import (
	"strings"
	"testing"
)

// TestParseRejects checks that each malformed file fails with an error
// naming the field at fault.
func TestParseRejects(t *testing.T) {
	cases := []struct{ name, from, to, want string }{
		{"unknown field", "horizonDays: 120", "horizonDays: 120\nhorizon: 3", "field horizon not found"},
		{"inexact percent", "yieldPerYear: 4%", "yieldPerYear: 4.x%", `"4.x%" is not an exact percent`},
		{"dist missing parameter", "{dist: uniform, min: 5000, max: 15000}", "{dist: uniform, min: 5000}", "dist uniform needs max"},
		{"dist extra parameter", "{dist: uniform, min: 5000, max: 15000}", "{dist: uniform, min: 5000, max: 15000, sigma: 1}", "dist uniform takes no sigma"},
		{"dist unknown kind", "{dist: uniform, min: 5000, max: 15000}", "{dist: pareto, min: 5000, max: 15000}", `dist "pareto" is not one of`},
		{"unknown pool in basket", "baskets: [[a, b]]", "baskets: [[a, c]]", `agents.lps[1].baskets[0]: pools: "c" is not a pool`},
		{"incompatible basket", "compatible: [b]", "compatible: []", `agents.lps[1].baskets[0]: pools "a" and "b" are not compatible`},
		{"uOptimal of 100%", "uOptimal: 80%, r0: 2%", "uOptimal: 100%, r0: 2%", "market.pools[0].curve needs 0% < uOptimal < 100%"},
		{"missing curve rate", "rSlope1: 5%, rSlope2: 50%}\n      compatible", "rSlope1: 5%}\n      compatible", "market.pools[0].curve needs uOptimal, r0, rSlope1 and rSlope2"},
		{"strategy unknown", "strategy: s\n      feeRate: 10%\n      curve: {uOptimal: 80%, r0: 2%, rSlope1: 5%, rSlope2: 50%}\n      compatible", "strategy: t\n      feeRate: 10%\n      curve: {uOptimal: 80%, r0: 2%, rSlope1: 5%, rSlope2: 50%}\n      compatible", `market.pools[0].strategy "t" is not a strategy`},
		{"probability above one", "renewalProbability: 0.5", "renewalProbability: 150%", "agents.buyers[0].renewalProbability must be between 0 and 1"},
		{"severity above one", "HACKS", "incidents:\n  pools:\n    - {pools: [a], probabilityPerYear: 1%, severity: 2}", "incidents.pools[0].severity value 2 is outside [0, 1]"},
		{"record period", "recordEveryDays: 10", "recordEveryDays: -3", "recordEveryDays is -3: it must be a multiple of stepDays (1)"},
		{"record beyond horizon", "recordEveryDays: 10", "recordEveryDays: 500", "recordEveryDays is 500: it must be a multiple of stepDays (1), at most horizonDays (120)"},
		{"horizon of zero days", "horizonDays: 120", "horizonDays: 0", "horizonDays is 0: it must be between 1 and 36500 (leave it out for 365)"},
		{"step of zero days", "horizonDays: 120", "horizonDays: 120\nstepDays: 0", "stepDays is 0: it must be between 1 and horizonDays (120)"},
		{"step longer than the horizon", "horizonDays: 120", "horizonDays: 120\nstepDays: 121", "stepDays is 121"},
		{"horizon not in whole steps", "horizonDays: 120", "horizonDays: 120\nstepDays: 7", "horizonDays (120) must be a whole number of steps of stepDays (7)"},
		{"warm-up not in whole steps", "warmupDays: 30\nrecordEveryDays: 10", "warmupDays: 30\nrecordEveryDays: 20\nstepDays: 4", "warmupDays (30) must be a whole number of steps of stepDays (4)"},
		{"days not a whole number", "horizonDays: 120", "horizonDays: 12.5", `"12.5" is not a whole number`},
		{"start market", "horizonDays: 120", "horizonDays: 120\nstartMarket: shared", `startMarket is "shared": it must be perPath or fixed`},
		{"loss threshold of zero", "HACKS", "tails: {lossThreshold: 0%}", "tails.lossThreshold must be above 0% and at most 100%"},
		{"loss threshold above 100%", "HACKS", "tails: {lossThreshold: 150%}", "tails.lossThreshold must be above 0% and at most 100%"},
		{"max leverage of zero", "market:\n", "market:\n  maxLeverage: 0\n", "market.maxLeverage must be at least 1"},
		{"asset without decimals", "market:\n", "market:\n  asset: {symbol: DAI}\n", "market.asset.decimals is missing"},
		{"asset without symbol", "market:\n", "market:\n  asset: {decimals: 18}\n", "market.asset.symbol is missing"},
		{"review every zero days", "deposit: 100000\n      baskets: [[a, b]]", "deposit: 100000\n      reviewEveryDays: 0\n      baskets: [[a, b]]", "agents.lps[1].reviewEveryDays must be at least 1"},
		{"duplicate key", "horizonDays: 120", "horizonDays: 120\nhorizonDays: 30", "already defined"},
		{"second document", "HACKS", "---\nname: again", "one YAML document expected"},
		{"sweep objective", "HACKS", "sweep: {objective: profit, grid: [{param: market.maxLeverage, values: [2]}]}", `sweep.objective "profit" is not one of`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(tinyMarket, tc.from) {
				t.Fatalf("fixture has no %q", tc.from)
			}
			_, err := Parse([]byte(strings.Replace(strings.Replace(tinyMarket, tc.from, tc.to, 1), "HACKS", "", 1)))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
	if _, err := Parse(nil); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty file: got %v", err)
	}
}

// TestParseDefaults checks the values a file may leave out.
func TestParseDefaults(t *testing.T) {
	c, err := Parse([]byte(strings.NewReplacer("horizonDays: 120\n", "", "recordEveryDays: 10\n", "", "HACKS", "").Replace(tinyMarket)))
	if err != nil {
		t.Fatal(err)
	}
	m := c.Market
	if c.HorizonDays.N != 365 || c.StepDays.N != 1 || c.RecordDays.N != 7 || m.WithdrawDelayDays.N != 14 || m.MaxLeverage.N != 12 ||
		m.LeverageFeePerPool.Int != percentOf("1.5").Int || m.Asset.Symbol != "USDC" || m.Asset.Decimals.N != 6 || c.Agents.LPs[0].ReviewEveryDays.N != 30 {
		t.Errorf("defaults: %+v", c)
	}
	if d := c.Agents.LPs[0].Deposit; d.Kind != "fixed" || d.A != 100000 {
		t.Errorf("a plain number is a fixed distribution: %+v", d)
	}
}

// TestParseKeepsExplicitValues: a value the file gives is kept even where
// it equals 0 or differs from the default, and a horizon shorter than the
// default record period records over the whole horizon.
func TestParseKeepsExplicitValues(t *testing.T) {
	file := strings.NewReplacer("horizonDays: 120\n", "horizonDays: 3\n", "recordEveryDays: 10\n", "", "warmupDays: 30\n", "",
		"market:\n", "market:\n  withdrawDelayDays: 0\n", "HACKS", "").Replace(tinyMarket)
	c, err := Parse([]byte(file))
	if err != nil {
		t.Fatal(err)
	}
	if c.HorizonDays.N != 3 || c.RecordDays.N != 3 || c.Market.WithdrawDelayDays.N != 0 || c.WarmupDays.N != 0 {
		t.Errorf("horizon %d, record every %d, withdraw delay %d, warm-up %d; want 3, 3, 0, 0",
			c.HorizonDays.N, c.RecordDays.N, c.Market.WithdrawDelayDays.N, c.WarmupDays.N)
	}
	c, err = Parse([]byte(strings.NewReplacer("horizonDays: 120\n", "horizonDays: 120\nstepDays: 4\n", "recordEveryDays: 10\n", "",
		"warmupDays: 30\n", "", "HACKS", "").Replace(tinyMarket)))
	if err != nil {
		t.Fatal(err)
	}
	if c.RecordDays.N != 4 {
		t.Errorf("steps of 4 days record every %d days, want 4 (the default week in whole steps)", c.RecordDays.N)
	}
}

// TestExamplesParse keeps the shipped examples valid.
func TestExamplesParse(t *testing.T) {
	for _, name := range []string{"small", "market10", "stress"} {
		c, err := Load("../examples/sim/" + name + ".yaml")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if c.Sweep == nil {
			t.Errorf("%s has no sweep section", name)
		}
	}
}
