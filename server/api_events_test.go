package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestEventsArePagedFromTheLog(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{Dev: true})
	ta.seed()
	ta.do("POST", "/v1/commands", "bob", `{"op":"openCover","args":{"pool":0,"amount":"0","premiums":"1"}}`) // a failure is an event too
	last := ta.seq()
	var seqs []uint64
	var failed Outcome
	after := uint64(0)
	for pages := 0; ; pages++ {
		if pages > int(last) {
			t.Fatal("paging does not end")
		}
		var page struct {
			Events []Outcome
			Next   uint64
			More   bool
		}
		ta.must(200, "GET", fmt.Sprintf("/v1/events?after=%d&limit=3", after), "arbiter", "", &page)
		for _, e := range page.Events {
			seqs = append(seqs, e.Seq)
			if !e.OK {
				failed = e
			}
		}
		if len(page.Events) > 3 || page.Next < after {
			t.Fatalf("page after %d: %+v", after, page)
		}
		after = page.Next
		if !page.More {
			break
		}
	}
	if len(seqs) != int(last) {
		t.Fatalf("%d events for %d commands: %v", len(seqs), last, seqs)
	}
	for i, s := range seqs {
		if s != uint64(i+1) {
			t.Fatalf("events out of order: %v", seqs)
		}
	}
	if failed.Error != "zero_amount" || failed.Op != "openCover" || failed.Seq != last {
		t.Fatalf("the failed command's event: %+v", failed)
	}
	for _, q := range []string{"after=-1", "after=x", "limit=0", "limit=1001"} {
		if rec := ta.do("GET", "/v1/events?"+q, "admin", ""); rec.Code != 400 {
			t.Errorf("?%s: %d", q, rec.Code)
		}
	}
	var empty struct {
		Events []Outcome
		Next   uint64
		More   bool
	}
	ta.must(200, "GET", fmt.Sprintf("/v1/events?after=%d", last), "admin", "", &empty)
	if len(empty.Events) != 0 || empty.Next != last || empty.More {
		t.Fatalf("after the end: %+v", empty)
	}
}

// sseReader reads outcome events from a stream.
type sseReader struct {
	t  *testing.T
	sc *bufio.Scanner
}

// next returns the next event's id and outcome, skipping comments.
func (r sseReader) next() (uint64, Outcome) {
	r.t.Helper()
	var id uint64
	var out Outcome
	got := false
	for r.sc.Scan() {
		line := r.sc.Text()
		switch {
		case strings.HasPrefix(line, "id: "):
			id, _ = strconv.ParseUint(line[4:], 10, 64)
		case strings.HasPrefix(line, "data: "):
			if err := json.Unmarshal([]byte(line[6:]), &out); err != nil {
				r.t.Fatalf("event data %q: %v", line, err)
			}
			got = true
		case line == "" && got:
			if id != out.Seq {
				r.t.Fatalf("event id %d carries seq %d", id, out.Seq)
			}
			return id, out
		}
	}
	r.t.Fatalf("stream ended: %v", r.sc.Err())
	return 0, out
}

// openStream opens an event stream at url and checks it answers as one;
// lines may be up to 1 MiB (a market event carries the whole market).
func openStream(t *testing.T, ctx context.Context, url, token, lastEventID string) sseReader {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if lastEventID != "" {
		req.Header.Set("Last-Event-ID", lastEventID)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("stream: %d %v", res.StatusCode, res.Header)
	}
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(nil, 1<<20)
	return sseReader{t: t, sc: sc}
}

func TestEventStreamReplaysThenFollowsAndResumes(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{Dev: true})
	srv := httptest.NewServer(ta.h)
	defer srv.Close()
	ta.seed() // seqs 1..8
	ctx, cancel := context.WithCancel(context.Background())
	s := openStream(t, ctx, srv.URL+"/v1/events/stream?after=3", ta.keys["admin"], "")
	for want := uint64(4); want <= 8; want++ { // from the log
		if id, _ := s.next(); id != want {
			t.Fatalf("replayed id %d, want %d", id, want)
		}
	}
	for i := 0; i < 5; i++ { // live
		ta.submit("admin", `{"op":"check"}`)
		if id, out := s.next(); id != uint64(9+i) || out.Op != "check" || !out.OK {
			t.Fatalf("live event %d: %+v", id, out)
		}
	}
	cancel()
	// Commands while disconnected, then a reconnect with Last-Event-ID
	// (it wins over ?after=): the missed ones, then live, no gap, no repeat.
	ta.submit("admin", `{"op":"check"}`, `{"op":"check"}`)
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	s = openStream(t, ctx, srv.URL+"/v1/events/stream?after=1", ta.keys["arbiter"], "13")
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // more commands while the stream catches up
		defer wg.Done()
		for i := 0; i < 10; i++ {
			ta.submit("admin", `{"op":"check"}`)
		}
	}()
	for want := uint64(14); want <= 25; want++ {
		if id, _ := s.next(); id != want {
			t.Fatalf("resumed id %d, want %d", id, want)
		}
	}
	wg.Wait()
}

// blockingWriter is a ResponseWriter whose writes wait until released:
// a client that stops reading.
type blockingWriter struct {
	header  http.Header
	release chan struct{}
	mu      sync.Mutex
	buf     strings.Builder
	wrote   chan struct{}
}

func (w *blockingWriter) Header() http.Header { return w.header }
func (w *blockingWriter) WriteHeader(int)     {}
func (w *blockingWriter) Flush()              {}
func (w *blockingWriter) Write(p []byte) (int, error) {
	if strings.HasPrefix(string(p), "id: ") {
		<-w.release
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	select {
	case w.wrote <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (w *blockingWriter) ids() []uint64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	var ids []uint64
	for _, line := range strings.Split(w.buf.String(), "\n") {
		if id, ok := strings.CutPrefix(line, "id: "); ok {
			n, _ := strconv.ParseUint(id, 10, 64)
			ids = append(ids, n)
		}
	}
	return ids
}

// A client that falls more than the live feed's ring behind is closed,
// resumably: reconnecting with Last-Event-ID, it gets every later event
// once, in order, from the log (issue 12, item 2).
func TestEventStreamClosesASlowClientResumably(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{})
	w := &blockingWriter{header: http.Header{}, release: make(chan struct{}), wrote: make(chan struct{}, 1)}
	req := httptest.NewRequest("GET", "/v1/events/stream", nil)
	req.Header.Set("Authorization", "Bearer "+ta.keys["admin"])
	done := make(chan struct{})
	go func() { defer close(done); ta.h.ServeHTTP(w, req) }()
	<-w.wrote // the stream is open (its retry line is written) and subscribed
	ta.submit("admin", `{"op":"check"}`)
	// The stream now waits to write its first event; let the feed's ring
	// pass it.
	batch := "[" + strings.TrimSuffix(strings.Repeat(`{"op":"check"},`, 1000), ",") + "]"
	for range feedRing/1000 + 2 {
		ta.must(200, "POST", "/v1/commands", "admin", batch, nil)
	}
	last := ta.seq()
	close(w.release)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the slow client's stream is still open")
	}
	if ids := w.ids(); len(ids) != 1 || ids[0] != 1 || !strings.Contains(w.buf.String(), "reconnect with Last-Event-ID") {
		t.Fatalf("the slow client got ids %v and %q", ids, w.buf.String())
	}
	srv := httptest.NewServer(ta.h)
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := openStream(t, ctx, srv.URL+"/v1/events/stream", ta.keys["admin"], "1")
	for want := uint64(2); want <= last; want++ {
		if id, _ := s.next(); id != want {
			t.Fatalf("resumed id %d, want %d", id, want)
		}
	}
}

func TestEventStreamHeartbeat(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{Heartbeat: time.Millisecond})
	srv := httptest.NewServer(ta.h)
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/v1/events/stream", nil)
	req.Header.Set("Authorization", "Bearer "+ta.keys["admin"])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		if sc.Text() == ": heartbeat" {
			return
		}
	}
	t.Fatal("no heartbeat")
}

// A cursor beyond the log's last seq is refused, not wrapped to a
// negative seq that would replay the whole log (issue 12, item 3).
func TestEventCursorBeyondTheLogIsRefused(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{Dev: true})
	ta.seed()
	last := ta.seq()
	beyond := []string{strconv.FormatUint(last+1, 10), "9223372036854775807", "9223372036854775808", "18446744073709551615"}
	for _, after := range beyond {
		if rec := ta.do("GET", "/v1/events?after="+after, "admin", ""); rec.Code != 400 || errorCode(t, rec) != "invalid_argument" {
			t.Errorf("GET /v1/events?after=%s: %d %s", after, rec.Code, rec.Body)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		for _, header := range []bool{false, true} {
			req := httptest.NewRequestWithContext(ctx, "GET", "/v1/events/stream?after="+after, nil)
			if header {
				req = httptest.NewRequestWithContext(ctx, "GET", "/v1/events/stream", nil)
				req.Header.Set("Last-Event-ID", after)
			}
			req.Header.Set("Authorization", "Bearer "+ta.keys["admin"])
			rec := httptest.NewRecorder()
			ta.h.ServeHTTP(rec, req)
			if rec.Code != 400 || errorCode(t, rec) != "invalid_argument" {
				t.Errorf("stream from %s (Last-Event-ID: %v): %d %.200s", after, header, rec.Code, rec.Body)
			}
		}
		cancel()
	}
	// The last seq itself is a valid cursor: an empty page, a stream that waits.
	ta.must(200, "GET", fmt.Sprintf("/v1/events?after=%d", last), "admin", "", nil)
}
