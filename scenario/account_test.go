package scenario_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/vpool/vpool/failure"
	"github.com/vpool/vpool/scenario"
)

// accountArgs are the args that name an account, in any op.
var accountArgs = []string{"owner", "to", "as", "from", "caller"}

// Every account-naming arg of every op of both markets is checked with
// the rules of `vpool keys create --account` (issue 12, item 6).
func TestEveryAccountArgIsAValidName(t *testing.T) {
	bad := []string{`""`, `"bob\u0000"`, `"bob smith"`, `"a\nb"`, `"\u200b"`, `"` + strings.Repeat("x", 65) + `"`, `"\ud800"`}
	checked := 0
	for op, c := range completeArgs {
		var names map[string]json.RawMessage
		json.Unmarshal([]byte(c.args), &names)
		for _, name := range accountArgs {
			if _, ok := names[name]; !ok {
				continue
			}
			checked++
			for _, value := range bad {
				_, err := scenario.DecodeStep(op, withArg(t, c.args, name, &value))
				if failure.CodeOf(err) != failure.CodeInvalidArgument || !strings.Contains(err.Error(), name+":") {
					t.Errorf("%s with %s %s: %v, want invalid_argument naming %s", op, name, value, err, name)
				}
			}
			for _, good := range []string{`"alice"`, `"` + strings.Repeat("x", 64) + `"`, `"名前"`, `"lp-1.eth"`} {
				if _, err := scenario.DecodeStep(op, withArg(t, c.args, name, &good)); err != nil {
					t.Errorf("%s with %s %s: %v", op, name, good, err)
				}
			}
		}
	}
	if checked < 20 {
		t.Fatalf("only %d account args found in the op table", checked)
	}
}

func TestCheckAccount(t *testing.T) {
	for name, ok := range map[string]bool{
		"alice": true, "treasury": true, "lp_01": true, "ünïcødé": true, strings.Repeat("é", 32): true,
		"": false, " ": false, "a b": false, "a\tb": false, "a\x00": false, "\xff": false, "a\u00a0b": false,
		"a\u2028b": false, "\u202eevil": false, strings.Repeat("é", 33): false, strings.Repeat("a", 65): false,
	} {
		if err := scenario.CheckAccount(name); (err == nil) != ok {
			t.Errorf("CheckAccount(%q) = %v, want ok %v", name, err, ok)
		}
	}
}
