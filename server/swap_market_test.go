package server

import (
	"encoding/json"
	"net/http"
	"testing"
)

// The reads the dashboard's swap pages use, on docs/swap.md §7's worked
// scenario: the pairs and their prices in the market view, a preview of
// carol's deposit (Ex 3) that changes nothing and equals the deposit
// made, the virtual pool C → A with its MIN-formula balances (Ex 2), and
// a pair's history.
func TestSwapDashboardReads(t *testing.T) {
	clock := &manualClock{t: workedT0}
	ta := newTestAPIClock(t, HandlerOptions{Dev: true}, clock.now)
	ta.addUser("carol")
	for i, s := range workedSteps[:19] {
		if workedOutcomes[i] == "!vpool_locked" {
			continue
		}
		clock.set(workedT0 + s.after)
		ta.submit(s.who, s.body)
	}
	clock.set(workedT0 + 600)

	// Pair 0 after Ex 2: 9,718 A and 40,000 B; one whole A (decimals 0)
	// is quote(1, 9718, 40000) = 4 B, one B is 0 A.
	var market MarketInfo
	ta.must(http.StatusOK, "GET", "/v1/market", "carol", "", &market)
	if market.Swap == nil || len(market.Swap.Pairs) != 2 {
		t.Fatalf("market swap: %+v", market.Swap)
	}
	if p := market.Swap.Pairs[0]; p.Balance0 != "9718" || p.Price0 != "4" || p.Price1 != "0" || p.ReserveRatio != "1543" {
		t.Fatalf("pair 0: %+v", p)
	}

	// The preview of carol's deposit is Ex 3's result, and changes
	// nothing: the seq and the state hash stay.
	deposit := `{"op":"pairDeposit","args":{"tokenA":"A","tokenB":"B","amountA":"1000","amountB":"5000"}}`
	hash, seq := stateHash(ta.n)
	var preview struct {
		Op     string
		Result json.RawMessage
	}
	ta.must(http.StatusOK, "POST", "/v1/swap/preview", "carol", deposit, &preview)
	want := `{"pair":0,"amountA":"1000","amountB":"4116","shares":"2026"}`
	if preview.Op != "pairDeposit" || !jsonEqual(preview.Result, []byte(want)) {
		t.Fatalf("preview %s %s, want %s", preview.Op, preview.Result, want)
	}
	if h, s := stateHash(ta.n); h != hash || s != seq {
		t.Fatal("the preview changed the market")
	}
	if rec := ta.do("POST", "/v1/swap/preview", "carol", `{"op":"pairDeposit","args":{"from":"alice","tokenA":"A","tokenB":"B","amountA":"1","amountB":"1"}}`); rec.Code != http.StatusForbidden {
		t.Errorf("carol previews alice's deposit: %d %s", rec.Code, rec.Body)
	}
	if rec := ta.do("POST", "/v1/swap/preview", "carol", `{"op":"openCover","args":{"pool":0,"amount":"1","premiums":"1"}}`); rec.Code != http.StatusBadRequest {
		t.Errorf("a cover op previewed: %d %s", rec.Code, rec.Body)
	}
	if rec := ta.do("POST", "/v1/swap/preview", "carol", `{"op":"pairDeposit","args":{"tokenA":"A","tokenB":"B","amountA":"5000","amountB":"50000"}}`); rec.Code != http.StatusUnprocessableEntity || errorCode(t, rec) != "insufficient_balance" {
		t.Errorf("a deposit carol cannot pay: %d %s", rec.Code, rec.Body)
	}
	if out := ta.submit("carol", deposit)[0]; !jsonEqual(out.Result, []byte(want)) {
		t.Fatalf("deposit %s, previewed %s", out.Result, preview.Result)
	}

	// The virtual pool C → A, priced per whole C, after Ex 3 at block
	// 141666750: the cache of block 141666740 no longer applies, so the
	// MIN formula: m = min(20000, 44116) = 20000, v0 = 5000·20000/20000
	// = 5000, v1 = 10718·20000/44116 = 4859 (Ex 4).
	var vp struct {
		Native *struct{}
		Pools  []struct {
			Route                 json.RawMessage
			Via                   string
			BalanceIn, BalanceOut string
			VFee                  uint64
		}
	}
	ta.must(http.StatusOK, "GET", "/v1/swap/vpools?in=C&out=A", "bob", "", &vp)
	if vp.Native != nil || len(vp.Pools) != 1 || string(vp.Pools[0].Route) != `{"jk":0,"ik":1}` || vp.Pools[0].Via != "B" ||
		vp.Pools[0].BalanceIn != "5000" || vp.Pools[0].BalanceOut != "4859" || vp.Pools[0].VFee != 997 {
		t.Fatalf("virtual pools C → A: %+v", vp)
	}
	if rec := ta.do("GET", "/v1/swap/vpools?in=C", "bob", ""); rec.Code != http.StatusBadRequest {
		t.Errorf("vpools without out: %d", rec.Code)
	}

	// Pair 0's history: empty, then the first deposit, Ex 2's virtual swap
	// and Ex 3's deposit.
	var hist PairHistory
	ta.must(http.StatusOK, "GET", "/v1/swap/pairs/0/history", "bob", "", &hist)
	var balances []string
	for _, p := range hist.Points {
		balances = append(balances, p.Balance0+"/"+p.Balance1)
	}
	if got := balances; len(got) < 3 || got[len(got)-3] != "10000/40000" || got[len(got)-2] != "9718/40000" || got[len(got)-1] != "10718/44116" {
		t.Fatalf("pair 0 history: %v", got)
	}
	if rec := ta.do("GET", "/v1/swap/pairs/9/history", "bob", ""); rec.Code != http.StatusNotFound {
		t.Errorf("history of a missing pair: %d", rec.Code)
	}
}
