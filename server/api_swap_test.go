package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vpool/vpool/scenario"
	"github.com/vpool/vpool/store"
)

// seedSwap adds WETH and pair 0 (USDC/WETH) holding 1,000,000 of each
// from alice, through the API (the handler must run with Dev for mint).
func (ta *testAPI) seedSwap() {
	ta.t.Helper()
	ta.submit("admin", `{"op":"addAsset","args":{"symbol":"WETH","decimals":18}}`,
		`{"op":"createPair","args":{"tokenA":"USDC","tokenB":"WETH"}}`,
		`{"op":"mint","args":{"to":"alice","asset":"USDC","amount":"1000000"}}`,
		`{"op":"mint","args":{"to":"alice","asset":"WETH","amount":"1000000"}}`)
	ta.submit("alice", `{"op":"pairDeposit","args":{"tokenA":"USDC","tokenB":"WETH","amountA":"1000000","amountB":"1000000"}}`)
}

// addUser makes a user key for account name, sent as who = name.
func (ta *testAPI) addUser(name string) {
	ta.t.Helper()
	token, _, err := ta.n.Store().CreateKey(context.Background(), store.NewKey{Role: RoleUser, Account: name}, time.Unix(workedT0, 0))
	if err != nil {
		ta.t.Fatal(err)
	}
	ta.keys[name] = token
}

// manualClock reads the time a test sets.
type manualClock struct {
	mu sync.Mutex
	t  int64
}

func (c *manualClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return time.Unix(c.t, 0) }
func (c *manualClock) set(t int64)    { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// workedT0 is t0 of docs/swap.md §7 (block 141666700 at 12 s a block).
const workedT0 = 1_700_000_400

// swapStep is a command of the swap traffic the tests send: its time as
// seconds after workedT0, the key sending it, and the command.
type swapStep struct {
	after int64
	who   string
	body  string
}

// workedSteps are docs/swap.md §7's worked scenario as commands, then a
// native swap each way, exact in and exact out, and a best-route swap
// (the virtual pool C→A: there is no pair A/C).
var workedSteps = []swapStep{
	{0, "admin", `{"op":"addAsset","args":{"symbol":"A","decimals":0}}`},
	{0, "admin", `{"op":"addAsset","args":{"symbol":"B","decimals":0}}`},
	{0, "admin", `{"op":"addAsset","args":{"symbol":"C","decimals":0}}`},
	{0, "admin", `{"op":"setMarket","args":{"blockTime":12}}`},
	{0, "admin", `{"op":"setDefaultAllowList","args":{"tokens":["A","B","C"]}}`},
	{0, "admin", `{"op":"createPair","args":{"tokenA":"A","tokenB":"B"}}`},
	{0, "admin", `{"op":"createPair","args":{"tokenA":"B","tokenB":"C"}}`},
	{0, "admin", `{"op":"mint","args":{"to":"alice","asset":"A","amount":"10000"}}`},
	{0, "admin", `{"op":"mint","args":{"to":"alice","asset":"B","amount":"60000"}}`},
	{0, "admin", `{"op":"mint","args":{"to":"alice","asset":"C","amount":"5000"}}`},
	{0, "admin", `{"op":"mint","args":{"to":"bob","asset":"C","amount":"1000"}}`},
	{0, "admin", `{"op":"mint","args":{"to":"bob","asset":"B","amount":"10000"}}`},
	{0, "admin", `{"op":"mint","args":{"to":"carol","asset":"A","amount":"1000"}}`},
	{0, "admin", `{"op":"mint","args":{"to":"carol","asset":"B","amount":"5000"}}`},
	{0, "alice", `{"op":"pairDeposit","args":{"from":"alice","tokenA":"A","tokenB":"B","amountA":"10000","amountB":"40000"}}`},
	{0, "alice", `{"op":"pairDeposit","args":{"from":"alice","tokenA":"B","tokenB":"C","amountA":"20000","amountB":"5000"}}`},
	{0, "admin", `{"op":"quote","args":{"tokenIn":"B","tokenOut":"A","amountIn":"1000","route":{"native":0}}}`},
	{468, "bob", `{"op":"swapVirtual","args":{"from":"bob","jk":0,"ik":1,"amountIn":"300"}}`},
	{480, "bob", `{"op":"swapVirtual","args":{"from":"bob","jk":0,"ik":1,"amountIn":"300"}}`},
	{600, "carol", `{"op":"pairDeposit","args":{"from":"carol","tokenA":"A","tokenB":"B","amountA":"1000","amountB":"5000"}}`},
	{1080, "admin", `{"op":"maxVirtualIn","args":{"jk":0,"ik":1}}`},
	{1080, "bob", `{"op":"swapVirtual","args":{"from":"bob","jk":0,"ik":1,"amountIn":"137"}}`},
	{1200, "alice", `{"op":"pairWithdraw","args":{"from":"alice","tokenA":"A","tokenB":"B","shares":"9500"}}`},
	{1200, "bob", `{"op":"swapNative","args":{"from":"bob","path":["B","A"],"amountIn":"1000","minAmountOut":"1"}}`},
	{1200, "bob", `{"op":"swapNative","args":{"from":"bob","path":["A","B"],"amountOut":"100"}}`},
	{1200, "bob", `{"op":"swap","args":{"from":"bob","tokenIn":"C","tokenOut":"A","amountIn":"20"}}`},
}

// workedOutcomes are the results docs/swap.md §7 gives for its steps (by
// index into workedSteps); "!code" is a failure with that code.
var workedOutcomes = map[int]string{
	5:  `{"pair":0}`,
	6:  `{"pair":1}`,
	14: `{"pair":0,"amountA":"10000","amountB":"40000","shares":"19000"}`,
	15: `{"pair":1,"amountA":"20000","amountB":"5000","shares":"9000"}`,
	16: `{"route":{"native":0},"amountIn":"1000","amountOut":"243"}`,
	17: "!vpool_locked",
	18: `{"tokenIn":"C","tokenOut":"A","amountIn":"300","amountOut":"282","reserveRatio":"1543"}`,
	19: `{"pair":0,"amountA":"1000","amountB":"4116","shares":"2026"}`,
	20: `{"amountIn":"135"}`,
	21: "!reserve_ratio_exceeded",
	22: `{"amountA":"4622","amountB":"19027","reserves":{"C":"129"}}`,
}

// checkWorked compares outcomes with docs/swap.md §7's figures.
func checkWorked(t *testing.T, outs []Outcome) {
	t.Helper()
	for i, want := range workedOutcomes {
		o := outs[i]
		if code, failure := strings.CutPrefix(want, "!"); failure {
			if o.OK || string(o.Error) != code {
				t.Errorf("step %d (%s): ok=%v %s, want %s", i, o.Op, o.OK, o.Error, code)
			}
			continue
		}
		if !o.OK || !jsonEqual(o.Result, []byte(want)) {
			t.Errorf("step %d (%s): ok=%v %s %s, want %s", i, o.Op, o.OK, o.Error, o.Result, want)
		}
	}
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	ax, _ := json.Marshal(x)
	by, _ := json.Marshal(y)
	return bytes.Equal(ax, by)
}

// replayLog replays n's whole command log as a scenario file (each record
// a step at its stamped time, with its args as logged) and returns the
// replayer's lines: one per step, then the final line.
func replayLog(t *testing.T, n *Node) []scenario.Line {
	t.Helper()
	f := &scenario.File{}
	err := n.Store().Records(context.Background(), 0, 0, func(r store.Record) error {
		f.Steps = append(f.Steps, scenario.Step{At: r.At, Op: r.Op, Args: r.Args})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := scenario.ReplayEngines(f, &out, scenario.Options{}); err != nil {
		t.Fatal(err)
	}
	var lines []scenario.Line
	for _, raw := range bytes.Split(bytes.TrimSpace(out.Bytes()), []byte("\n")) {
		var l scenario.Line
		if err := json.Unmarshal(raw, &l); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, l)
	}
	return lines
}

// Swaps through HTTP, natively and virtually, give docs/swap.md §7's
// figures and exactly what the scenario replayer gives for the same
// steps; the reads show the state the replayer reaches.
func TestSwapOverHTTPMatchesTheReplayer(t *testing.T) {
	clock := &manualClock{t: workedT0}
	ta := newTestAPIClock(t, HandlerOptions{Dev: true}, clock.now)
	ta.addUser("carol")
	var outs []Outcome
	for _, s := range workedSteps {
		clock.set(workedT0 + s.after)
		var out Outcome
		ta.must(http.StatusOK, "POST", "/v1/commands", s.who, s.body, &out)
		outs = append(outs, out)
		if s.after == 0 && strings.Contains(s.body, `"route":{"native":0}`) {
			// The same quote as a read, priced by the router as of now.
			var q quoteAnswer
			ta.must(http.StatusOK, "POST", "/v1/swap/quote", "bob", `{"tokenIn":"B","tokenOut":"A","amountIn":"1000","route":{"native":0}}`, &q)
			if q.Best == nil || q.Best.AmountOut != "243" || len(q.Routes) != 1 {
				t.Errorf("quote read at t0: %+v", q)
			}
		}
	}
	checkWorked(t, outs)
	for i, o := range outs[len(outs)-3:] {
		if !o.OK {
			t.Errorf("swap %d after the worked steps failed: %s %s", i, o.Error, o.Message)
		}
	}

	lines := replayLog(t, ta.n)
	if len(lines) != len(outs)+1 {
		t.Fatalf("the replayer wrote %d lines for %d commands", len(lines), len(outs))
	}
	for i, o := range outs {
		l := lines[i]
		res, _ := json.Marshal(l.Result)
		if *l.OK != o.OK || l.Error != o.Error || l.At != o.At || o.OK && len(o.Result) > 0 && !jsonEqual(res, o.Result) {
			t.Errorf("step %d (%s): the server gives ok=%v %s %s at %d, the replayer ok=%v %s %s at %d",
				i, o.Op, o.OK, o.Error, o.Result, o.At, *l.OK, l.Error, res, l.At)
		}
	}
	final := lines[len(lines)-1]
	rec := ta.must(http.StatusOK, "GET", "/v1/state", "admin", "", nil)
	if got := rec.Header().Get("X-Vpool-State-Hash"); got != final.StateHash {
		t.Errorf("state hash %s, the replayer's %s", got, final.StateHash)
	}
	want, _ := json.Marshal(final.State)
	if !jsonEqual(rec.Body.Bytes(), want) {
		t.Errorf("GET /v1/state differs from the replayer's final state:\n%s\n%s", rec.Body, want)
	}

	var pairs SwapPairs
	ta.must(http.StatusOK, "GET", "/v1/swap/pairs", "bob", "", &pairs)
	if pairs.Block != final.State.SwapState.Block || len(pairs.Pairs) != 2 {
		t.Fatalf("pairs %+v", pairs)
	}
	for _, p := range pairs.Pairs {
		var one json.RawMessage
		ta.must(http.StatusOK, "GET", fmt.Sprintf("/v1/swap/pairs/%d", p.ID), "bob", "", &one)
		got, _ := json.Marshal(p)
		if want, _ := json.Marshal(final.State.Pairs[p.ID]); !jsonEqual(got, want) || !jsonEqual(one, want) {
			t.Errorf("pair %d: %s and %s, the replayer's %s", p.ID, got, one, want)
		}
	}
	var bob AccountInfo
	ta.must(http.StatusOK, "GET", "/v1/accounts/bob", "bob", "", &bob)
	if got, _ := json.Marshal(bob.Balances); !jsonEqual(got, mustJSON(final.State.Balances["bob"])) {
		t.Errorf("bob's balances %s, the replayer's %v", got, final.State.Balances["bob"])
	}
}

// checkSplit checks a quote's split: at least atLeast and every single
// route, and its legs adding up.
func checkSplit(t *testing.T, q quoteAnswer, atLeast uint64) {
	t.Helper()
	if q.Split == nil || len(q.Split.Legs) == 0 {
		t.Fatalf("no split: %+v", q)
	}
	total, _ := strconv.ParseUint(q.Split.AmountOut, 10, 64)
	var in, out uint64
	for _, leg := range q.Split.Legs {
		a, _ := strconv.ParseUint(leg.AmountIn, 10, 64)
		b, _ := strconv.ParseUint(leg.AmountOut, 10, 64)
		in, out = in+a, out+b
	}
	if out != total || strconv.FormatUint(in, 10) != q.Split.AmountIn || total < atLeast {
		t.Fatalf("split %+v", q.Split)
	}
	for _, r := range q.Routes {
		if single, _ := strconv.ParseUint(r.AmountOut, 10, 64); single > total {
			t.Fatalf("split %d pays less than %s (%d)", total, r.Route, single)
		}
	}
}

func mustJSON(v any) []byte { b, _ := json.Marshal(v); return b }

// quoteAnswer is SwapQuote as a client decodes it.
type quoteAnswer struct {
	Routes []quotedRoute
	Best   *quotedRoute
	Split  *struct {
		AmountIn, AmountOut string
		Legs                []quotedRoute
	}
}

type quotedRoute struct {
	Route               json.RawMessage
	Kind, Words         string
	AmountIn, AmountOut string
	FeePpm              uint64
	Error               string
}

// The quote read lists every candidate with its figures or its error,
// its best is what the swap op then executes, and its split what the
// swap op with split executes.
func TestSwapQuoteListsCandidatesAndTheBest(t *testing.T) {
	clock := &manualClock{t: workedT0}
	ta := newTestAPIClock(t, HandlerOptions{Dev: true}, clock.now)
	for _, s := range workedSteps[:16] {
		ta.submit(s.who, s.body)
	}
	ta.submit("admin", `{"op":"createPair","args":{"tokenA":"A","tokenB":"C"}}`,
		`{"op":"mint","args":{"to":"alice","asset":"A","amount":"2000"}}`,
		`{"op":"mint","args":{"to":"alice","asset":"C","amount":"2000"}}`)
	ta.submit("alice", `{"op":"pairDeposit","args":{"tokenA":"A","tokenB":"C","amountA":"2000","amountB":"2000"}}`)
	clock.set(workedT0 + 480)
	body := `{"tokenIn":"C","tokenOut":"A","amountIn":"300"}`
	var q quoteAnswer
	ta.must(http.StatusOK, "POST", "/v1/swap/quote", "bob", body, &q)
	// Candidates in the router's order: the native pair A/C (id 2), the
	// two-hop route through B (B/C = 1, then A/B = 0), then the virtual
	// pool jk A/B (0), ik B/C (1).
	want := []struct{ route, kind, words string }{
		{`{"native":2}`, "native", "C → A native (pair A–C)"},
		{`{"hops":[1,0]}`, "twoHop", "C → B → A two-hop (pairs B–C, A–B)"},
		{`{"jk":0,"ik":1}`, "virtual", "C → A virtual via B (active A–B, reference B–C)"},
	}
	if len(q.Routes) != len(want) {
		t.Fatalf("routes %+v", q.Routes)
	}
	for i, w := range want {
		if r := q.Routes[i]; string(r.Route) != w.route || r.Kind != w.kind || r.Words != w.words {
			t.Fatalf("route %d: %+v, want %+v", i, r, w)
		}
	}
	// The native pair 2000/2000: 300·997·2000 / (2000·1000 + 300·997) =
	// 260. Two hops: 300 C → 300·997·20000 / (5000·1000 + 300·997) = 1128
	// B → 1128·997·10000 / (40000·1000 + 1128·997) = 273 A, fee 1 −
	// 0.997² = 5991 ppm. The virtual pool prices 300 C at 282 A (docs/swap.md
	// §7 Ex 2).
	if q.Routes[0].AmountOut != "260" || q.Routes[1].AmountOut != "273" || q.Routes[1].FeePpm != 5991 || q.Routes[2].AmountOut != "282" {
		t.Fatalf("routes %+v", q.Routes)
	}
	if q.Best == nil || string(q.Best.Route) != `{"jk":0,"ik":1}` || q.Best.AmountOut != "282" {
		t.Fatalf("best %+v", q.Best)
	}
	checkSplit(t, q, 282)
	out := ta.submit("bob", `{"op":"swap","args":{"tokenIn":"C","tokenOut":"A","amountIn":"300"}}`)[0]
	if !jsonEqual(out.Result, []byte(`{"route":{"jk":0,"ik":1},"amountIn":"300","amountOut":"282"}`)) {
		t.Fatalf("swap %s", out.Result)
	}
	// The split as quoted now is what swap with split makes.
	ta.submit("admin", `{"op":"mint","args":{"to":"bob","asset":"C","amount":"600"}}`)
	body = `{"tokenIn":"C","tokenOut":"A","amountIn":"600"}`
	ta.must(http.StatusOK, "POST", "/v1/swap/quote", "bob", body, &q)
	checkSplit(t, q, 0)
	out = ta.submit("bob", `{"op":"swap","args":{"tokenIn":"C","tokenOut":"A","amountIn":"600","split":true}}`)[0]
	var made struct {
		AmountOut string
		Legs      []quotedRoute
	}
	if err := json.Unmarshal(out.Result, &made); err != nil || !out.OK || made.AmountOut != q.Split.AmountOut || len(made.Legs) != len(q.Split.Legs) {
		t.Fatalf("swap with split: %+v %s; quoted %+v", out, out.Result, q.Split)
	}
	for i, leg := range made.Legs {
		if quoted := q.Split.Legs[i]; string(leg.Route) != string(quoted.Route) || leg.AmountIn != quoted.AmountIn || leg.AmountOut != quoted.AmountOut {
			t.Fatalf("leg %d made %+v, quoted %+v", i, leg, quoted)
		}
	}
	// A route through a missing pair or an unknown token is 404, a bad
	// body 400, and no candidate left 422.
	for _, c := range []struct {
		body string
		code int
		err  string
	}{
		{`{"tokenIn":"C","tokenOut":"A","amountIn":"300","route":{"native":9}}`, 404, "pair_not_found"},
		{`{"tokenIn":"C","tokenOut":"A","amountIn":"300","amountOut":"1"}`, 400, "invalid_argument"},
		{`{"tokenIn":"C","tokenOut":"A","amountIn":"300","bogus":1}`, 400, "invalid_argument"},
		{`{"tokenIn":"C","tokenOut":"Z","amountIn":"300"}`, 404, "not_found"},
		{`{"tokenIn":"B","tokenOut":"A","amountOut":"20000"}`, 422, "no_route"},
	} {
		rec := ta.do("POST", "/v1/swap/quote", "bob", c.body)
		if rec.Code != c.code || errorCode(t, rec) != c.err {
			t.Errorf("%s: %d %s", c.body, rec.Code, rec.Body)
		}
	}
	if rec := ta.do("GET", "/v1/swap/pairs/7", "bob", ""); rec.Code != http.StatusNotFound || errorCode(t, rec) != "pair_not_found" {
		t.Errorf("missing pair: %d %s", rec.Code, rec.Body)
	}
}

// A user key trades only from its own account: another from (or caller)
// is 403 and nothing is logged; an omitted one is filled in.
func TestUsersSwapOnlyFromTheirAccount(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{Dev: true})
	ta.submit("admin", opAsset)
	ta.seedSwap()
	seq := ta.seq()
	for _, body := range []string{
		`{"op":"swap","args":{"from":"alice","tokenIn":"USDC","tokenOut":"WETH","amountIn":"10"}}`,
		`{"op":"swapNative","args":{"FROM":"alice","path":["USDC","WETH"],"amountIn":"10"}}`,
		`{"op":"pairWithdraw","args":{"from":"alice","tokenA":"USDC","tokenB":"WETH","shares":"1"}}`,
		`{"op":"exchangeReserves","args":{"caller":"alice","jk1":0,"ik1":0,"jk2":0,"ik2":0,"amount":"1"}}`,
		`{"op":"setPairClosed","args":{"pair":0,"closed":true}}`,
		`{"op":"liquidateReserve","args":{"pair":0,"token":"USDC","nativePair":0,"emergency":true}}`,
	} {
		if rec := ta.do("POST", "/v1/commands", "bob", body); rec.Code != http.StatusForbidden {
			t.Errorf("%s as bob: %d %s", body, rec.Code, rec.Body)
		}
	}
	if ta.seq() != seq {
		t.Fatalf("refused requests changed the seq")
	}
	ta.submit("admin", `{"op":"mint","args":{"to":"bob","asset":"USDC","amount":"1000"}}`)
	out := ta.submit("bob", `{"op":"swap","args":{"tokenIn":"USDC","tokenOut":"WETH","amountIn":"1000","to":"carol"}}`)[0]
	var res struct{ AmountOut string }
	json.Unmarshal(out.Result, &res)
	var bob, carol AccountInfo
	ta.must(http.StatusOK, "GET", "/v1/accounts/bob", "bob", "", &bob)
	ta.must(http.StatusOK, "GET", "/v1/accounts/carol", "admin", "", &carol)
	// 1000·997·10^6 / (10^6·1000 + 1000·997) = 996 (docs/swap.md §2.1).
	if res.AmountOut != "996" || bob.Balances["USDC"] != "" || carol.Balances["WETH"] != "996" {
		t.Fatalf("swap %s; bob %v, carol %v", out.Result, bob.Balances, carol.Balances)
	}
}
