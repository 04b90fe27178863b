package httpbench

import (
	"errors"
	"net"
	"net/url"
	"strconv"
	"time"
)

// An exchanger is one client of a load as a driver sees it: a state
// machine that says what to send next and learns from each answer. A
// driver keeps one connection per exchanger, one request in flight on it
// at a time, and does all the I/O; exchangers do none, so the same load
// runs over any driver.
type exchanger interface {
	// next is the request to send now.
	next() request
	// done is told the 200 answer to the request next gave: its body
	// (valid only during the call) and the time from next to the end of
	// the answer. An error makes the driver call fail with it.
	done(body []byte, latency time.Duration) error
	// fail is told a request that failed; the driver then pauses the
	// client for errorPause. It is not told the failures of a load that is
	// stopping.
	fail(err error)
}

// request is one HTTP request: Authorization: Bearer key unless key is
// empty, and a JSON body when body is not nil.
type request struct {
	method, path, key string
	body              []byte
}

// errorPause is how long a client waits after a failed request, so a
// server that is down is not spun against.
const errorPause = 20 * time.Millisecond

// dialTimeout bounds how long a connection may take to open.
const dialTimeout = 5 * time.Second

// target is the server a driver connects to.
type target struct {
	host string // for the Host header
	addr string // to dial
}

// newTarget reads the server of base (an http:// URL).
func newTarget(base string) (target, error) {
	u, err := url.Parse(base)
	if err != nil {
		return target{}, err
	}
	if u.Scheme != "http" {
		return target{}, errors.New("httpbench: the load speaks plain http only")
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "80")
	}
	return target{host: u.Host, addr: addr}, nil
}

// appendRequest appends q as sent to t.
func (t target) appendRequest(b []byte, q request) []byte {
	b = append(b, q.method...)
	b = append(b, ' ')
	b = append(b, q.path...)
	b = append(b, " HTTP/1.1\r\nHost: "...)
	b = append(b, t.host...)
	b = append(b, "\r\nUser-Agent: vpool-bench\r\n"...)
	if q.key != "" {
		b = append(b, "Authorization: Bearer "...)
		b = append(b, q.key...)
		b = append(b, "\r\n"...)
	}
	if q.body != nil {
		b = append(b, "Content-Type: application/json\r\nContent-Length: "...)
		b = strconv.AppendInt(b, int64(len(q.body)), 10)
		b = append(b, "\r\n"...)
	}
	b = append(b, "\r\n"...)
	return append(b, q.body...)
}

// answer hands a complete answer to x: the StatusError of a status other
// than 200, or x.done's verdict.
func answer(x exchanger, q request, r *response, latency time.Duration) error {
	if r.status != 200 {
		return &StatusError{Method: q.method, Path: q.path, Status: r.status, Body: string(r.body)}
	}
	return x.done(r.body, latency)
}
