package httpbench

import (
	"context"
	"errors"
	"fmt"
	"net"
	"runtime"
	"time"

	"golang.org/x/sys/unix"
)

// drive runs xs, each over a keep-alive HTTP/1.1 connection of its own to
// t, until ctx ends. One goroutine on one thread does all the I/O over
// epoll, like wrk: a goroutine blocked on each connection would cost, per
// answer, a read that finds nothing, a park, a wake-up and a read again,
// about as much CPU as the server spends on a read, and on a small
// machine the bench shares the cores with the server it measures. Here
// one epoll_wait returns every connection whose answer has come, and each
// answer costs one read.
func drive(ctx context.Context, t target, xs []exchanger) error {
	if ctx.Err() != nil {
		return nil
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	d, err := newPoller(t, len(xs))
	if err != nil {
		return err
	}
	defer d.close()
	// The loop wakes when ctx ends through an eventfd it polls too.
	wake := context.AfterFunc(ctx, func() {
		unix.Write(d.stopFd, []byte{1, 0, 0, 0, 0, 0, 0, 0})
	})
	defer wake()
	for i, x := range xs {
		d.conns = append(d.conns, &pollConn{x: x, fd: -1, id: int32(i)})
	}
	for _, c := range d.conns {
		d.start(c)
	}
	events := make([]unix.EpollEvent, len(xs)+1)
	for !d.stopping {
		n, err := unix.EpollWait(d.epfd, events, d.timeout())
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return fmt.Errorf("httpbench: epoll_wait: %w", err)
		}
		for _, ev := range events[:n] {
			if ev.Fd < 0 {
				d.stopping = true // answers already in still count
				continue
			}
			d.event(d.conns[ev.Fd], ev.Events)
		}
		d.expire()
	}
	return nil
}

// poller is the state of drive's loop.
type poller struct {
	t        target
	sa       unix.Sockaddr
	domain   int
	epfd     int
	stopFd   int // an eventfd written when the load ends
	conns    []*pollConn
	stopping bool
}

// connState is where a connection is in its exchange.
type connState uint8

const (
	connIdle       connState = iota // no request in flight; paused until wake, if set
	connConnecting                  // dialling, until wake at most
	connWriting                     // sending the request
	connReading                     // waiting for the answer
)

// pollConn is one client's connection.
type pollConn struct {
	x        exchanger
	id       int32 // index in poller.conns, the epoll data
	fd       int   // -1 when closed
	state    connState
	readable bool // the socket may have bytes to read
	ended    bool // the peer has closed or reset its side
	q        request
	out      []byte // the request being sent
	sent     int
	in       []byte // received bytes, the first n of them not yet used
	n        int
	resp     response
	began    time.Time
	wake     time.Time
}

func newPoller(t target, conns int) (*poller, error) {
	addr, err := net.ResolveTCPAddr("tcp", t.addr)
	if err != nil {
		return nil, err
	}
	d := &poller{t: t, epfd: -1, stopFd: -1, conns: make([]*pollConn, 0, conns)}
	if ip := addr.IP.To4(); ip != nil {
		d.domain, d.sa = unix.AF_INET, &unix.SockaddrInet4{Port: addr.Port, Addr: [4]byte(ip)}
	} else {
		sa := &unix.SockaddrInet6{Port: addr.Port, Addr: [16]byte(addr.IP.To16())}
		if ifi, err := net.InterfaceByName(addr.Zone); err == nil {
			sa.ZoneId = uint32(ifi.Index)
		}
		d.domain, d.sa = unix.AF_INET6, sa
	}
	if d.epfd, err = unix.EpollCreate1(unix.EPOLL_CLOEXEC); err != nil {
		return nil, fmt.Errorf("httpbench: epoll_create1: %w", err)
	}
	if d.stopFd, err = unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC); err == nil {
		err = unix.EpollCtl(d.epfd, unix.EPOLL_CTL_ADD, d.stopFd, &unix.EpollEvent{Events: unix.EPOLLIN, Fd: -1})
	}
	if err != nil {
		d.close()
		return nil, fmt.Errorf("httpbench: eventfd: %w", err)
	}
	return d, nil
}

func (d *poller) close() {
	for _, c := range d.conns {
		c.close()
	}
	for _, fd := range []int{d.stopFd, d.epfd} {
		if fd >= 0 {
			unix.Close(fd)
		}
	}
}

func (c *pollConn) close() {
	if c.fd >= 0 {
		unix.Close(c.fd) // which takes it out of the epoll set
		c.fd, c.readable, c.ended, c.n = -1, false, false, 0
		c.resp.reset()
	}
}

// start sends c's next request, dialling first if c is closed.
func (d *poller) start(c *pollConn) {
	c.state, c.wake = connIdle, time.Time{}
	if d.stopping {
		return
	}
	c.q = c.x.next()
	c.out, c.sent = d.t.appendRequest(c.out[:0], c.q), 0
	c.began = time.Now()
	if c.fd < 0 {
		d.dial(c)
		return
	}
	c.state = connWriting
	d.write(c)
}

// dial opens a nonblocking connection for c; the connection's first
// EPOLLOUT says it is done.
func (d *poller) dial(c *pollConn) {
	fd, err := unix.Socket(d.domain, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		d.broken(c, fmt.Errorf("httpbench: socket: %w", err))
		return
	}
	c.fd = fd
	// Requests go out whole, at once, as net.Dial's connections send them.
	if err = unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1); err == nil {
		// Edge-triggered: one registration for the connection's life.
		ev := unix.EpollEvent{Events: unix.EPOLLIN | unix.EPOLLOUT | unix.EPOLLRDHUP | unix.EPOLLET, Fd: c.id}
		err = unix.EpollCtl(d.epfd, unix.EPOLL_CTL_ADD, fd, &ev)
	}
	if err == nil {
		if err = unix.Connect(fd, d.sa); err == unix.EINPROGRESS {
			err = nil
		}
	}
	if err != nil {
		d.broken(c, fmt.Errorf("httpbench: dial %s: %w", d.t.addr, err))
		return
	}
	c.state, c.wake = connConnecting, time.Now().Add(dialTimeout)
}

// event handles what epoll says of c.
func (d *poller) event(c *pollConn, ev uint32) {
	if ev&(unix.EPOLLIN|unix.EPOLLRDHUP|unix.EPOLLHUP|unix.EPOLLERR) != 0 {
		c.readable = true
	}
	if ev&(unix.EPOLLRDHUP|unix.EPOLLHUP|unix.EPOLLERR) != 0 {
		c.ended = true
	}
	out := ev&(unix.EPOLLOUT|unix.EPOLLHUP|unix.EPOLLERR) != 0
	switch {
	case c.state == connConnecting && out:
		errno, err := unix.GetsockoptInt(c.fd, unix.SOL_SOCKET, unix.SO_ERROR)
		if err == nil && errno != 0 {
			err = unix.Errno(errno)
		}
		if err != nil {
			d.broken(c, fmt.Errorf("httpbench: dial %s: %w", d.t.addr, err))
			return
		}
		c.state, c.wake = connWriting, time.Time{}
		d.write(c)
	case c.state == connWriting && out:
		d.write(c)
	case c.state == connReading && c.readable:
		d.read(c)
	case c.state == connIdle && c.readable:
		c.close() // the server closed it, or spoke unasked: dial again
	}
}

// write sends what is left of c's request; when the socket takes no more,
// its next EPOLLOUT goes on.
func (d *poller) write(c *pollConn) {
	for c.sent < len(c.out) {
		n, err := unix.Write(c.fd, c.out[c.sent:])
		switch {
		case err == unix.EAGAIN:
			return
		case err == unix.EINTR:
			continue
		case err != nil:
			d.broken(c, err)
			return
		}
		c.sent += n
	}
	c.state = connReading
	if c.readable {
		d.read(c)
	}
}

// read takes in what the socket holds and, once the answer is whole,
// hands it to c's client and starts its next request.
func (d *poller) read(c *pollConn) {
	eof := false
	for c.readable {
		if c.n == len(c.in) {
			c.in = append(c.in, make([]byte, max(16<<10, len(c.in)))...)
		}
		n, err := unix.Read(c.fd, c.in[c.n:])
		switch {
		case err == unix.EINTR:
			continue
		case err == unix.EAGAIN:
			c.readable = false
		case err != nil:
			d.broken(c, err)
			return
		case n == 0:
			eof, c.readable = true, false
		default:
			c.n += n
			// A short read leaves nothing behind, and edge-triggered
			// epoll tells when more comes; but once the peer has
			// closed, nothing more comes: read on to the end.
			c.readable = c.n == len(c.in) || c.ended
		}
	}
	used, complete, err := c.resp.parse(c.in[:c.n], eof)
	if err != nil {
		d.broken(c, err)
		return
	}
	if !complete {
		c.n = copy(c.in, c.in[used:c.n])
		return
	}
	err = answer(c.x, c.q, &c.resp, time.Since(c.began))
	c.n = copy(c.in, c.in[used:c.n]) // none, from a server that waits to be asked
	if closing := c.resp.closing || eof; closing {
		c.close()
	}
	c.resp.reset()
	if err != nil {
		d.pause(c, err)
		return
	}
	d.start(c)
}

// broken closes c after a transport error and pauses its client.
func (d *poller) broken(c *pollConn, err error) {
	c.close()
	d.pause(c, err)
}

// pause tells c's client that its request failed (unless the load is
// stopping) and sends its next one after errorPause.
func (d *poller) pause(c *pollConn, err error) {
	if !d.stopping {
		c.x.fail(err)
	}
	c.state, c.wake = connIdle, time.Now().Add(errorPause)
}

// timeout is how long epoll_wait may wait: until the first pause or dial
// deadline, or for ever.
func (d *poller) timeout() int {
	var first time.Time
	for _, c := range d.conns {
		if !c.wake.IsZero() && (first.IsZero() || c.wake.Before(first)) {
			first = c.wake
		}
	}
	if first.IsZero() {
		return -1
	}
	return int(max(0, (time.Until(first)+time.Millisecond-1)/time.Millisecond))
}

// expire restarts the paused clients whose pause is over and fails the
// dials past their deadline.
func (d *poller) expire() {
	var now time.Time
	for _, c := range d.conns {
		if c.wake.IsZero() {
			continue
		}
		if now.IsZero() {
			now = time.Now()
		}
		if now.Before(c.wake) {
			continue
		}
		if c.state == connConnecting {
			d.broken(c, errors.New("httpbench: dial "+d.t.addr+": timed out"))
		} else {
			d.start(c)
		}
	}
}
