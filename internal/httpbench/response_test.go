package httpbench

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestConnReadsEveryBodyShape sends requests over one conn to handlers
// answering with a length, chunked, with Connection: close, and with an
// error status; every body arrives whole and the connection is reused
// or redialled as the answer says.
func TestConnReadsEveryBodyShape(t *testing.T) {
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
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Write([]byte(r.Method + " " + r.Header.Get("Authorization") + " " + string(body)))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	k, err := newConn(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer k.close()
	ctx := context.Background()

	for _, c := range []struct{ path, want string }{
		{"/length", "short"}, {"/chunked", big}, {"/length", "short"}, {"/close", "bye"}, {"/length", "short"},
	} {
		got, err := k.do(ctx, "GET", c.path, "", nil)
		if err != nil || string(got) != c.want {
			t.Fatalf("GET %s: %d bytes, %v; want %d bytes", c.path, len(got), err, len(c.want))
		}
		if closed := k.nc == nil; closed != (c.path == "/close") {
			t.Fatalf("GET %s: connection closed = %v", c.path, closed)
		}
	}
	got, err := k.do(ctx, "POST", "/echo", "K", []byte(`{"a":1}`))
	if want := `POST Bearer K {"a":1}`; err != nil || string(got) != want {
		t.Fatalf("POST /echo = %q, %v; want %q", got, err, want)
	}
	_, err = k.do(ctx, "GET", "/teapot", "", nil)
	var se *StatusError
	if !errors.As(err, &se) || se.Status != http.StatusTeapot || se.Body != "no" {
		t.Fatalf("GET /teapot: %v", err)
	}
	if k.nc == nil {
		t.Fatal("an error status closed the connection")
	}
}

// TestParseStatusLineRejectsGarbage: only "HTTP/1.x NNN" lines pass.
func TestParseStatusLineRejectsGarbage(t *testing.T) {
	for _, line := range []string{"", "HTTP/1.1 2\r\n", "HTTP/2.0 200 OK\r\n", "HTTP/1.1 abc OK\r\n", "HTTP/1.1 042 x\r\n"} {
		if _, err := parseStatusLine([]byte(line)); err == nil {
			t.Errorf("%q parsed", line)
		}
	}
	if s, err := parseStatusLine([]byte("HTTP/1.1 404 Not Found\r\n")); err != nil || s != 404 {
		t.Errorf("404 line: %d, %v", s, err)
	}
}
