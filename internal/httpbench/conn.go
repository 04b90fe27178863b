package httpbench

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// conn is one client's own keep-alive HTTP/1.1 connection, one request at
// a time. The load uses it rather than http.Transport, whose per-connection
// goroutines and hand-offs cost about as much CPU as the server spends on a
// read: on a small machine the bench would otherwise take the CPU it is
// measuring. Answers are read by readResponse.
type conn struct {
	host string // for the Host header
	addr string // to dial
	nc   net.Conn
	br   *bufio.Reader
	req  []byte // the request being sent, reused
	body []byte // the answer's body, reused
}

// newConn prepares a connection to the server of base (an http:// URL);
// it dials on first use.
func newConn(base string) (*conn, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" {
		return nil, errors.New("httpbench: the load speaks plain http only")
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "80")
	}
	return &conn{host: u.Host, addr: addr}, nil
}

// do sends one request and returns the body of a 200 answer, valid until
// the next request (any other status is a *StatusError). A transport error closes the connection; the
// next request dials again.
func (k *conn) do(ctx context.Context, method, path, key string, body []byte) ([]byte, error) {
	if k.nc == nil {
		d := net.Dialer{Timeout: 5 * time.Second}
		nc, err := d.DialContext(ctx, "tcp", k.addr)
		if err != nil {
			return nil, err
		}
		k.nc, k.br = nc, bufio.NewReaderSize(nc, 16<<10)
	}
	// A cancelled context unblocks the request by expiring its deadline.
	nc := k.nc
	stop := context.AfterFunc(ctx, func() { nc.SetDeadline(time.Unix(1, 0)) })
	data, err := k.roundTrip(method, path, key, body)
	var status *StatusError
	if !stop() || err != nil && !errors.As(err, &status) {
		k.close() // its deadline expired, or it is in an unknown state
	}
	if err != nil && ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return data, err // an answer read in full counts, even if ctx ended meanwhile
}

func (k *conn) roundTrip(method, path, key string, body []byte) ([]byte, error) {
	r := append(k.req[:0], method...)
	r = append(r, ' ')
	r = append(r, path...)
	r = append(r, " HTTP/1.1\r\nHost: "...)
	r = append(r, k.host...)
	r = append(r, "\r\nUser-Agent: vpool-bench\r\n"...)
	if key != "" {
		r = append(r, "Authorization: Bearer "...)
		r = append(r, key...)
		r = append(r, "\r\n"...)
	}
	if body != nil {
		r = append(r, "Content-Type: application/json\r\nContent-Length: "...)
		r = strconv.AppendInt(r, int64(len(body)), 10)
		r = append(r, "\r\n"...)
	}
	r = append(r, "\r\n"...)
	r = append(r, body...)
	k.req = r
	if _, err := k.nc.Write(r); err != nil {
		return nil, err
	}
	status, data, err := k.readResponse()
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, &StatusError{Method: method, Path: path, Status: status, Body: string(data)}
	}
	return data, nil
}

func (k *conn) close() {
	if k.nc != nil {
		k.nc.Close()
		k.nc = nil
	}
}
