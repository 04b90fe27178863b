package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
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
	for _, want := range []string{`"native": 2`, `"jk": 0`, `"error": "vpool_locked"`, `"amountOut": "100"`} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %s:\n%s", want, s)
		}
	}
	if !strings.Contains(s[strings.Index(s, `"chosen"`):], `"native": 2`) {
		t.Errorf("chosen is not the native route:\n%s", s)
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
	if strings.Contains(s, "vpool_locked") || strings.Count(s, "<- chosen") != 1 {
		t.Errorf("want two priced routes and one chosen:\n%s", s)
	}
	if err := runQuoteSwap(&out, quoteSwapOptions{file: quoteVector, in: "C", out: "A", amountIn: "100", at: 5}, true); err == nil {
		t.Error("a time before the last step is accepted")
	}
	if err := runQuoteSwap(&out, quoteSwapOptions{file: quoteVector, in: "Z", out: "A", amountIn: "100"}, false); err == nil {
		t.Error("an unknown token is accepted")
	}
}
