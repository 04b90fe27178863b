package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vpool/vpool/internal/httpbench"
	"github.com/vpool/vpool/internal/pgtest"
)

// The fail-over tests run two `vpool serve --standby` processes on one
// PostgreSQL market under load: the first leads, the second stands by;
// the leader dies (SIGKILL) or is paused (SIGSTOP) and the standby takes
// over. Every command either acknowledged is in the log once, with the
// outcome answered, and the log replays (vpool verify).

// failoverMarket is a PostgreSQL market with its keys, and a load over it.
type failoverMarket struct {
	t       *testing.T
	url     string
	admin   string
	users   []*httpbench.User
	market  *httpbench.Market
	load    *httpbench.Load
	acked   *ackLedger
	clients map[*serveProcess]*httpbench.Client
}

func newFailoverMarket(t *testing.T) *failoverMarket {
	t.Helper()
	f := &failoverMarket{t: t, url: pgtest.URL(t), acked: newAckLedger(), clients: map[*serveProcess]*httpbench.Client{}}
	f.admin = f.key("admin", "")
	for i := range 4 {
		account := fmt.Sprintf("fo-u%d", i)
		f.users = append(f.users, &httpbench.User{Account: account, Key: f.key("user", account)})
	}
	return f
}

func (f *failoverMarket) key(role, account string) string {
	f.t.Helper()
	args := []string{"keys", "create", "--store", f.url, "--role", role}
	if account != "" {
		args = append(args, "--account", account)
	}
	out, errOut, err := runVpool(f.t, args...)
	if err != nil {
		f.t.Fatalf("keys create: %v\n%s", err, errOut)
	}
	return strings.TrimSpace(out)
}

// node starts `vpool serve --standby` on the market with a lease of ttl.
func (f *failoverMarket) node(ttl time.Duration) *serveProcess {
	f.t.Helper()
	return startServeProcess(f.t, "--store", f.url, "--standby", "--dev", "--lease-ttl", ttl.String())
}

// role waits until p's /readyz names role, and returns how long it took.
func role(t *testing.T, p *serveProcess, want string, limit time.Duration) time.Duration {
	t.Helper()
	began := time.Now()
	for {
		got := ""
		resp, err := http.Get("http://" + p.addr + "/readyz")
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			got = strings.TrimSpace(string(body))
		}
		if got == "ready: "+want {
			return time.Since(began)
		}
		if time.Since(began) > limit {
			t.Fatalf("%s is %q (%v), not a %s, after %s:\n%s", p.addr, got, err, want, limit, p.log.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// setUp builds the bench market through p and prepares the load.
func (f *failoverMarket) setUp(p *serveProcess) {
	f.t.Helper()
	c := f.client(p)
	var err error
	f.market, err = httpbench.Setup(context.Background(), c, f.admin, f.users, httpbench.SetupOptions{Asset: "USDC", Pools: 3, Covers: 3})
	if err != nil {
		f.t.Fatalf("setup: %v\n%s", err, p.log.String())
	}
	f.load, err = httpbench.NewLoad(f.market, 8, httpbench.Mix{ReadRatio: 0.1, BadRatio: 0.1, BatchRatio: 0.25}, uint64(time.Now().UnixNano()))
	if err != nil {
		f.t.Fatal(err)
	}
	f.load.Observe = f.acked.record
}

// client is the client of p's API, made on first use.
func (f *failoverMarket) client(p *serveProcess) *httpbench.Client {
	f.t.Helper()
	if c, ok := f.clients[p]; ok {
		return c
	}
	c, err := httpbench.NewClient(p.addr, 8)
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(c.Close)
	f.clients[p] = c
	return c
}

// drive runs the load on p until stop is called, which returns its stats.
func (f *failoverMarket) drive(p *serveProcess) (stop func() httpbench.Stats) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan httpbench.Stats, 1)
	c := f.client(p)
	go func() { done <- f.load.Run(ctx, c, 0) }()
	return func() httpbench.Stats { cancel(); return <-done }
}

// finish stops the leader p gracefully, verifies the log and checks every
// acknowledged command is in it once, with its answered outcome.
func (f *failoverMarket) finish(p *serveProcess) verifyReport {
	f.t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	if err := p.wait(f.t, 45*time.Second); err != nil {
		f.t.Fatalf("the new leader after SIGTERM: %v\n%s", err, p.log.String())
	}
	out, errOut, err := runVpool(f.t, "verify", "--store", f.url)
	var rep verifyReport
	if err != nil || json.Unmarshal([]byte(out), &rep) != nil || !rep.OK {
		f.t.Fatalf("vpool verify: %v\n%s%s", err, out, errOut)
	}
	checkWholeLog(f.t, f.url, f.acked, uint64(rep.Commands))
	return rep
}

func TestStandbyTakesOverAfterKillNine(t *testing.T) {
	f := newFailoverMarket(t)
	a := f.node(2 * time.Second)
	role(t, a, "leader", 30*time.Second)
	b := f.node(2 * time.Second)
	role(t, b, "standby", 30*time.Second)
	f.setUp(a)

	stop := f.drive(a)
	time.Sleep(500 * time.Millisecond)
	a.cmd.Process.Kill()
	tookOver := role(t, b, "leader", 15*time.Second)
	onA := stop()
	beforeB := f.acked.maxSeq()

	stop = f.drive(b)
	time.Sleep(500 * time.Millisecond)
	onB := stop()
	if onA.Mutations == 0 || onB.Mutations == 0 || f.acked.maxSeq() <= beforeB {
		t.Fatalf("the load hardly ran: %d mutations on the leader, %d on the standby after it took over", onA.Mutations, onB.Mutations)
	}
	rep := f.finish(b)
	t.Logf("the standby led %s after the leader's SIGKILL; %d commands acknowledged by the old leader, %d by the new; %d logged",
		tookOver.Round(time.Millisecond), onA.Mutations, onB.Mutations, rep.Commands)
}

func TestPausedLeaderIsFencedWhenItResumes(t *testing.T) {
	f := newFailoverMarket(t)
	a := f.node(time.Second)
	role(t, a, "leader", 30*time.Second)
	b := f.node(time.Second)
	role(t, b, "standby", 30*time.Second)
	f.setUp(a)

	stop := f.drive(a)
	time.Sleep(300 * time.Millisecond)
	if err := a.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	resumed := false
	defer func() {
		if !resumed {
			a.cmd.Process.Signal(syscall.SIGCONT)
		}
	}()
	tookOver := role(t, b, "leader", 15*time.Second)
	onA := stop() // its requests in flight are abandoned: never acknowledged

	stop = f.drive(b)
	time.Sleep(300 * time.Millisecond)
	a.cmd.Process.Signal(syscall.SIGCONT)
	resumed = true
	// The old leader finds it lost the lease and exits; it acknowledges
	// nothing meanwhile (a command sent to it now is not taken).
	outs, err := f.client(a).Submit(context.Background(), f.admin, httpbench.Cmd("check", nil))
	if err == nil {
		t.Fatalf("the resumed old leader took a command: %+v", outs)
	}
	if err := a.wait(t, 15*time.Second); err == nil || !strings.Contains(a.log.String(), "fenced") {
		t.Fatalf("the resumed old leader exited with %v; want a failure saying it was fenced:\n%s", err, a.log.String())
	}
	time.Sleep(200 * time.Millisecond)
	onB := stop()
	if onA.Mutations == 0 || onB.Mutations == 0 {
		t.Fatalf("the load hardly ran: %d mutations on the leader, %d on the standby", onA.Mutations, onB.Mutations)
	}
	rep := f.finish(b)
	t.Logf("the standby led %s after the leader's SIGSTOP (lease 1s); the old leader, resumed, was fenced; %d commands logged",
		tookOver.Round(time.Millisecond), rep.Commands)
}
