package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// The market reads answer what the document says, computed by the engine.
func TestMarketReadsMatchTheDocument(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{Dev: true})
	ta.seed()
	doc := loadDoc(t, ta)
	check := func(route, method, path, body string, want int) []byte {
		t.Helper()
		rec := ta.do(method, path, "bob", body)
		if rec.Code != want {
			t.Fatalf("%s %s: %d, want %d: %s", method, path, rec.Code, want, rec.Body)
		}
		resp := get(doc, "paths", route, strings.ToLower(method), "responses", rec.Result().Status[:3]).(map[string]any)
		if r, ok := resp["$ref"].(string); ok {
			resp = resolve(doc, r)
		}
		s := get(resp, "content", "application/json", "schema").(map[string]any)
		if err := validate(doc, s, decodeNumbers(t, rec.Body.Bytes()), "answer"); err != nil {
			t.Errorf("%s %s: %v\n%s", method, path, err, rec.Body)
		}
		return rec.Body.Bytes()
	}
	var market MarketInfo
	json.Unmarshal(check("/v1/market", "GET", "/v1/market", "", 200), &market)
	if len(market.Pools) != 1 || len(market.Strategies) != 1 || market.Assets[0] != (AssetInfo{"USDC", 6}) || market.Seq != ta.seq() {
		t.Errorf("market %+v", market)
	}
	if market.Pools[0].Utilization != "50000000000000000000000000000" { // 5,000 of 10,000 covered
		t.Errorf("utilization %s", market.Pools[0].Utilization)
	}
	check("/v1/pools/{id}/curve", "GET", "/v1/pools/0/curve", "", 200)
	check("/v1/pools/{id}/curve", "GET", "/v1/pools/3/curve", "", 404)
	var line struct {
		Expiring []struct{ Amount string }
	}
	json.Unmarshal(check("/v1/pools/{id}/expiring", "GET", "/v1/pools/0/expiring?limit=5", "", 200), &line)
	if len(line.Expiring) != 1 || line.Expiring[0].Amount != "5000000000" {
		t.Errorf("expiring %+v", line)
	}
	check("/v1/pools/{id}/expiring", "GET", "/v1/pools/0/expiring?limit=0", "", 400)
	check("/v1/pools/{id}/history", "GET", "/v1/pools/0/history", "", 200)
	check("/v1/pools/{id}/history", "GET", "/v1/pools/1/history", "", 404)
	var q struct{ APY string }
	json.Unmarshal(check("/v1/quote/position", "POST", "/v1/quote/position", `{"pools":[0],"amount":"1000000000"}`, 200), &q)
	if q.APY == "" || q.APY == "0" {
		t.Errorf("quote %+v", q)
	}
	check("/v1/quote/position", "POST", "/v1/quote/position", `{"pools":[0,0],"amount":"1"}`, 422)
	check("/v1/quote/position", "POST", "/v1/quote/position", `{"pools":[0],"amount":"-1"}`, 400)
	check("/v1/quote/position", "POST", "/v1/quote/position", `{"pools":[0]}`, 400)
}

// The history is the log replayed: a point after each command that moved
// the pool, in order.
func TestPoolHistoryReplaysTheLog(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{Dev: true})
	ta.seed()
	var h PoolHistory
	ta.must(200, "GET", "/v1/pools/0/history", "alice", "", &h)
	// createPool (empty), alice's deposit (liquidity), bob's cover (utilization).
	if len(h.Points) != 3 || h.Points[1].TotalLiquidity != "10000000000" || h.Points[2].Utilization != "50000000000000000000000000000" {
		t.Fatalf("history %+v", h.Points)
	}
	// Live: a new cover is sampled without another request's help.
	ta.submit("bob", `{"op":"openCover","args":{"pool":0,"amount":"1000000000","premiums":"10000000"}}`)
	deadline := time.Now().Add(5 * time.Second)
	for len(h.Points) < 4 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		ta.must(200, "GET", "/v1/pools/0/history", "alice", "", &h)
	}
	if len(h.Points) != 4 || h.Points[3].CoveredCapital != "6000000000" || h.Points[3].Seq != ta.seq() {
		t.Fatalf("after a live cover: %+v", h.Points)
	}
}

func TestThinKeepsTheSpan(t *testing.T) {
	var s []HistoryPoint
	for i := range 7 {
		s = append(s, HistoryPoint{Seq: uint64(i)})
	}
	got := thin(s)
	if len(got) != 4 || got[0].Seq != 0 || got[1].Seq != 2 || got[2].Seq != 4 || got[3].Seq != 6 {
		t.Fatalf("thin: %+v", got)
	}
}

// The stream sends the market at once and again after a command.
func TestMarketStreamFollowsCommands(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{Dev: true})
	ta.seed()
	srv := httptest.NewServer(ta.h)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	lines := openStream(t, ctx, srv.URL+"/v1/market/stream", ta.keys["alice"], "").sc
	next := func() MarketInfo {
		t.Helper()
		for lines.Scan() {
			if data, ok := strings.CutPrefix(lines.Text(), "data: "); ok {
				var m MarketInfo
				if err := json.Unmarshal([]byte(data), &m); err != nil {
					t.Fatal(err)
				}
				return m
			}
		}
		t.Fatalf("stream ended: %v", lines.Err())
		return MarketInfo{}
	}
	first := next()
	if first.Seq != ta.seq() || len(first.Pools) != 1 {
		t.Fatalf("first event %+v", first)
	}
	ta.submit("bob", `{"op":"openCover","args":{"pool":0,"amount":"1000000000","premiums":"10000000"}}`)
	for m := next(); m.Seq != ta.seq(); m = next() {
	}
}

// The page and its files are served with a strict policy; nothing else is.
func TestDashboardIsServed(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{})
	rec := ta.must(200, "GET", "/", "", "", nil)
	if !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") || !strings.Contains(rec.Header().Get("Content-Security-Policy"), "script-src 'self'") {
		t.Fatalf("page headers %v", rec.Header())
	}
	rec = ta.must(200, "GET", "/ui/js/main.js", "", "", nil)
	if ct := rec.Header().Get("Content-Type"); !strings.Contains(ct, "javascript") || rec.Header().Get("ETag") == "" {
		t.Fatalf("script headers %v", rec.Header())
	}
	for _, path := range []string{"/ui/", "/ui/js/", "/ui/nope.js", "/index.html"} {
		if rec := ta.do("GET", path, "", ""); rec.Code != http.StatusNotFound {
			t.Errorf("%s: %d", path, rec.Code)
		}
	}
}
