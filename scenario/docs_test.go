package scenario_test

import (
	"os"
	"regexp"
	"slices"
	"testing"

	"github.com/vpool/vpool/scenario"
)

// The op tables of docs/scenario.md (cover market) and docs/swap.md list
// every op with exactly the args the decoder requires and accepts.
func TestDocsListEveryOpsArgs(t *testing.T) {
	var doc []byte
	for _, page := range []string{"../docs/scenario.md", "../docs/swap.md"} {
		b, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		doc = append(doc, b...)
	}
	row := regexp.MustCompile("(?m)^\\| `(\\w+)` \\| ([^|]*) \\| ([^|]*) \\| [^|]* \\|$")
	names := func(cell string) []string {
		var out []string
		for _, m := range regexp.MustCompile("`(\\w+)`").FindAllStringSubmatch(cell, -1) {
			out = append(out, m[1])
		}
		return out
	}
	seen := map[string]bool{}
	for _, m := range row.FindAllStringSubmatch(string(doc), -1) {
		op := m[1]
		required, optional, ok := scenario.OpArgs(op)
		if !ok {
			continue // a row of another table
		}
		seen[op] = true
		if got := names(m[2]); !sameSet(got, required) {
			t.Errorf("%s: docs require %v, the decoder %v", op, got, required)
		}
		if got := names(m[3]); !sameSet(got, optional) {
			t.Errorf("%s: docs list %v as optional, the decoder %v", op, got, optional)
		}
	}
	for _, op := range append(scenario.Ops(), scenario.SwapOps()...) {
		if !seen[op] {
			t.Errorf("%s is missing from the op tables of docs/scenario.md and docs/swap.md", op)
		}
	}
}

func sameSet(a, b []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}
