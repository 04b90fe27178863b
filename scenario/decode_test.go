package scenario

import (
	"testing"

	"github.com/vpool/vpool/cover"
)

func TestDecodeRejectsBadArgs(t *testing.T) {
	for _, tc := range []struct{ op, args string }{
		{"addLiquidity", `{}}`},
		{"addLiquidity", `{}]`},
		{"addLiquidity", `{} {}`},
		{"addLiquidity", `{"position": 0, "amount": "1", "bogus": 1}`},
		{"addLiquidity", `{"amount": -1}`},
		{"addLiquidity", `{"amount": "1e3"}`},
		{"addLiquidity", `{"amount": 9007199254740992}`},
		{"openCover", `{"owner": "a", "amount": "115792089237316195423570985008687907853269984665640564039457584007913129639936"}`},
		{"createPool", `{"r0": "1.0000000000000000000000000001"}`},
		{"nope", `{}`},
	} {
		_, err := Decode(tc.op, []byte(tc.args))
		if cover.CodeOf(err) != cover.CodeInvalidArgument {
			t.Errorf("%s %s: %v, want invalid_argument", tc.op, tc.args, err)
		}
	}
}

func TestDecodeAcceptsNumbersBelow2To53(t *testing.T) {
	cmd, err := Decode("addLiquidity", []byte(`{"position": 3, "amount": 9007199254740991}`))
	if err != nil {
		t.Fatal(err)
	}
	add := cmd.(cover.AddLiquidity)
	if add.Position != 3 || add.Amount.Uint64() != 1<<53-1 {
		t.Fatalf("decoded %+v", add)
	}
}

// A strategy may carry a name, in the strategies section and in
// addStrategy; a bad one fails the step with invalid_argument.
func TestStrategiesTakeAnOptionalName(t *testing.T) {
	f, err := Parse([]byte(`
assets: [{symbol: USDC, decimals: 6}]
strategies: [{name: "Aave USDC", asset: USDC, compounds: false, feeRate: "0", payoutDeductible: "0"}]
steps:
  - {at: 1700000000, op: addStrategy, args: {name: "Compound USDC", asset: USDC, compounds: true, feeRate: "5", payoutDeductible: "0"}}
  - {at: 1700000000, op: addStrategy, args: {asset: USDC, compounds: true, feeRate: "5", payoutDeductible: "0"}}
  - {at: 1700000000, op: addStrategy, args: {name: "a\tb", asset: USDC, compounds: true, feeRate: "5", payoutDeductible: "0"}}
`))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Setup(f)
	if err != nil {
		t.Fatal(err)
	}
	var prev uint64
	var errs []error
	for _, s := range f.Steps {
		_, err := ApplyStep(m, s, prev)
		errs = append(errs, err)
	}
	if errs[0] != nil || errs[1] != nil || cover.CodeOf(errs[2]) != cover.CodeInvalidArgument {
		t.Fatalf("step errors %v: want two strategies added and the tab refused", errs)
	}
	for id, want := range []string{"Aave USDC", "Compound USDC", ""} {
		if v, err := m.StrategyAt(id); err != nil || v.Name != want {
			t.Errorf("strategy %d: %+v, %v; want the name %q", id, v, err, want)
		}
	}
}
