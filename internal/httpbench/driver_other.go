//go:build !linux

package httpbench

import (
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"time"
)

// drive runs xs, each over a keep-alive HTTP/1.1 connection of its own to
// t, until ctx ends: away from Linux, with a goroutine per connection
// (Linux has an event loop over epoll).
func drive(ctx context.Context, t target, xs []exchanger) error {
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k := &goConn{t: t}
			defer k.close()
			k.run(ctx, x)
		}()
	}
	wg.Wait()
	return nil
}

// goConn is one client's connection, one request at a time.
type goConn struct {
	t    target
	nc   net.Conn
	out  []byte
	in   []byte // received bytes, the first n of them not yet used
	n    int
	used int // bytes of in the answer in resp takes
	resp response
}

func (k *goConn) run(ctx context.Context, x exchanger) {
	for ctx.Err() == nil {
		q := x.next()
		began := time.Now()
		err := k.roundTrip(ctx, q)
		if err == nil {
			err = answer(x, q, &k.resp, time.Since(began))
			k.finish()
		}
		if err != nil && ctx.Err() == nil {
			x.fail(err)
			t := time.NewTimer(errorPause)
			select {
			case <-ctx.Done():
			case <-t.C:
			}
			t.Stop()
		}
	}
}

// roundTrip sends q and reads its answer into k.resp; a transport error
// closes the connection, and the next request dials again.
func (k *goConn) roundTrip(ctx context.Context, q request) error {
	if k.nc == nil {
		d := net.Dialer{Timeout: dialTimeout}
		nc, err := d.DialContext(ctx, "tcp", k.t.addr)
		if err != nil {
			return err
		}
		k.nc = nc
	}
	// A cancelled context unblocks the request by expiring its deadline.
	nc := k.nc
	stop := context.AfterFunc(ctx, func() { nc.SetDeadline(time.Unix(1, 0)) })
	err := k.exchange(q)
	if !stop() {
		k.resp.closing = true // its deadline expired: finish drops it
	}
	if err != nil {
		k.close() // it is in an unknown state
	}
	return err // an answer read in full counts, even if ctx ended meanwhile
}

func (k *goConn) exchange(q request) error {
	k.out = k.t.appendRequest(k.out[:0], q)
	if _, err := k.nc.Write(k.out); err != nil {
		return err
	}
	for {
		eof := false
		if k.n == len(k.in) {
			k.in = append(k.in, make([]byte, max(16<<10, len(k.in)))...)
		}
		n, err := k.nc.Read(k.in[k.n:])
		k.n += n
		if errors.Is(err, io.EOF) {
			eof = true
		} else if err != nil {
			return err
		}
		used, complete, err := k.resp.parse(k.in[:k.n], eof)
		if err != nil || complete {
			k.used = used
			k.resp.closing = k.resp.closing || eof
			return err
		}
		k.n = copy(k.in, k.in[used:k.n])
	}
}

// finish drops the answer just handled, and the connection if it ends
// with it.
func (k *goConn) finish() {
	k.n = copy(k.in, k.in[k.used:k.n]) // none, from a server that waits to be asked
	if k.resp.closing {
		k.close()
	}
	k.resp.reset()
}

func (k *goConn) close() {
	if k.nc != nil {
		k.nc.Close()
		k.nc = nil
	}
	k.n = 0
	k.resp.reset()
}
