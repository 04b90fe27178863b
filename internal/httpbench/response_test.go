package httpbench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// script is an exchanger that sends a list of requests once each and
// stops the load after the last answer.
type script struct {
	reqs   []request
	bodies []string // per request: its body, or "error: " and the error
	stop   context.CancelFunc
}

// next is the first request not answered; after the last, it again (the
// load stops, but a request may still be drawn meanwhile).
func (s *script) next() request { return s.reqs[min(len(s.bodies), len(s.reqs)-1)] }

func (s *script) done(body []byte, _ time.Duration) error {
	s.record(string(body))
	return nil
}

func (s *script) fail(err error) { s.record("error: " + err.Error()) }

func (s *script) record(got string) {
	if len(s.bodies) < len(s.reqs) {
		s.bodies = append(s.bodies, got)
	}
	if len(s.bodies) == len(s.reqs) {
		s.stop()
	}
}

// TestDriverReadsEveryBodyShape sends requests over one connection to
// handlers answering with a length, chunked, with Connection: close, and
// with an error status; every body arrives whole and the connection is
// reused or dialled again as the answer says.
func TestDriverReadsEveryBodyShape(t *testing.T) {
	big := strings.Repeat("0123456789", 1000)
	mux := http.NewServeMux()
	mux.HandleFunc("/length", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("short")) })
	mux.HandleFunc("/chunked", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(big[:5000]))
		w.(http.Flusher).Flush()
		w.Write([]byte(big[5000:]))
	})
	mux.HandleFunc("/close", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		w.Write([]byte("bye"))
	})
	mux.HandleFunc("/teapot", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
		w.Write([]byte("no"))
	})
	mux.HandleFunc("/untilclose", func(w http.ResponseWriter, r *http.Request) {
		nc, buf, err := http.NewResponseController(w).Hijack()
		if err == nil {
			buf.WriteString("HTTP/1.1 200 OK\r\n\r\nuntil the end")
			buf.Flush()
			nc.Close()
		}
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Write([]byte(r.Method + " " + r.Header.Get("Authorization") + " " + string(body)))
	})
	srv := httptest.NewUnstartedServer(mux)
	var dials atomic.Int32
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			dials.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	tg, err := newTarget(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) request { return request{method: "GET", path: path} }
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s := &script{stop: cancel, reqs: []request{get("/length"), get("/chunked"), get("/length"), get("/close"),
		get("/length"), {method: "POST", path: "/echo", key: "K", body: []byte(`{"a":1}`)}, get("/teapot"), get("/length"),
		get("/untilclose"), get("/length")}}
	if err := drive(ctx, tg, []exchanger{s}); err != nil {
		t.Fatal(err)
	}
	want := []string{"short", big, "short", "bye", "short", `POST Bearer K {"a":1}`, "error: GET /teapot: HTTP 418: no", "short", "until the end", "short"}
	if len(s.bodies) != len(want) {
		t.Fatalf("%d answers, want %d: %.300q", len(s.bodies), len(want), s.bodies)
	}
	for i := range want {
		if s.bodies[i] != want[i] {
			t.Errorf("%s %s: %d bytes %.100q; want %d bytes", s.reqs[i].method, s.reqs[i].path, len(s.bodies[i]), s.bodies[i], len(want[i]))
		}
	}
	// One dial, and one again after /close and after /untilclose; an
	// error status keeps the connection.
	if n := dials.Load(); n != 3 {
		t.Errorf("%d connections, want 3", n)
	}
}

// TestResponseParsesAnswersInPieces feeds answers cut at every byte
// boundary, and one byte at a time, as a driver does: the bytes not used
// are kept and the next piece is appended to them.
func TestResponseParsesAnswersInPieces(t *testing.T) {
	type want struct {
		status  int
		body    string
		closing bool
	}
	cases := []struct {
		raw string
		want
	}{
		{"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: x\r\n\r\nhello", want{200, "hello", false}},
		{"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n", want{404, "", false}},
		{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1\r\n,\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n",
			want{200, "hello, world", false}},
		{"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 3\r\n\r\nbye", want{200, "bye", true}},
		{"HTTP/1.1 204 No Content\r\nDate: x\r\n\r\n", want{204, "", false}},
		{"HTTP/1.0 200 OK\nContent-Length: 2\n\nhi", want{200, "hi", false}},
	}
	feed := func(pieces []string) (response, int, error) {
		var r response
		var in []byte
		for i, p := range pieces {
			in = append(in, p...)
			used, complete, err := r.parse(in, false)
			if err != nil {
				return r, 0, err
			}
			if complete {
				if i != len(pieces)-1 {
					return r, 0, errors.New("complete before its last piece")
				}
				return r, len(in) - used, nil
			}
			in = in[used:]
		}
		return r, 0, errors.New("incomplete")
	}
	for _, c := range cases {
		check := func(how string, pieces []string, leftover int) {
			r, left, err := feed(pieces)
			got := want{r.status, string(r.body), r.closing}
			if err != nil || got != c.want || left != leftover {
				t.Errorf("%q %s: %+v, %d bytes left, %v; want %+v", c.raw, how, got, left, err, c.want)
			}
		}
		for i := 0; i < len(c.raw); i++ {
			check(fmt.Sprintf("cut at %d", i), []string{c.raw[:i], c.raw[i:]}, 0)
		}
		check("whole, then the next answer's start", []string{c.raw + "HTTP/1.1"}, len("HTTP/1.1"))
		var bytewise []string
		for i := range c.raw {
			bytewise = append(bytewise, c.raw[i:i+1])
		}
		check("byte by byte", bytewise, 0)
	}
}

// TestResponseAtTheEndOfTheConnection: a body without a length ends with
// the connection; an answer cut short by it is an error.
func TestResponseAtTheEndOfTheConnection(t *testing.T) {
	var r response
	in := []byte("HTTP/1.1 200 OK\r\n\r\nuntil")
	if _, complete, err := r.parse(in, false); complete || err != nil {
		t.Fatalf("complete %v, %v before the end", complete, err)
	}
	in = append(in, " the end"...)
	used, complete, err := r.parse(in[19:], true)
	if !complete || err != nil || string(r.body) != "until the end" || !r.closing || used != 13 {
		t.Fatalf("at the end: %v %v %q closing %v used %d", complete, err, r.body, r.closing, used)
	}
	for _, raw := range []string{"", "HTTP/1.1 200 OK\r\nContent-Le", "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel"} {
		r.reset()
		if _, complete, err := r.parse([]byte(raw), true); complete || err == nil {
			t.Errorf("%q then the end: complete %v, %v", raw, complete, err)
		}
	}
	for _, raw := range []string{"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nabc\r\n"} {
		r.reset()
		if _, _, err := r.parse([]byte(raw), false); err == nil {
			t.Errorf("%q parsed", raw)
		}
	}
}

// TestParseStatusLineRejectsGarbage: only "HTTP/1.x NNN" lines pass.
func TestParseStatusLineRejectsGarbage(t *testing.T) {
	for _, line := range []string{"", "HTTP/1.1 2", "HTTP/2.0 200 OK", "HTTP/1.1 abc OK", "HTTP/1.1 042 x"} {
		if _, err := parseStatusLine([]byte(line)); err == nil {
			t.Errorf("%q parsed", line)
		}
	}
	if s, err := parseStatusLine([]byte("HTTP/1.1 404 Not Found")); err != nil || s != 404 {
		t.Errorf("404 line: %d, %v", s, err)
	}
}
