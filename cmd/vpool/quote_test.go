package main

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/vpool/vpool/ray"
)

// The T11 vector ends with three pairs (A/B, B/C, A/C); C → A has the
// native route through pair 2 and the virtual pool (0, 1), whose reference
// pair was touched in the last block, so it is locked and dropped.
const quoteVector = "../../scenario/testdata/vectors/swap/doc-t11-exchange-mismatch.scenario.json"

func TestQuoteSwapLists(t *testing.T) {
	var out bytes.Buffer
	o := quoteSwapOptions{file: quoteVector, in: "C", out: "A", amountOut: "100", asJSON: true}
	if err := runQuoteSwap(&out, o, false); err != nil {
		t.Fatal(err)
	}
	if !json.Valid(out.Bytes()) {
		t.Fatalf("not JSON:\n%s", out.String())
	}
	s := out.String()
	for _, want := range []string{`"native": 2`, `"jk": 0`, `"error": "vpool_locked"`, `"amountOut": "100"`, `"kind": "virtual"`} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %s:\n%s", want, s)
		}
	}
	if !strings.Contains(s[strings.Index(s, `"best"`):], `"native": 2`) {
		t.Errorf("best is not the native route:\n%s", s)
	}
	if strings.Contains(s, `"split"`) {
		t.Errorf("an exact-out quote has a split:\n%s", s)
	}
}

func TestQuoteSwapTableAndLaterTime(t *testing.T) {
	var out bytes.Buffer
	// 40 blocks later the lock has expired: both routes are priced.
	o := quoteSwapOptions{file: quoteVector, in: "C", out: "A", amountIn: "100", at: 1700001876 + 12*40}
	if err := runQuoteSwap(&out, o, true); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if strings.Contains(s, "vpool_locked") || strings.Count(s, "<- best route") != 1 || strings.Count(s, "<- swap with split") != 1 {
		t.Errorf("want two priced routes, one best and the split:\n%s", s)
	}
	if err := runQuoteSwap(&out, quoteSwapOptions{file: quoteVector, in: "C", out: "A", amountIn: "100", at: 5}, true); err == nil {
		t.Error("a time before the last step is accepted")
	}
	if err := runQuoteSwap(&out, quoteSwapOptions{file: quoteVector, in: "Z", out: "A", amountIn: "100"}, false); err == nil {
		t.Error("an unknown token is accepted")
	}
}

// The table of examples/split.yaml: the routes in words, amounts with
// the tokens' decimals, fee and price impact, the best single route and
// the split with its legs (numbers of the file's final state, checked by
// the engine's tests: here the layout).
func TestQuoteSwapTableInWords(t *testing.T) {
	var out bytes.Buffer
	o := quoteSwapOptions{file: "../../examples/split.yaml", in: "C", out: "A", amountIn: "20000"}
	if err := runQuoteSwap(&out, o, false); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out.String(), "\n")
	for _, want := range []string{
		"C → A native (pair A–C)",
		"C → B → A two-hop (pairs B–C, A–B)",
		"C → A virtual via B (active A–B, reference B–C)",
		"SPLIT (2 legs)",
	} {
		if !slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, want+" ") }) {
			t.Errorf("no line starts with %q:\n%s", want, out.String())
		}
	}
	if !strings.Contains(out.String(), "20000 C") || !strings.Contains(out.String(), "0.59%") {
		t.Errorf("amounts or the two-hop fee (1 − 0.997² = 0.5991%%) missing:\n%s", out.String())
	}
}

func TestUnits(t *testing.T) {
	for _, c := range []struct {
		base     uint64
		decimals uint8
		want     string
	}{{1234567, 6, "1.234567"}, {5, 6, "0.000005"}, {0, 2, "0.00"}, {20000, 0, "20000"}, {1000000, 6, "1.000000"}} {
		a := ray.U64(c.base)
		if got := units(&a, c.decimals); got != c.want {
			t.Errorf("units(%d, %d) = %s, want %s", c.base, c.decimals, got, c.want)
		}
	}
	v := uint64(166298)
	if got := ppmPct(&v); got != "16.62%" {
		t.Errorf("ppmPct(166298) = %s", got)
	}
}
