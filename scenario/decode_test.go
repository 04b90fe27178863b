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
