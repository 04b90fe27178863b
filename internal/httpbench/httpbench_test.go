package httpbench

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vpool/vpool/server"
	"github.com/vpool/vpool/store"
)

// testServer runs the real API on a loopback port over a node in a
// temporary directory; it returns the node, to create keys with.
func testServer(t *testing.T) (*server.Node, *httptest.Server) {
	return testServerWrapped(t, func(h http.Handler) http.Handler { return h })
}

// testServerWrapped is testServer with the API's handler wrapped.
func testServerWrapped(t *testing.T, wrap func(http.Handler) http.Handler) (*server.Node, *httptest.Server) {
	t.Helper()
	n, err := server.Open(context.Background(), server.Options{Store: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(wrap(server.NewHandler(n, server.HandlerOptions{Dev: true})))
	srv.Listener.Close()
	if srv.Listener, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	srv.Start()
	t.Cleanup(func() {
		srv.Close()
		n.Close()
	})
	return n, srv
}

func testKey(t *testing.T, n *server.Node, role, account string) string {
	t.Helper()
	token, _, err := n.Store().CreateKey(context.Background(), store.NewKey{Role: role, Account: account}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return token
}

func testMarket(t *testing.T, users int) (*server.Node, *Client, *Market) {
	t.Helper()
	return testMarketWrapped(t, users, func(h http.Handler) http.Handler { return h })
}

func testMarketWrapped(t *testing.T, users int, wrap func(http.Handler) http.Handler) (*server.Node, *Client, *Market) {
	t.Helper()
	n, srv := testServerWrapped(t, wrap)
	c, err := NewClient(srv.Listener.Addr().String(), 8)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	admin := testKey(t, n, "admin", "")
	var us []*User
	for i := 0; i < users; i++ {
		account := fmt.Sprintf("u%d", i)
		us = append(us, &User{Account: account, Key: testKey(t, n, "user", account)})
	}
	m, err := Setup(context.Background(), c, admin, us, SetupOptions{Asset: "USDC", Pools: 3, Covers: 2})
	if err != nil {
		t.Fatal(err)
	}
	return n, c, m
}

func TestSetupBuildsAMarketEachUserActsOn(t *testing.T) {
	_, c, m := testMarket(t, 2)
	if len(m.Pools) != 3 {
		t.Fatalf("pools %v", m.Pools)
	}
	for _, u := range m.Users {
		if len(u.Positions) != 3 || len(u.Covers) != 2 {
			t.Fatalf("%s: positions %v covers %v", u.Account, u.Positions, u.Covers)
		}
		var cv struct{ Owner string }
		if err := c.Get(context.Background(), u.Key, fmt.Sprintf("/v1/covers/%d", u.Covers[0]), &cv); err != nil || cv.Owner != u.Account {
			t.Fatalf("%s reads its cover: %+v %v", u.Account, cv, err)
		}
	}
	// Discover finds the same pools and what each user holds.
	fresh := []*User{{Account: m.Users[0].Account, Key: m.Users[0].Key}}
	d, err := Discover(context.Background(), c, fresh)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(d.Pools) != fmt.Sprint(m.Pools) || len(fresh[0].Positions) != 3 || len(fresh[0].Covers) != 2 {
		t.Fatalf("discovered pools %v, positions %v, covers %v", d.Pools, fresh[0].Positions, fresh[0].Covers)
	}
}

func TestLoadIsAcknowledgedOnceEachAndCounted(t *testing.T) {
	_, c, m := testMarket(t, 3)
	load, err := NewLoad(m, 6, Mix{ReadRatio: 0.3, BadRatio: 0.2, BatchRatio: 0.3}, 7)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	seen := map[uint64]string{}
	var failed int64
	load.Observe = func(cmds []Command, outs []Outcome) {
		mu.Lock()
		defer mu.Unlock()
		for i, o := range outs {
			if prev, dup := seen[o.Seq]; dup || o.Op != cmds[i].Op {
				t.Errorf("seq %d: %s (before: %q), sent %s", o.Seq, o.Op, prev, cmds[i].Op)
			}
			seen[o.Seq] = o.Op
			if !o.OK {
				failed++
			}
		}
	}
	s := load.Run(context.Background(), c, 700*time.Millisecond)
	if s.Errors != 0 {
		t.Fatalf("%d HTTP errors, first: %v", s.Errors, s.FirstError)
	}
	if s.Mutations == 0 || s.Reads == 0 || int64(len(seen)) != s.Mutations || failed != s.MutationsFailed {
		t.Fatalf("stats %+v; observed %d commands, %d failed", s, len(seen), failed)
	}
	if s.MutationsFailed == 0 || s.MutationsFailed == s.Mutations {
		t.Fatalf("%d of %d mutations failed; want some, not all", s.MutationsFailed, s.Mutations)
	}
	r := s.Report(6)
	if r.MutationsPerSec <= 0 || r.ReadsPerSec <= 0 || r.P50Ms <= 0 || r.P99Ms < r.P50Ms || r.MutationP99Ms <= 0 || r.ReadP99Ms <= 0 {
		t.Fatalf("report %+v", r)
	}
	// A second run goes on from what the first learned.
	if again := load.Run(context.Background(), c, 200*time.Millisecond); again.Mutations == 0 || again.Errors != 0 {
		t.Fatalf("second run %+v", again)
	}
}

// TestLoadReconnectsWhenTheServerCloses: a server that now and then
// answers with Connection: close, and now and then drops a connection
// without answering, costs the load one error per dropped request, and
// the clients dial again and go on.
func TestLoadReconnectsWhenTheServerCloses(t *testing.T) {
	var requests, dropped, closed atomic.Int64
	armed := atomic.Bool{} // only once the market is set up
	_, c, m := testMarketWrapped(t, 2, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n := requests.Add(1)
			switch {
			case armed.Load() && n%37 == 0:
				if nc, _, err := http.NewResponseController(w).Hijack(); err == nil {
					dropped.Add(1)
					nc.Close()
					return
				}
			case armed.Load() && n%23 == 0:
				closed.Add(1)
				w.Header().Set("Connection", "close")
			}
			h.ServeHTTP(w, r)
		})
	})
	load, err := NewLoad(m, 4, Mix{ReadRatio: 0.5, BatchRatio: 0.2}, 5)
	if err != nil {
		t.Fatal(err)
	}
	armed.Store(true)
	s := load.Run(context.Background(), c, 800*time.Millisecond)
	if dropped.Load() < 3 || closed.Load() < 3 {
		t.Fatalf("the server dropped %d connections and closed %d: the load hardly ran (%+v)", dropped.Load(), closed.Load(), s)
	}
	// Each dropped request is one error, unless the load was stopping
	// (the goroutine driver used away from Linux sometimes counts one
	// more).
	if d, k := dropped.Load(), int64(len(load.clients)); s.Errors < d-k || s.Errors > d+k ||
		!strings.Contains(fmt.Sprint(s.FirstError), "closed the connection") {
		t.Fatalf("%d errors (first: %v) for %d dropped connections", s.Errors, s.FirstError, dropped.Load())
	}
	if answered := s.Reads + s.MutationRequests; answered < 10*dropped.Load() {
		t.Fatalf("%d requests answered around %d dropped connections", answered, dropped.Load())
	}
	t.Logf("%d reads and %d mutation requests answered; %d connections dropped, %d closed; %d errors",
		s.Reads, s.MutationRequests, dropped.Load(), closed.Load(), s.Errors)
}

func TestBadMutationsFailInTheEngine(t *testing.T) {
	_, c, m := testMarket(t, 2)
	load, err := NewLoad(m, 1, Mix{BadRatio: 1}, 3)
	if err != nil {
		t.Fatal(err)
	}
	w := load.clients[0]
	codes := map[string]int{}
	for i := 0; i < 40; i++ {
		outs, err := c.Submit(context.Background(), w.user.Key, w.command())
		if err != nil {
			t.Fatal(err)
		}
		if outs[0].OK || outs[0].Seq == 0 {
			t.Fatalf("a bad command: %+v", outs[0])
		}
		codes[string(outs[0].Error)]++
	}
	for _, want := range []string{"zero_amount", "not_found", "insufficient_capacity", "not_owner"} {
		if codes[want] == 0 {
			t.Errorf("no %s among %v", want, codes)
		}
	}
}

func TestClientReportsStatusErrors(t *testing.T) {
	_, srv := testServer(t)
	c, err := NewClient("http://"+srv.Listener.Addr().String()+"/", 1)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Submit(context.Background(), "vpk_nope", Cmd("check", nil))
	var se *StatusError
	if !errors.As(err, &se) || se.Status != http.StatusUnauthorized || !strings.Contains(se.Error(), "401") {
		t.Fatalf("submit with a bad key: %v", err)
	}
	if _, err := NewClient("ftp://x", 1); err == nil {
		t.Fatal("an ftp address was accepted")
	}
}

func TestHistogramQuantiles(t *testing.T) {
	var h Histogram
	if q := h.Quantile(0.99); q != 0 {
		t.Fatalf("p99 of nothing %v", q)
	}
	for i := 1; i <= 100; i++ {
		h.Add(time.Duration(i) * time.Millisecond)
	}
	for _, tc := range []struct{ q, want float64 }{{0.5, 50}, {0.99, 99}, {1, 100}, {0, 1}} {
		if got := h.Quantile(tc.q); got < tc.want*0.99 || got > tc.want*1.01 {
			t.Errorf("q%v = %vms, want %vms within 1%%", tc.q, got, tc.want)
		}
	}
	var small Histogram
	small.Add(37 * time.Microsecond)
	small.Add(-time.Second) // counted as 0
	small.Add(time.Hour)    // the last bucket
	if got := small.Quantile(0.3); got != 0.0005 {
		t.Errorf("p30 %v, want the 0µs bucket", got)
	}
	if got := small.Quantile(0.6); got != 0.0375 {
		t.Errorf("p60 %v, want the exact 37µs bucket", got)
	}
	if got := small.Quantile(1); got < 60_000 {
		t.Errorf("max %vms, want the last bucket (over a minute)", got)
	}
	// Every bucket holds what it is said to hold.
	for us := uint64(0); us < 1<<20; us += 1 + us/300 {
		i := histIndex(us)
		if mid := histValue(i); float64(us) < mid*0.99-1 || float64(us) > mid*1.01+1 {
			t.Fatalf("%dµs in bucket %d, whose middle is %v", us, i, mid)
		}
		if i > 0 && histIndex(us) < histIndex(us/2) {
			t.Fatalf("buckets out of order at %dµs", us)
		}
	}
}
