package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestCommandsAreParsedStrictlyAndRefusedWhole(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{Dev: true, MaxCommands: 5, MaxBodyBytes: 4096})
	ta.seed()
	const twoTo256 = "115792089237316195423570985008687907853269984665640564039457584007913129639936"
	cover := func(amount string) string {
		return `{"op":"openCover","args":{"pool":0,"amount":` + amount + `,"premiums":"1000000"}}`
	}
	cases := []struct {
		name, who, body string
		status          int
		code            string
	}{
		{"empty body", "admin", "", 400, "invalid_argument"},
		{"not JSON", "admin", "op=check", 400, "invalid_argument"},
		{"empty array", "admin", "[]", 400, "invalid_argument"},
		{"trailing data", "admin", `{"op":"check"} {"op":"check"}`, 400, "invalid_argument"},
		{"unknown field in a command", "admin", `{"op":"check","args":{},"at":1700000000}`, 400, "invalid_argument"},
		{"unknown op", "admin", `{"op":"transfer","args":{}}`, 400, "invalid_argument"},
		{"op of the wrong type", "admin", `{"op":7}`, 400, "invalid_argument"},
		{"args not an object", "admin", `{"op":"check","args":[]}`, 400, "invalid_argument"},
		{"unknown arg", "bob", `{"op":"openCover","args":{"pool":0,"amount":"1","premiums":"1","discount":"5"}}`, 400, "invalid_argument"},
		{"amount of the wrong type", "bob", cover("true"), 400, "invalid_argument"},
		{"pool of the wrong type", "bob", `{"op":"openCover","args":{"pool":"zero","amount":"1","premiums":"1"}}`, 400, "invalid_argument"},
		{"negative amount string", "bob", cover(`"-1"`), 400, "invalid_argument"},
		{"negative amount number", "bob", cover(`-1`), 400, "invalid_argument"},
		{"fractional amount", "bob", cover(`"1.5"`), 400, "invalid_argument"},
		{"exponent amount", "bob", cover(`"1e6"`), 400, "invalid_argument"},
		{"hex amount", "bob", cover(`"0x10"`), 400, "invalid_argument"},
		{"amount of 2^256", "bob", cover(`"` + twoTo256 + `"`), 400, "invalid_argument"},
		{"number amount above 2^53", "bob", cover(`9007199254740993`), 400, "invalid_argument"},
		{"inexact percent", "admin", `{"op":"addStrategy","args":{"asset":"USDC","feeRate":"0.0000000000000000000000000001"}}`, 400, "invalid_argument"},
		{"owner of the wrong type", "bob", `{"op":"openCover","args":{"owner":5,"pool":0,"amount":"1","premiums":"1"}}`, 400, "invalid_argument"},
		{"a good command then a bad one", "admin", `[{"op":"check"},{"op":"purge","args":{"pool":"0"}}]`, 400, "invalid_argument"},
		{"a good command then a forbidden one", "admin", `[{"op":"check"},{"op":"resolveClaim","args":{"claim":0,"accept":true}}]`, 403, "forbidden"},
		{"too many commands", "admin", "[" + strings.Repeat(`{"op":"check"},`, 5) + `{"op":"check"}]`, 400, "invalid_argument"},
		{"body too large", "admin", `{"op":"check","args":{}}` + strings.Repeat(" ", 5000), 413, "body_too_large"},
	}
	seq := ta.seq()
	for _, c := range cases {
		rec := ta.do("POST", "/v1/commands", c.who, c.body)
		if rec.Code != c.status || errorCode(t, rec) != c.code {
			t.Errorf("%s: %d %s, want %d %s", c.name, rec.Code, rec.Body, c.status, c.code)
		}
		if got := ta.seq(); got != seq {
			t.Fatalf("%s: the seq moved from %d to %d", c.name, seq, got)
		}
	}
	// The batch refusal names the command at fault.
	rec := ta.do("POST", "/v1/commands", "admin", `[{"op":"check"},{"op":"purge","args":{"pool":"0"}}]`)
	if !strings.Contains(rec.Body.String(), "commands[1]") {
		t.Errorf("batch error does not name the command: %s", rec.Body)
	}
}

func TestEngineFailuresAreOutcomesNotHTTPErrors(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{Dev: true})
	ta.seed()
	var outs []Outcome
	ta.must(http.StatusOK, "POST", "/v1/commands", "bob", `[
		{"op":"openCover","args":{"pool":0,"amount":"0","premiums":"1"}},
		{"op":"openCover","args":{"pool":7,"amount":"1","premiums":"1"}},
		{"op":"openCover","args":{"pool":0,"amount":"1000000","premiums":"1000000"}}]`, &outs)
	if len(outs) != 3 || outs[0].OK || outs[0].Error != "zero_amount" || outs[1].Error != "pool_not_found" || !outs[2].OK {
		t.Fatalf("outcomes %+v", outs)
	}
	if outs[1].Seq != outs[0].Seq+1 || outs[2].Seq != outs[1].Seq+1 || outs[0].At == 0 {
		t.Fatalf("seqs and times %+v", outs)
	}
	// A single command gives a single outcome object.
	rec := ta.must(http.StatusOK, "POST", "/v1/commands", "admin", `{"op":"check"}`, nil)
	var one map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &one); err != nil || one["ok"] != true || one["seq"] != float64(outs[2].Seq+1) {
		t.Fatalf("single outcome %s (%v)", rec.Body, err)
	}
	for _, field := range []string{"seq", "at", "ok", "op"} {
		if _, ok := one[field]; !ok {
			t.Errorf("outcome without %s: %s", field, rec.Body)
		}
	}
}

func TestConcurrentRequestsGetDistinctDurableSeqs(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{Dev: true})
	ta.submit("admin", opAsset)
	const clients, each = 8, 10
	seqs := make(chan uint64, clients*each)
	errs := make(chan error, clients)
	for c := range clients {
		go func() {
			for i := range each {
				var out Outcome
				rec := ta.do("POST", "/v1/commands", "admin", fmt.Sprintf(`{"op":"mint","args":{"to":"u%d","asset":"USDC","amount":"%d"}}`, c, i+1))
				if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &out) != nil || !out.OK {
					errs <- fmt.Errorf("client %d: %d %s", c, rec.Code, rec.Body)
					return
				}
				seqs <- out.Seq
			}
			errs <- nil
		}()
	}
	for range clients {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	close(seqs)
	seen := map[uint64]bool{}
	for s := range seqs {
		if seen[s] || s < 2 || s > 1+clients*each {
			t.Fatalf("seq %d repeated or out of range", s)
		}
		seen[s] = true
	}
}
