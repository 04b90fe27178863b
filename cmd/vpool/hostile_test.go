package main

import (
	"bufio"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The reproduction of issue 12, item 1, against a real `vpool serve`: an
// unauthenticated client announcing a body it never sends, with a
// stream's Accept header, used to switch the server's deadlines off and
// hold its connection forever, so that SIGTERM waited the whole 30 s
// drain. Now it gets its 401 at once, and SIGTERM stops the server
// promptly.
func TestAnUnauthenticatedSilentBodyHoldsNothing(t *testing.T) {
	p := startServeProcess(t, "--data", t.TempDir())
	conn, err := net.Dial("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.Write([]byte("POST /v1/commands HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\nContent-Length: 1000\r\n\r\n"))
	began := time.Now()
	conn.SetReadDeadline(began.Add(5 * time.Second))
	status, _ := bufio.NewReader(conn).ReadString('\n')
	answered := time.Since(began)

	// Another such client is connected when the signal comes.
	held, err := net.Dial("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	held.Write([]byte("POST /v1/commands HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\nContent-Length: 1000\r\n\r\n"))
	time.Sleep(100 * time.Millisecond)
	began = time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err = p.wait(t, 45*time.Second)
	stopped := time.Since(began)

	t.Logf("answered %q after %v; SIGTERM to exit: %v", strings.TrimSpace(status), answered.Round(time.Millisecond), stopped.Round(time.Millisecond))
	if !strings.HasPrefix(status, "HTTP/1.1 401 ") || answered > 2*time.Second {
		t.Errorf("the silent-body request got %q after %v, want a 401 at once", strings.TrimSpace(status), answered.Round(time.Millisecond))
	}
	if err != nil || stopped > 5*time.Second {
		t.Errorf("SIGTERM with the client connected: exit %v after %v, want a clean exit within 5s", err, stopped.Round(time.Millisecond))
	}
}
