package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/vpool/vpool/internal/httpbench"
	"github.com/vpool/vpool/internal/pgtest"
	"github.com/vpool/vpool/store"
)

// The crash test of `vpool serve`: the real binary runs as a child
// process on loopback; concurrent clients drive mutations (some failing in
// the engine) while the child is killed with SIGKILL at random moments and
// restarted on the same data directory. After every kill it checks that
// `vpool verify` passes, that the restarted server holds exactly the
// from-scratch replay of the log (same seq and state hash), that every
// command it acknowledged is in the log with the outcome it answered, and
// that the log has no gap; the server must then take commands again. It
// ends with a SIGTERM, a final verify and a check of the whole log.
//
// VPOOL_CRASH_SEED=N replays the kill schedule and the clients' choices of
// a logged run (timing still varies).

const (
	crashKills        = 20 // kills under load (at least the 20)
	crashShortKills   = 4  // with -short
	crashClients      = 8
	crashUsers        = 4
	crashReadyTimeout = 60 * time.Second
)

func TestCrashKillNineAndRestart(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs SIGKILL and SIGTERM semantics")
	}
	kills := crashKills
	if testing.Short() {
		kills = crashShortKills
	}
	crashTest(t, newCrashHarness(t, ""), kills, !testing.Short())
}

// crashPostgresKills is the PostgreSQL crash test's kills: fewer, since
// the SQLite test covers what is the store's own; here every restart
// must retake the market's lease.
const crashPostgresKills = 6

// TestCrashKillNineAndRestartOnPostgres is the crash test on a PostgreSQL
// store, the server run as a standby (it leads once the killed one's
// lease is gone) and snapshotting every 500 commands.
func TestCrashKillNineAndRestartOnPostgres(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs SIGKILL and SIGTERM semantics")
	}
	h := newCrashHarness(t, pgtest.URL(t), "--standby", "--snapshot-every", "500")
	crashTest(t, h, crashPostgresKills, false)
}

// crashTest kills h's server kills times under load; with snapRound, one
// late round runs past serve's default snapshot interval.
func crashTest(t *testing.T, h *crashHarness, kills int, withSnapRound bool) {
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("VPOOL_CRASH_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("VPOOL_CRASH_SEED=%q: %v", s, err)
		}
	}
	t.Logf("seed %d (VPOOL_CRASH_SEED=%d replays this run's choices)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 0xc4a5))
	began := time.Now()

	admin := h.createKey("admin", "")
	h.admin = admin
	users := make([]*httpbench.User, crashUsers)
	for i := range users {
		account := fmt.Sprintf("crash-u%d", i)
		users[i] = &httpbench.User{Account: account, Key: h.createKey("user", account)}
	}

	h.start()
	market, err := httpbench.Setup(context.Background(), h.client, admin, users,
		httpbench.SetupOptions{Asset: "USDC", Pools: 3, Covers: 3})
	if err != nil {
		h.fatalf("setup: %v", err)
	}
	h.setupSwap(users[0])
	load, err := httpbench.NewLoad(market, crashClients, httpbench.Mix{ReadRatio: 0.1, BadRatio: 0.15, BatchRatio: 0.25}, seed)
	if err != nil {
		t.Fatal(err)
	}
	acked := newAckLedger()
	load.Observe = acked.record

	// One of the last rounds runs long enough for the server to take a
	// snapshot (serve snapshots every 50,000 commands after a start) and
	// is killed soon after, perhaps while it writes it; the rounds after it
	// recover from snapshot + tail. (Late, because every verify after it
	// replays the whole, longer log.)
	snapRound := -1
	if withSnapRound {
		snapRound = kills - 2 - rng.IntN(3)
	}
	var startupKills int
	var verifyTime time.Duration
	roundsFromSnapshot := 0
	for round := 1; round <= kills; round++ {
		// A swap each way, then drive the server and kill it at a random
		// moment.
		h.swapBothWays(acked, users[0])
		runFor := time.Duration(30+rng.IntN(570)) * time.Millisecond
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan httpbench.Stats, 1)
		client := h.client
		go func() { done <- load.Run(ctx, client, 0) }()
		if round == snapRound {
			runFor = h.runUntil(acked, snapshotEvery+rng.IntN(2000), 60*time.Second)
		} else {
			time.Sleep(runFor)
		}
		h.kill()
		cancel()
		stats := <-done

		verifyBegan := time.Now()
		rep := h.verify()
		verifyTime += time.Since(verifyBegan)
		if rep.SnapshotSeq > 0 {
			roundsFromSnapshot++
		}
		if rep.Commands < int(acked.maxSeq()) {
			h.fatalf("round %d: the log holds %d commands, but seq %d was acknowledged", round, rep.Commands, acked.maxSeq())
		}

		// Sometimes kill it again while it recovers.
		if rng.IntN(4) == 0 {
			h.startNoWait()
			time.Sleep(time.Duration(rng.IntN(40)) * time.Millisecond)
			h.kill()
			startupKills++
			rep = h.verify()
		}

		h.start()
		head := h.checkRecovered(rep)
		h.checkLog(acked, head)
		h.checkAcceptsCommands(acked, head)
		t.Logf("round %2d: ran %4dms, %5d commands acknowledged (%4d refused by the engine), log at seq %d, snapshot at %d",
			round, runFor.Milliseconds(), stats.Mutations, stats.MutationsFailed, head+1, rep.SnapshotSeq)
	}

	// A graceful stop under load: what it answers must be durable too.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan httpbench.Stats, 1)
	client := h.client
	go func() { done <- load.Run(ctx, client, 0) }()
	time.Sleep(time.Duration(100+rng.IntN(200)) * time.Millisecond)
	h.terminate()
	cancel()
	<-done
	rep := h.verify()
	h.checkWholeLog(acked, uint64(rep.Commands))
	// Snapshots are saved in the background, so a kill may beat the first
	// one; a graceful stop waits for it, so after the snapshot round there
	// must be one (-short runs too few commands for any).
	if withSnapRound && rep.SnapshotSeq == 0 {
		t.Fatalf("no snapshot after %d commands", rep.Commands)
	}
	if acked.count() < 20*kills {
		t.Fatalf("only %d commands acknowledged over %d rounds: the load hardly ran", acked.count(), kills)
	}
	t.Logf("%d kills under load, %d during recovery, %d restarts (%d reported cutting a damaged tail), %d verified from a snapshot; %d commands logged, %d acknowledged; verify took %.1fs of %.1fs",
		kills, startupKills, h.starts-1, h.cuts, roundsFromSnapshot, rep.Commands, acked.count(), verifyTime.Seconds(), time.Since(began).Seconds())
}

// snapshotEvery is serve's snapshot interval (server.Options' default),
// counted from each start.
const snapshotEvery = 50_000

// runUntil waits until n more commands are acknowledged, or limit passes,
// and returns how long it waited.
func (h *crashHarness) runUntil(acked *ackLedger, n int, limit time.Duration) time.Duration {
	began := time.Now()
	if err := acked.await(acked.count()+n, limit); err != nil {
		h.fatalf("%v", err)
	}
	return time.Since(began)
}

// crashHarness runs the vpool binary on one store.
type crashHarness struct {
	t   *testing.T
	bin string
	// location is the store: a data directory or a postgres:// URL;
	// storeFlags name it on a command line.
	location   string
	storeFlags []string
	// serveArgs are added to every `vpool serve`.
	serveArgs []string
	admin     string // an admin key, for the checks
	tmp       string
	client    *httpbench.Client
	addr      string
	cmd       *exec.Cmd
	exited    chan error
	log       string // the current child's log file
	starts    int
	cuts      int // damaged tails recovery reported cutting
}

// newCrashHarness runs vpool on the store at location (empty: a new data
// directory), with serveArgs added to `vpool serve`.
func newCrashHarness(t *testing.T, location string, serveArgs ...string) *crashHarness {
	tmp := t.TempDir()
	h := &crashHarness{t: t, tmp: tmp, location: location, serveArgs: serveArgs, bin: vpoolBinary(t)}
	if location == "" {
		h.location = filepath.Join(tmp, "data")
	}
	h.storeFlags = []string{"--data", h.location}
	if store.IsPostgresURL(location) {
		h.storeFlags = []string{"--store", location}
	}
	t.Cleanup(func() {
		if h.cmd != nil && h.exited != nil {
			h.cmd.Process.Kill()
			<-h.exited
		}
		if h.client != nil {
			h.client.Close()
		}
	})
	return h
}

// fatalf fails the test, showing the end of the current child's log.
func (h *crashHarness) fatalf(format string, args ...any) {
	h.t.Helper()
	h.t.Fatalf("%s\n--- end of %s:\n%s", fmt.Sprintf(format, args...), filepath.Base(h.log), tailOf(h.log, 30))
}

// vpool runs the binary to completion and returns its stdout.
func (h *crashHarness) vpool(args ...string) (string, error) {
	cmd := exec.Command(h.bin, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if err != nil {
		err = fmt.Errorf("vpool %s: %w\n%s%s", strings.Join(args, " "), err, out.String(), errOut.String())
	}
	return out.String(), err
}

func (h *crashHarness) createKey(role, account string) string {
	args := append([]string{"keys", "create", "--role", role}, h.storeFlags...)
	if account != "" {
		args = append(args, "--account", account)
	}
	out, err := h.vpool(args...)
	if err != nil {
		h.t.Fatal(err)
	}
	return strings.TrimSpace(out)
}

// startNoWait starts `vpool serve --dev` on a free loopback port.
func (h *crashHarness) startNoWait() {
	h.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		h.t.Fatal(err)
	}
	h.addr = ln.Addr().String()
	ln.Close()
	h.starts++
	h.log = filepath.Join(h.tmp, fmt.Sprintf("serve-%02d.log", h.starts))
	logFile, err := os.Create(h.log)
	if err != nil {
		h.t.Fatal(err)
	}
	defer logFile.Close()
	h.cmd = exec.Command(h.bin, append(append([]string{"serve", "--dev", "--addr", h.addr}, h.storeFlags...), h.serveArgs...)...)
	h.cmd.Stdout, h.cmd.Stderr = logFile, logFile
	if err := h.cmd.Start(); err != nil {
		h.t.Fatal(err)
	}
	h.exited = make(chan error, 1)
	go func(cmd *exec.Cmd, exited chan error) { exited <- cmd.Wait() }(h.cmd, h.exited)
	if h.client != nil {
		h.client.Close()
	}
	if h.client, err = httpbench.NewClient(h.addr, crashClients); err != nil {
		h.t.Fatal(err)
	}
}

// start starts the server and waits until it is ready to take commands.
func (h *crashHarness) start() {
	h.t.Helper()
	h.startNoWait()
	deadline := time.Now().Add(crashReadyTimeout)
	retries := 3
	for {
		select {
		case err := <-h.exited:
			h.exited = nil
			// The free port found may have been taken before the child bound it.
			if data, _ := os.ReadFile(h.log); retries > 0 && bytes.Contains(data, []byte("address already in use")) {
				retries--
				h.startNoWait()
				continue
			}
			h.fatalf("vpool serve exited during start-up: %v", err)
		default:
		}
		// Ready as the leader: a standby is ready (for reads) first.
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		body, err := h.client.Do(ctx, "GET", "/readyz", "", nil)
		cancel()
		if err == nil && string(body) == "ready: leader\n" {
			break
		}
		if err == nil {
			err = fmt.Errorf("readyz: %q", body)
		}
		if time.Now().After(deadline) {
			h.fatalf("vpool serve not ready after %s: %v", crashReadyTimeout, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if data, err := os.ReadFile(h.log); err == nil && bytes.Contains(data, []byte("cut a damaged log tail")) {
		h.cuts++
	}
}

// kill sends SIGKILL and waits for the child to be gone.
func (h *crashHarness) kill() {
	h.t.Helper()
	if err := h.cmd.Process.Kill(); err != nil {
		h.fatalf("kill: %v", err)
	}
	<-h.exited
	h.exited = nil
}

// terminate sends SIGTERM and requires a clean exit.
func (h *crashHarness) terminate() {
	h.t.Helper()
	if err := h.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		h.fatalf("SIGTERM: %v", err)
	}
	select {
	case err := <-h.exited:
		h.exited = nil
		if err != nil {
			h.fatalf("vpool serve after SIGTERM: %v", err)
		}
	case <-time.After(45 * time.Second):
		h.fatalf("vpool serve still running 45s after SIGTERM")
	}
	if data, _ := os.ReadFile(h.log); !bytes.Contains(data, []byte("store closed")) {
		h.fatalf("the graceful stop did not log closing the store")
	}
}

// verifyReport is the part of `vpool verify`'s report the test reads.
type verifyReport struct {
	OK             bool   `json:"ok"`
	Commands       int    `json:"commands"`
	SnapshotSeq    uint64 `json:"snapshotSeq"`
	FullReplayHash string `json:"fullReplayHash"`
	RecoveredHash  string `json:"recoveredHash"`
}

// verify runs `vpool verify` on the stopped server's data: it must pass.
func (h *crashHarness) verify() verifyReport {
	h.t.Helper()
	out, err := h.vpool(append([]string{"verify"}, h.storeFlags...)...)
	if err != nil {
		h.fatalf("%v", err)
	}
	var rep verifyReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil || !rep.OK || rep.FullReplayHash == "" || rep.FullReplayHash != rep.RecoveredHash {
		h.fatalf("vpool verify: %v\n%s", err, out)
	}
	return rep
}

// checkRecovered requires the restarted server to hold the state the
// from-scratch replay reached, at the last logged seq; it returns it.
func (h *crashHarness) checkRecovered(rep verifyReport) uint64 {
	h.t.Helper()
	_, hdr, err := h.client.DoHeader(context.Background(), "GET", "/v1/state", h.admin, nil)
	if err != nil {
		h.fatalf("GET /v1/state: %v", err)
	}
	seq, err := strconv.ParseUint(hdr.Get("X-Vpool-Seq"), 10, 64)
	if err != nil || seq != uint64(rep.Commands) {
		h.fatalf("after restart the server is at seq %q, the log holds %d commands", hdr.Get("X-Vpool-Seq"), rep.Commands)
	}
	if got := hdr.Get("X-Vpool-State-Hash"); got != rep.FullReplayHash {
		h.fatalf("after restart the state hash is %q; replaying the log from scratch gives %q", got, rep.FullReplayHash)
	}
	return seq
}

// checkLog reads the log through GET /v1/events, page by page, from where
// the last check stopped to head: seqs follow each other, and every
// acknowledged command is there with the outcome the server answered.
func (h *crashHarness) checkLog(acked *ackLedger, head uint64) {
	h.t.Helper()
	after := acked.checked
	for after < head {
		var page struct {
			Events []json.RawMessage `json:"events"`
			Next   uint64            `json:"next"`
			More   bool              `json:"more"`
		}
		path := fmt.Sprintf("/v1/events?after=%d&limit=1000", after)
		if err := h.client.Get(context.Background(), h.admin, path, &page); err != nil {
			h.fatalf("GET %s: %v", path, err)
		}
		if len(page.Events) == 0 {
			h.fatalf("GET %s: no events, but the log reaches seq %d", path, head)
		}
		for _, raw := range page.Events {
			var o httpbench.Outcome
			if err := json.Unmarshal(raw, &o); err != nil {
				h.fatalf("event after %d: %v: %s", after, err, raw)
			}
			if o.Seq != after+1 {
				h.fatalf("the log goes from seq %d to %d", after, o.Seq)
			}
			if err := acked.matches(o); err != nil {
				h.fatalf("%v", err)
			}
			after = o.Seq
		}
	}
	if missing := acked.above(head); len(missing) > 0 {
		h.fatalf("acknowledged commands lost in the crash: seqs %v (the log ends at %d)", missing, head)
	}
	acked.checked = head
}

// setupSwap adds a second token and a pair of it with USDC, in which u
// provides liquidity.
func (h *crashHarness) setupSwap(u *httpbench.User) {
	h.t.Helper()
	if err := setUpSwap(context.Background(), h.client, h.admin, u); err != nil {
		h.fatalf("%v", err)
	}
}

// swapBothWays has u swap USDC for WETH and back, recording what is
// acknowledged.
func (h *crashHarness) swapBothWays(acked *ackLedger, u *httpbench.User) {
	h.t.Helper()
	if _, err := swapBothWays(context.Background(), h.client, acked, u); err != nil {
		h.fatalf("%v", err)
	}
}

// setUpSwap adds a second token, WETH, and a pair of it with USDC, in
// which u provides liquidity (the server runs with --dev, so the admin
// mints).
func setUpSwap(ctx context.Context, c *httpbench.Client, admin string, u *httpbench.User) error {
	adminCmds := []httpbench.Command{
		httpbench.Cmd("addAsset", map[string]any{"symbol": "WETH", "decimals": 18}),
		httpbench.Cmd("createPair", map[string]any{"tokenA": "USDC", "tokenB": "WETH"}),
		httpbench.Cmd("mint", map[string]any{"to": u.Account, "asset": "USDC", "amount": "1000000000000"}),
		httpbench.Cmd("mint", map[string]any{"to": u.Account, "asset": "WETH", "amount": "1000000000000"}),
	}
	user := httpbench.Cmd("pairDeposit", map[string]any{"tokenA": "USDC", "tokenB": "WETH", "amountA": "500000000000", "amountB": "500000000000"})
	for _, sent := range []struct {
		key  string
		cmds []httpbench.Command
	}{{admin, adminCmds}, {u.Key, []httpbench.Command{user}}} {
		if _, err := submitAllOK(ctx, c, sent.key, sent.cmds...); err != nil {
			return fmt.Errorf("swap setup: %w", err)
		}
	}
	return nil
}

// swapBothWays has u swap USDC for WETH and back (exact in, then exact
// out through the best route), records what is acknowledged in acked and
// returns it.
func swapBothWays(ctx context.Context, c *httpbench.Client, acked *ackLedger, u *httpbench.User) ([]httpbench.Outcome, error) {
	cmds := []httpbench.Command{
		httpbench.Cmd("swapNative", map[string]any{"path": []string{"USDC", "WETH"}, "amountIn": "1000000"}),
		httpbench.Cmd("swap", map[string]any{"tokenIn": "WETH", "tokenOut": "USDC", "amountOut": "900000"}),
	}
	outs, err := submitAllOK(ctx, c, u.Key, cmds...)
	if err != nil {
		return nil, fmt.Errorf("swaps: %w", err)
	}
	acked.record(cmds, outs)
	return outs, nil
}

// submitAllOK submits cmds and requires every one to succeed.
func submitAllOK(ctx context.Context, c *httpbench.Client, key string, cmds ...httpbench.Command) ([]httpbench.Outcome, error) {
	outs, err := c.Submit(ctx, key, cmds...)
	if err != nil {
		return nil, err
	}
	for _, o := range outs {
		if !o.OK {
			return nil, fmt.Errorf("%s: %s", o.Op, outcomeText(o))
		}
	}
	return outs, nil
}

// checkAcceptsCommands requires the server to take a command and number it
// right after the recovered log.
func (h *crashHarness) checkAcceptsCommands(acked *ackLedger, head uint64) {
	h.t.Helper()
	outs, err := h.client.Submit(context.Background(), h.admin, httpbench.Cmd("check", nil))
	if err != nil {
		h.fatalf("the restarted server refuses a command: %v", err)
	}
	if o := outs[0]; !o.OK || o.Seq != head+1 {
		h.fatalf("the first command after restart: %+v, want ok at seq %d", o, head+1)
	}
	acked.record(nil, outs)
}

// checkWholeLog reads the stopped server's log straight from the store:
// seqs 1 to n without a gap, every acknowledged command present with its
// answered outcome.
func (h *crashHarness) checkWholeLog(acked *ackLedger, n uint64) {
	h.t.Helper()
	checkWholeLog(h.t, h.location, acked, n)
}

// checkWholeLog is the check of crashHarness.checkWholeLog on the store at
// location.
func checkWholeLog(t *testing.T, location string, acked *ackLedger, n uint64) {
	t.Helper()
	st, err := store.OpenShared(context.Background(), location)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var seq uint64
	var present int
	err = st.Records(context.Background(), 0, 0, func(r store.Record) error {
		if r.Seq != seq+1 {
			return fmt.Errorf("the log goes from seq %d to %d", seq, r.Seq)
		}
		seq = r.Seq
		var o httpbench.Outcome
		if err := json.Unmarshal(r.Outcome, &o); err != nil {
			return fmt.Errorf("seq %d: outcome %s: %w", r.Seq, r.Outcome, err)
		}
		if o.Seq != r.Seq || o.At != r.At || o.Op != r.Op {
			return fmt.Errorf("seq %d: the record (at %d, %s) and its outcome %s disagree", r.Seq, r.At, r.Op, r.Outcome)
		}
		if acked.has(r.Seq) {
			present++
		}
		return acked.matches(o)
	})
	if err != nil {
		t.Fatal(err)
	}
	if seq != n {
		t.Fatalf("the store holds %d commands, verify replayed %d", seq, n)
	}
	if missing := acked.above(seq); len(missing) > 0 {
		t.Fatalf("acknowledged commands missing from the log: %v (it ends at %d)", missing, seq)
	}
	if present != acked.count() {
		t.Fatalf("%d acknowledged commands found in the log, %d acknowledged", present, acked.count())
	}
}

// ackLedger is every outcome the server acknowledged, by seq.
type ackLedger struct {
	mu      sync.Mutex
	bySeq   map[uint64]httpbench.Outcome
	dups    []string
	checked uint64 // the log has been checked through this seq
}

func newAckLedger() *ackLedger { return &ackLedger{bySeq: map[uint64]httpbench.Outcome{}} }

// record keeps acknowledged outcomes; a seq acknowledged twice means the
// server gave a durable number to two commands.
func (a *ackLedger) record(cmds []httpbench.Command, outs []httpbench.Outcome) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for i, o := range outs {
		if cmds != nil && o.Op != cmds[i].Op {
			a.dups = append(a.dups, fmt.Sprintf("seq %d answered for %s, sent %s", o.Seq, o.Op, cmds[i].Op))
		}
		if prev, ok := a.bySeq[o.Seq]; ok {
			a.dups = append(a.dups, fmt.Sprintf("seq %d acknowledged twice: %s then %s", o.Seq, prev.Op, o.Op))
		}
		a.bySeq[o.Seq] = o
	}
}

func (a *ackLedger) has(seq uint64) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	_, ok := a.bySeq[seq]
	return ok
}

func (a *ackLedger) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.bySeq)
}

// await waits until n commands are acknowledged in all, for at most
// limit.
func (a *ackLedger) await(n int, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for a.count() < n {
		if time.Now().After(deadline) {
			return fmt.Errorf("%d of %d commands acknowledged after %s", a.count(), n, limit)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return nil
}

func (a *ackLedger) maxSeq() uint64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	var m uint64
	for s := range a.bySeq {
		m = max(m, s)
	}
	return m
}

// above lists the acknowledged seqs beyond the end of the log.
func (a *ackLedger) above(end uint64) []uint64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []uint64
	for s := range a.bySeq {
		if s > end {
			out = append(out, s)
		}
	}
	return out
}

// matches checks a logged outcome against the acknowledged one, if any.
func (a *ackLedger) matches(logged httpbench.Outcome) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.dups) > 0 {
		return errors.New(strings.Join(a.dups, "; "))
	}
	ack, ok := a.bySeq[logged.Seq]
	if !ok {
		return nil
	}
	if ack.At != logged.At || ack.Op != logged.Op || ack.OK != logged.OK || ack.Error != logged.Error ||
		ack.Message != logged.Message || !sameJSON(ack.Result, logged.Result) {
		return fmt.Errorf("seq %d: acknowledged %s, logged %s", logged.Seq, outcomeText(ack), outcomeText(logged))
	}
	return nil
}

func sameJSON(a, b json.RawMessage) bool {
	var ca, cb bytes.Buffer
	if len(a) == 0 || len(b) == 0 {
		return len(bytes.TrimSpace(a)) == len(bytes.TrimSpace(b))
	}
	if json.Compact(&ca, a) != nil || json.Compact(&cb, b) != nil {
		return bytes.Equal(a, b)
	}
	return bytes.Equal(ca.Bytes(), cb.Bytes())
}

func outcomeText(o httpbench.Outcome) string {
	data, _ := json.Marshal(o)
	return string(data)
}

// tailOf is the last n lines of a file.
func tailOf(path string, n int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
