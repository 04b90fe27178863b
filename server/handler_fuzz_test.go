package server

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

// fuzzKeys are who a fuzzed request is sent as: no key, each role, a
// key that does not exist.
var fuzzKeys = []string{"", "admin", "arbiter", "alice", "bob", "vpk_nope_0000"}

// FuzzHandler sends any request (method, path, headers, body, as any
// key) to the whole HTTP API of a market with pools, positions, covers,
// a claim and a swap pair, as net/http would parse it off the wire, and
// checks that the answer is never a 5xx (503 behind, a ?minSeq= the
// node has not reached, aside), that the handler never panics, and that
// an answer other than 2xx left the state hash as it was.
func FuzzHandler(f *testing.F) {
	ta := newTestAPI(f, HandlerOptions{Dev: true, Heartbeat: 5 * time.Millisecond, MinSeqWait: time.Millisecond, MaxStreamsPerKey: 1 << 20})
	ta.seed()
	ta.seedSwap()
	for _, rt := range newAPI(ta.n, HandlerOptions{}).routes {
		path := strings.NewReplacer("{id}", "0", "{name}", "alice").Replace(rt.path)
		for who := range fuzzKeys {
			f.Add(rt.method, path, uint8(who), "Accept: text/event-stream", []byte(""))
		}
	}
	for _, body := range []string{`{"op":"check"}`, `{"op":"resolveClaim"}`, `{"op":"freeze","args":null}`,
		`[{"op":"openCover","args":{"pool":0,"amount":"1","premiums":"1"}},{"op":"openClaim","args":{"cover":0,"amount":"1"}}]`,
		`{"op":"swapNative","args":{"to":"bob\u0000","path":["USDC","WETH"],"amountIn":"10"}}`,
		`{"op":"setStrategyIndex","args":{"strategy":0,"index":"115792089237316195423570985008687907853269984665640564039457584007913129639935"}}`,
		`{"op":"openPosition","args":{"amount":"1","pools":[0,null]}}`} {
		for who := range fuzzKeys {
			f.Add("POST", "/v1/commands", uint8(who), "Content-Type: application/json", []byte(body))
		}
	}
	f.Add("POST", "/v1/quote/cover", uint8(3), "", []byte(`{"pool":0,"amount":"1000000","duration":86400}`))
	f.Add("POST", "/v1/swap/quote", uint8(4), "", []byte(`{"tokenIn":"USDC","tokenOut":"WETH","amountIn":"1000"}`))
	f.Add("POST", "/v1/quote/position", uint8(3), "", []byte(`{"pools":[0],"amount":"1000"}`))
	f.Add("GET", "/v1/events?after=18446744073709551615", uint8(1), "", []byte(""))
	f.Add("GET", "/v1/events/stream", uint8(1), "Last-Event-ID: 9223372036854775808", []byte(""))
	f.Add("GET", "/v1/pools?minSeq=99999999999999999999", uint8(3), "", []byte(""))
	f.Add("GET", "/v1/accounts/%00", uint8(1), "", []byte(""))
	f.Add("DELETE", "/v1/keys/x", uint8(1), "Transfer-Encoding: chunked", []byte("0\r\n\r\n"))
	f.Fuzz(func(t *testing.T, method, target string, who uint8, headers string, body []byte) {
		raw := fmt.Sprintf("%s %s HTTP/1.1\r\nHost: vpool\r\n", method, target)
		if key := fuzzKeys[int(who)%len(fuzzKeys)]; key != "" {
			token, ok := ta.keys[key]
			if !ok {
				token = key
			}
			raw += "Authorization: Bearer " + token + "\r\n"
		}
		if headers != "" {
			raw += strings.ReplaceAll(headers, "\n", "\r\n") + "\r\n"
		}
		if !strings.Contains(strings.ToLower(headers), "content-length") && !strings.Contains(strings.ToLower(headers), "transfer-encoding") {
			raw += fmt.Sprintf("Content-Length: %d\r\n", len(body))
		}
		req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw + "\r\n" + string(body))))
		if err != nil {
			return // net/http refuses it before any handler
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		req = req.WithContext(ctx)
		req.RemoteAddr = "192.0.2.1:1234"
		hash, seq := stateHash(ta.n)
		rec := &streamRecorder{ResponseRecorder: httptest.NewRecorder(), leave: cancel}
		ta.h.ServeHTTP(rec, req)
		if rec.Code >= 500 && !(rec.Code == http.StatusServiceUnavailable && strings.Contains(rec.Body.String(), `"error":"behind"`)) {
			t.Fatalf("%s %s as %q: %d %s", method, target, fuzzKeys[int(who)%len(fuzzKeys)], rec.Code, rec.Body)
		}
		if rec.Code < 200 || rec.Code > 299 {
			if h, s := stateHash(ta.n); h != hash || s != seq {
				t.Fatalf("%s %s answered %d and changed the state (seq %d → %d): %s", method, target, rec.Code, seq, s, rec.Body)
			}
		}
	})
}

// streamRecorder records an answer; the client of an event stream goes
// a few heartbeats after the stream starts.
type streamRecorder struct {
	*httptest.ResponseRecorder
	leave func()
}

func (r *streamRecorder) WriteHeader(code int) {
	if r.Header().Get("Content-Type") == "text/event-stream" {
		time.AfterFunc(20*time.Millisecond, r.leave)
	}
	r.ResponseRecorder.WriteHeader(code)
}
