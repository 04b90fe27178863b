package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestStreamsOutliveTheServerDeadlines: with server read and write
// deadlines of 150 ms, an event stream wrapped by withDeadlines still
// delivers events for a second, while an ordinary slow answer is cut.
func TestStreamsOutliveTheServerDeadlines(t *testing.T) {
	const deadline = 150 * time.Millisecond
	tick := func(w http.ResponseWriter, n int) {
		for i := range n {
			fmt.Fprintf(w, "data: %d\n\n", i)
			http.NewResponseController(w).Flush()
			time.Sleep(50 * time.Millisecond)
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/events/stream", func(w http.ResponseWriter, r *http.Request) { tick(w, 20) })
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) { tick(w, 20) })
	srv := httptest.NewUnstartedServer(withDeadlines(mux, context.Background()))
	srv.Config.ReadTimeout, srv.Config.WriteTimeout = deadline, deadline
	srv.Start()
	defer srv.Close()

	events := func(path string) int {
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		n := 0
		for sc := bufio.NewScanner(res.Body); sc.Scan(); {
			if strings.HasPrefix(sc.Text(), "data: ") {
				n++
			}
		}
		return n
	}
	if n := events("/v1/events/stream"); n != 20 {
		t.Fatalf("the stream delivered %d of 20 events", n)
	}
	if n := events("/slow"); n >= 20 {
		t.Fatalf("an ordinary answer ran %d ticks past the write deadline", n)
	}
}
