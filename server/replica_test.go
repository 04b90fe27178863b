package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/vpool/vpool/internal/pgtest"
	"github.com/vpool/vpool/scenario"
	"github.com/vpool/vpool/store"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// answerSeq is the X-Vpool-Seq of an answer.
func answerSeq(t *testing.T, h http.Header) uint64 {
	t.Helper()
	seq, err := strconv.ParseUint(h.Get("X-Vpool-Seq"), 10, 64)
	if err != nil {
		t.Fatalf("X-Vpool-Seq %q: %v", h.Get("X-Vpool-Seq"), err)
	}
	return seq
}

// A follower names its role in /readyz and /metrics, refuses commands
// (421 naming the leader, NotLeaderError in Go), and holds a read until
// its ?minSeq=: the edge cases. That its answers and event stream are the
// leader's is cmd/vpool's TestFollowersAnswerAsTheLeader, over real
// processes.
func TestFollowerRefusesCommandsAndAwaitsMinSeq(t *testing.T) {
	url := pgtest.URL(t)
	leader := newTestAPINode(t, HandlerOptions{Dev: true}, Options{Store: url, Address: "http://leader.test:8080"})
	leader.seed()
	follower := newTestAPINode(t, HandlerOptions{MinSeqWait: 300 * time.Millisecond}, Options{Store: url, Role: Follow})
	if follower.n.Leading() || follower.n.Role() != Follow || !leader.n.Leading() {
		t.Fatalf("roles: leader leads %v, follower leads %v as %s", leader.n.Leading(), follower.n.Leading(), follower.n.Role())
	}
	for _, node := range []struct {
		ta            *testAPI
		ready, leader string
	}{{leader, "ready: leader\n", "vpool_leader 1"}, {follower, "ready: follower\n", "vpool_leader 0"}} {
		if got := node.ta.must(http.StatusOK, "GET", "/readyz", "", "", nil).Body.String(); got != node.ready {
			t.Fatalf("readyz: %q, want %q", got, node.ready)
		}
		if got := node.ta.must(http.StatusOK, "GET", "/metrics", "", "", nil).Body.String(); !strings.Contains(got, "\n"+node.leader+"\n") {
			t.Fatalf("metrics lack %q", node.leader)
		}
	}

	rec := follower.do("POST", "/v1/commands", "bob", `{"op":"openCover","args":{"pool":0,"amount":"1","premiums":"1"}}`)
	if rec.Code != http.StatusMisdirectedRequest || errorCode(t, rec) != codeNotLeader || rec.Header().Get("X-Vpool-Leader") != "http://leader.test:8080" {
		t.Fatalf("a command on the follower: %d %s (X-Vpool-Leader %q)", rec.Code, rec.Body, rec.Header().Get("X-Vpool-Leader"))
	}
	if _, err := follower.n.Submit(context.Background(), []Command{{Op: "check"}}); !errors.As(err, new(*NotLeaderError)) {
		t.Fatalf("Submit on the follower: %v", err)
	}

	head := leader.n.Seq()
	if rec := follower.must(http.StatusOK, "GET", fmt.Sprintf("/v1/pools?minSeq=%d", head), "alice", "", nil); answerSeq(t, rec.Header()) != head {
		t.Fatalf("minSeq=%d answered at seq %s", head, rec.Header().Get("X-Vpool-Seq"))
	}
	began := time.Now()
	rec = follower.do("GET", fmt.Sprintf("/v1/pools?minSeq=%d", head+1), "alice", "")
	if rec.Code != http.StatusServiceUnavailable || errorCode(t, rec) != codeBehind || time.Since(began) < 300*time.Millisecond {
		t.Fatalf("a minSeq never reached: %d %s after %s", rec.Code, rec.Body, time.Since(began))
	}
	if rec := follower.do("GET", "/v1/pools?minSeq=x", "alice", ""); rec.Code != http.StatusBadRequest {
		t.Fatalf("minSeq=x: %d %s", rec.Code, rec.Body)
	}
	// A read asking for a seq the leader has yet to write waits for it.
	read := make(chan uint64, 1)
	go func() {
		rec := follower.do("GET", fmt.Sprintf("/v1/pools/0?minSeq=%d", head+1), "alice", "")
		read <- answerSeq(t, rec.Header())
	}()
	time.Sleep(50 * time.Millisecond)
	leader.submit("alice", `{"op":"takeInterests","args":{"position":0}}`)
	if seq := <-read; seq != head+1 {
		t.Fatalf("the waiting read answered at seq %d, want %d", seq, head+1)
	}
}

// holderPID is the PostgreSQL backend holding the market's advisory lock.
func holderPID(t *testing.T, url string) int {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var pid int
	if err := conn.QueryRow(context.Background(), `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted
		AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`).Scan(&pid); err != nil {
		t.Fatalf("finding the lease's session: %v", err)
	}
	return pid
}

func terminate(t *testing.T, url string, pid int) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), `SELECT pg_terminate_backend($1)`, pid); err != nil {
		t.Fatal(err)
	}
}

// When the leader's lease ends under load, the standby takes over: every
// command either node acknowledged is in the log once, with the outcome
// answered, the seqs run on without a gap, and the old leader is fenced.
func TestStandbyTakesOverUnderLoad(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	leader := newTestAPINode(t, HandlerOptions{Dev: true}, Options{Store: url, Address: "http://a.test", LeaseTTL: time.Second})
	leader.seed()
	standby := newTestAPINode(t, HandlerOptions{}, Options{Store: url, Role: Standby, Address: "http://b.test", LeaseTTL: time.Second})
	if standby.n.Leading() {
		t.Fatal("the standby leads while the leader holds the lease")
	}
	if rec := standby.do("POST", "/v1/commands", "admin", `{"op":"check"}`); rec.Code != http.StatusMisdirectedRequest || rec.Header().Get("X-Vpool-Leader") != "http://a.test" {
		t.Fatalf("a command on the standby: %d %s", rec.Code, rec.Body)
	}

	// Clients submit to whichever node leads, until the standby has taken
	// 50 commands.
	var mu sync.Mutex
	acked := map[uint64]Outcome{}
	var dup []uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for c := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				for _, node := range []*Node{leader.n, standby.n} {
					outs, err := node.Submit(ctx, []Command{{Op: "mint", Args: []byte(fmt.Sprintf(`{"to":"c%d","asset":"USDC","amount":"%d"}`, c, i+1))}})
					if err != nil {
						continue
					}
					mu.Lock()
					if _, ok := acked[outs[0].Seq]; ok {
						dup = append(dup, outs[0].Seq)
					}
					acked[outs[0].Seq] = outs[0]
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(200 * time.Millisecond)
	killed := time.Now()
	terminate(t, url, holderPID(t, url)) // the leader's lease session dies, as with a crash
	for !standby.n.Leading() {
		if time.Since(killed) > 10*time.Second {
			t.Fatal("the standby did not take over within 10s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	tookOver := time.Since(killed)
	select {
	case <-leader.n.Fenced():
	case <-time.After(5 * time.Second):
		t.Fatal("the old leader was not fenced")
	}
	for {
		if _, err := standby.n.Submit(ctx, []Command{{Op: "check"}}); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if standby.n.Seq() > leader.n.Seq()+50 && n > 100 {
			break
		}
	}
	close(stop)
	wg.Wait()
	if _, err := leader.n.Submit(ctx, []Command{{Op: "check"}}); err == nil {
		t.Fatal("the fenced leader still takes commands")
	}
	if len(dup) > 0 {
		t.Fatalf("seqs acknowledged twice: %v", dup)
	}

	var last uint64
	if err := standby.n.Store().Records(ctx, 0, 0, func(r store.Record) error {
		if r.Seq != last+1 {
			return fmt.Errorf("the log goes from seq %d to %d", last, r.Seq)
		}
		last = r.Seq
		if a, ok := acked[r.Seq]; ok {
			mu.Lock()
			delete(acked, r.Seq)
			mu.Unlock()
			if want := mustJSON(a); !jsonEqual(r.Outcome, want) {
				return fmt.Errorf("seq %d: logged %s, acknowledged %s", r.Seq, r.Outcome, want)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(acked) > 0 {
		t.Fatalf("%d acknowledged commands are not in the log (it ends at %d)", len(acked), last)
	}
	var hash string
	standby.n.ReadEngines(func(e *scenario.Engines, _, _ uint64) { hash = e.StateHash() })
	rep, err := Verify(ctx, url)
	if err != nil || rep.FullReplayHash != hash {
		t.Fatalf("verify: %+v %v; the new leader's state hash is %s", rep, err, hash)
	}
	t.Logf("the standby took over %s after the lease's session ended; %d commands logged", tookOver, last)
}

func TestStandbyAndFollowerNeedASharedStore(t *testing.T) {
	for _, role := range []Role{Standby, Follow} {
		_, err := Open(context.Background(), Options{Store: t.TempDir(), Role: role})
		if err == nil {
			t.Fatalf("a %s on a data directory opened", role)
		}
	}
}

func TestASecondLeaderIsRefused(t *testing.T) {
	url := pgtest.URL(t)
	newTestAPINode(t, HandlerOptions{}, Options{Store: url, Address: "http://a.test"})
	_, err := Open(context.Background(), Options{Store: url})
	var busy *store.LeaderBusyError
	if !errors.As(err, &busy) || busy.Leader.Address != "http://a.test" {
		t.Fatalf("a second leader: %v, want a LeaderBusyError naming http://a.test", err)
	}
}
