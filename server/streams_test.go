package server

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"
)

// rawRequest sends text on a new connection to addr and returns it.
func rawRequest(t *testing.T, addr, text string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if _, err := conn.Write([]byte(text)); err != nil {
		t.Fatal(err)
	}
	return conn
}

// statusWithin reads the status line of conn's answer, or "" if the
// connection ends or stays silent for limit.
func statusWithin(conn net.Conn, limit time.Duration) string {
	conn.SetReadDeadline(time.Now().Add(limit))
	line, _ := bufio.NewReader(conn).ReadString('\n')
	return strings.TrimSpace(line)
}

// The server's read and write deadlines are lifted only for an event
// stream of an authenticated key: a header asking for a stream, on any
// route, lifts nothing, and a request refused before its body is read is
// answered at once (issue 12, item 1).
func TestOnlyAuthenticatedStreamsOutliveTheDeadlines(t *testing.T) {
	const deadline = 150 * time.Millisecond
	ta := newTestAPI(t, HandlerOptions{Heartbeat: 40 * time.Millisecond})
	srv := httptest.NewUnstartedServer(ta.h)
	srv.Config.ReadTimeout, srv.Config.WriteTimeout = deadline, deadline
	srv.Start()
	defer srv.Close()
	addr := srv.Listener.Addr().String()

	// An authenticated stream lives on, with heartbeats, well past them.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/v1/market/stream", nil)
	req.Header.Set("Authorization", "Bearer "+ta.keys["bob"])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	began, beats := time.Now(), 0
	for sc := bufio.NewScanner(res.Body); time.Since(began) < 8*deadline && sc.Scan(); {
		if sc.Text() == ": heartbeat" {
			beats++
		}
	}
	if beats < 10 {
		t.Fatalf("the stream sent %d heartbeats in %v, with deadlines of %v", beats, time.Since(began), deadline)
	}

	// The reproduction: a body announced and never sent, with a
	// stream's Accept header. Without a key: 401 at once, connection closed.
	post := "POST /v1/commands HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\nContent-Length: 1000\r\n"
	began = time.Now()
	if got := statusWithin(rawRequest(t, addr, post+"\r\n"), 5*time.Second); !strings.Contains(got, " 401 ") || time.Since(began) > deadline {
		t.Fatalf("unauthenticated, body never sent: %q after %v", got, time.Since(began))
	}
	// With a key, the request is still not a stream: cut at the read deadline.
	began = time.Now()
	conn := rawRequest(t, addr, post+"Authorization: Bearer "+ta.keys["admin"]+"\r\n\r\n")
	statusWithin(conn, 5*time.Second)
	if took := time.Since(began); took > 10*deadline {
		t.Fatalf("an authenticated command whose body never came held its connection %v", took)
	}
	// A stream route without a key is refused at once too.
	if got := statusWithin(rawRequest(t, addr, "GET /v1/events/stream HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"), 5*time.Second); !strings.Contains(got, " 401 ") {
		t.Fatalf("an unauthenticated stream: %q", got)
	}
	// And a stream request may not carry a body.
	if got := statusWithin(rawRequest(t, addr, "GET /v1/market/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "+ta.keys["bob"]+"\r\nContent-Length: 10\r\n\r\n"), 5*time.Second); !strings.Contains(got, " 400 ") {
		t.Fatalf("a stream request with a body: %q", got)
	}
}

// openStreams is how many streams a answers at the moment.
func openStreams(a *api) int {
	a.streams.mu.Lock()
	defer a.streams.mu.Unlock()
	return a.streams.total
}

// waitStreams waits until a has n streams open.
func waitStreams(t *testing.T, a *api, n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); openStreams(a) != n; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d streams open, want %d", openStreams(a), n)
		}
	}
}

// Streams are bounded per key and in total; one more is 429
// too_many_streams, and a closed stream frees its slot (issue 12, item 2).
func TestStreamsAreBoundedPerKeyAndInTotal(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{})
	a := newAPI(ta.n, HandlerOptions{MaxStreams: 3, MaxStreamsPerKey: 2})
	srv := httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(srv.Close) // after the streams' cleanups: Close waits for them
	open := func(who, path string) (*http.Response, context.CancelFunc) {
		ctx, cancel := context.WithCancel(context.Background())
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+ta.keys[who])
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cancel(); res.Body.Close() })
		return res, cancel
	}
	refused := func(res *http.Response) bool {
		if res.StatusCode != http.StatusTooManyRequests {
			return false
		}
		var body strings.Builder
		bufio.NewReader(res.Body).WriteTo(&body)
		return res.StatusCode == http.StatusTooManyRequests && res.Header.Get("Retry-After") != "" &&
			strings.Contains(body.String(), `"error":"too_many_streams"`)
	}
	_, closeFirst := open("alice", "/v1/market/stream")
	open("alice", "/v1/market/stream")
	if res, _ := open("alice", "/v1/market/stream"); !refused(res) {
		t.Fatalf("alice's third stream: %d", res.StatusCode)
	}
	if res, _ := open("admin", "/v1/events/stream"); res.StatusCode != 200 {
		t.Fatalf("the admin's first stream: %d", res.StatusCode)
	}
	if res, _ := open("bob", "/v1/market/stream"); !refused(res) {
		t.Fatalf("a fourth stream in all: %d", res.StatusCode)
	}
	closeFirst()
	waitStreams(t, a, 2)
	if res, _ := open("bob", "/v1/market/stream"); res.StatusCode != 200 {
		t.Fatalf("bob's stream once one closed: %d", res.StatusCode)
	}
}

// smallBuffers accepts connections whose send buffer is small, so that
// a client that stops reading blocks the server's writes soon.
type smallBuffers struct{ net.Listener }

func (l smallBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetWriteBuffer(4096)
	}
	return c, err
}

// A stream client that stops reading is cut off after two heartbeats
// without progress, instead of holding its goroutine and slot forever.
func TestAStreamClientThatStopsReadingIsCut(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{})
	a := newAPI(ta.n, HandlerOptions{Heartbeat: 50 * time.Millisecond})
	srv := httptest.NewUnstartedServer(http.HandlerFunc(a.serve))
	srv.Listener = smallBuffers{srv.Listener}
	srv.Start()
	defer srv.Close()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.(*net.TCPConn).SetReadBuffer(4096)
	fmt.Fprintf(conn, "GET /v1/events/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n", ta.keys["admin"])
	waitStreams(t, a, 1)
	// Far more than the buffers hold, never read.
	batch := "[" + strings.TrimSuffix(strings.Repeat(`{"op":"check"},`, 1000), ",") + "]"
	for range 3 {
		ta.must(200, "POST", "/v1/commands", "admin", batch, nil)
	}
	waitStreams(t, a, 0)
}

// An idle stream costs little: no per-stream buffer of outcomes. Each
// used to hold a 4,096-outcome channel, ~384 KiB.
func TestHeapPerIdleStream(t *testing.T) {
	const streams = 100
	ta := newTestAPI(t, HandlerOptions{Dev: true})
	ta.seed()
	a := newAPI(ta.n, HandlerOptions{MaxStreamsPerKey: streams})
	srv := httptest.NewServer(http.HandlerFunc(a.serve))
	defer srv.Close()
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	before := heap()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for range streams {
		openStream(t, ctx, srv.URL+"/v1/market/stream", ta.keys["alice"], "").next()
	}
	waitStreams(t, a, streams)
	per := (int64(heap()) - int64(before)) / streams
	t.Logf("heap per idle market stream, server and client in one process: %.1f KiB", float64(per)/1024)
	if per > 64<<10 {
		t.Fatalf("an idle stream costs %d bytes of heap", per)
	}
}
