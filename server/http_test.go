package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/store"
)

// testAPI is a node in a temporary directory, its handler, and keys for
// each role: admin, arbiter, and the users alice and bob.
type testAPI struct {
	t    testing.TB
	n    *Node
	h    http.Handler
	keys map[string]string
}

func newTestAPI(t testing.TB, opt HandlerOptions) *testAPI {
	t.Helper()
	return newTestAPIClock(t, opt, fixedClock(1_700_000_000))
}

// newTestAPIClock is newTestAPI on the given clock.
func newTestAPIClock(t testing.TB, opt HandlerOptions, clock func() time.Time) *testAPI {
	t.Helper()
	return newTestAPINode(t, opt, Options{Store: t.TempDir(), Clock: clock})
}

// newTestAPINode is newTestAPI on a node opened with nopt.
func newTestAPINode(t testing.TB, opt HandlerOptions, nopt Options) *testAPI {
	t.Helper()
	met := NewMetrics()
	nopt.OnCommit = met.OnCommit
	n, err := Open(context.Background(), nopt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	opt.Metrics = met
	ta := &testAPI{t: t, n: n, h: NewHandler(n, opt), keys: map[string]string{}}
	for _, k := range []struct{ name, role, account string }{
		{"admin", RoleAdmin, ""}, {"arbiter", RoleArbiter, ""}, {"alice", RoleUser, "alice"}, {"bob", RoleUser, "bob"},
	} {
		token, _, err := n.Store().CreateKey(context.Background(), store.NewKey{Role: k.role, Account: k.account}, time.Unix(1_700_000_000, 0))
		if err != nil {
			t.Fatal(err)
		}
		ta.keys[k.name] = token
	}
	return ta
}

// do sends a request to the handler as who ("" for no key; a value that
// is not a key name is sent as the token itself).
func (ta *testAPI) do(method, path, who, body string) *httptest.ResponseRecorder {
	return ta.doCtx(context.Background(), method, path, who, body)
}

func (ta *testAPI) doCtx(ctx context.Context, method, path, who, body string) *httptest.ResponseRecorder {
	ta.t.Helper()
	req := httptest.NewRequestWithContext(ctx, method, path, strings.NewReader(body))
	if who != "" {
		token, ok := ta.keys[who]
		if !ok {
			token = who
		}
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	ta.h.ServeHTTP(rec, req)
	return rec
}

// must sends a request and fails the test unless it answers want; it
// decodes the JSON answer into out (when not nil).
func (ta *testAPI) must(want int, method, path, who, body string, out any) *httptest.ResponseRecorder {
	ta.t.Helper()
	rec := ta.do(method, path, who, body)
	if rec.Code != want {
		ta.t.Fatalf("%s %s as %q: status %d, want %d: %s", method, path, who, rec.Code, want, rec.Body)
	}
	if out != nil {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			ta.t.Fatalf("%s %s: %v in %s", method, path, err, rec.Body)
		}
	}
	return rec
}

// submit posts commands as who and fails unless every one is ok.
func (ta *testAPI) submit(who string, cmds ...string) []Outcome {
	ta.t.Helper()
	var outs []Outcome
	ta.must(http.StatusOK, "POST", "/v1/commands", who, "["+strings.Join(cmds, ",")+"]", &outs)
	for _, o := range outs {
		if !o.OK {
			ta.t.Fatalf("%s as %s: %s %s", o.Op, who, o.Error, o.Message)
		}
	}
	return outs
}

func (ta *testAPI) seq() uint64 {
	var seq uint64
	ta.n.Read(func(_ *cover.Market, _ uint64, s uint64) { seq = s })
	return seq
}

// The worked market of docs/formulas.md §10: 10,000 USDC in a pool with the
// formula (80, 2, 6, 15) and a 10% fee.
const (
	opAsset    = `{"op":"addAsset","args":{"symbol":"USDC","decimals":6}}`
	opStrategy = `{"op":"addStrategy","args":{"asset":"USDC","compounds":false,"feeRate":"0","payoutDeductible":"0"}}`
	opPool     = `{"op":"createPool","args":{"paymentAsset":"USDC","strategy":0,"feeRate":"10","uOptimal":"80","r0":"2","rSlope1":"6","rSlope2":"15","compatiblePools":[]}}`
)

// seed builds the §10 market through the API: pool 0 with alice's
// position 0 of 10,000 USDC, bob's cover 0 of 5,000 for 100 USDC of
// premiums, and bob's open claim 0 of 1,000.
func (ta *testAPI) seed() {
	ta.t.Helper()
	ta.submit("admin", opAsset, opStrategy, opPool,
		`{"op":"mint","args":{"to":"alice","asset":"USDC","amount":"10000000000"}}`,
		`{"op":"mint","args":{"to":"bob","asset":"USDC","amount":"1000000000"}}`)
	ta.submit("alice", `{"op":"openPosition","args":{"amount":"10000000000","pools":[0]}}`)
	ta.submit("bob", `{"op":"openCover","args":{"pool":0,"amount":"5000000000","premiums":"100000000"}}`,
		`{"op":"openClaim","args":{"cover":0,"amount":"1000000000"}}`)
}

func errorCode(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var e errorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error == "" || e.Message == "" {
		t.Fatalf("not a JSON error {error, message}: %q (%v)", rec.Body, err)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("error content type %q", ct)
	}
	return e.Error
}

func TestUnknownRoutesAndMethodsAreJSONErrors(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{})
	rec := ta.do("GET", "/v1/nothing", "admin", "")
	if rec.Code != http.StatusNotFound || errorCode(t, rec) != codeNotFound {
		t.Fatalf("unknown route: %d %s", rec.Code, rec.Body)
	}
	rec = ta.do("DELETE", "/v1/pools", "admin", "")
	if rec.Code != http.StatusMethodNotAllowed || errorCode(t, rec) != codeMethodNotAllowed || rec.Header().Get("Allow") == "" {
		t.Fatalf("wrong method: %d %s %v", rec.Code, rec.Body, rec.Header())
	}
}

func TestClosedNodeIsUnavailable(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{})
	ta.must(http.StatusOK, "GET", "/readyz", "", "", nil)
	ta.n.Close()
	ta.must(http.StatusOK, "GET", "/healthz", "", "", nil)
	for _, r := range []struct{ method, path, body string }{
		{"GET", "/readyz", ""}, {"GET", "/v1/pools", ""}, {"POST", "/v1/commands", `{"op":"check"}`},
	} {
		rec := ta.do(r.method, r.path, "admin", r.body)
		if rec.Code != http.StatusServiceUnavailable || errorCode(t, rec) != codeUnavailable {
			t.Errorf("%s %s on a closed node: %d %s", r.method, r.path, rec.Code, rec.Body)
		}
	}
}

func TestHandlerPanicIsA500(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{})
	a := &api{log: ta.n.log, metrics: NewMetrics(), mux: http.NewServeMux()}
	a.mux.HandleFunc("GET /boom", func(http.ResponseWriter, *http.Request) { panic("boom") })
	rec := httptest.NewRecorder()
	a.serve(rec, httptest.NewRequest("GET", "/boom", nil))
	if rec.Code != http.StatusInternalServerError || errorCode(t, rec) != codeInternal {
		t.Fatalf("panic: %d %s", rec.Code, rec.Body)
	}
}

func TestFailedNodeIsNotReady(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{})
	ta.n.fail(io.ErrShortWrite) // as the writer records a storage failure
	for _, path := range []string{"/readyz", "/v1/pools", "/v1/whoami"} {
		if rec := ta.do("GET", path, "admin", ""); rec.Code != http.StatusServiceUnavailable {
			t.Errorf("%s on a failed node: %d", path, rec.Code)
		}
	}
	ta.must(http.StatusOK, "GET", "/healthz", "", "", nil)
}
