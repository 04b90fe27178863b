package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vpool/vpool/internal/httpbench"
)

// The read followers' test runs a leader, a standby and two `vpool serve
// --follow` processes on one PostgreSQL market, under a load of cover
// and swap commands at the leader. At the leader's seq every follower
// answers every read and quote byte for byte as the leader does, and a
// follower's event stream carries the leader's outcomes in its order. A
// follower refuses commands naming the leader; one killed with SIGKILL
// and restarted catches up; and when the leader is killed, the followers
// follow the standby that took over.

func TestFollowersAnswerAsTheLeader(t *testing.T) {
	f := newFailoverMarket(t)
	a := f.node(2 * time.Second)
	role(t, a, "leader", 30*time.Second)
	b := f.node(2 * time.Second)
	role(t, b, "standby", 30*time.Second)
	f.setUp(a)
	trader := f.users[0]
	if err := setUpSwap(context.Background(), f.client(a), f.admin, trader); err != nil {
		t.Fatal(err)
	}
	claim := httpbench.Cmd("openClaim", map[string]any{"cover": trader.Covers[0], "amount": "1000000"})
	if _, err := submitAllOK(context.Background(), f.client(a), trader.Key, claim); err != nil {
		t.Fatal(err)
	}
	followers := []*serveProcess{f.follower(), f.follower()}
	began := f.head(a)
	// Streams opened before the load: what they carry is live.
	fromLeader := f.events(a, began)
	fromFollower := f.events(followers[0], began)

	f.busy(a, followers, trader, 400)
	head := f.sameAnswers(a, followers)
	leaderEvents := fromLeader.through(t, head)
	if diff := eventsDiffer(fromFollower.through(t, head), leaderEvents); diff != "" {
		t.Fatalf("the follower's event stream differs from the leader's: %s", diff)
	}
	f.refusesCommands(followers, a, 0)

	// A follower killed with SIGKILL comes back and catches up.
	followers[1].cmd.Process.Kill()
	followers[1].wait(t, 10*time.Second)
	f.busy(a, followers[:1], trader, 300)
	followers[1] = f.follower()
	f.sameAnswers(a, followers)

	// The leader killed under load: the standby leads, the followers name
	// it and follow its log.
	stop := f.drive(a)
	if err := f.acked.await(f.acked.count()+100, 30*time.Second); err != nil {
		t.Fatalf("%v\n%s", err, a.log.String())
	}
	a.cmd.Process.Kill()
	stop()
	role(t, b, "leader", 15*time.Second)
	named := f.refusesCommands(followers, b, 10*time.Second)
	f.busy(b, followers, trader, 300)
	head = f.sameAnswers(b, followers)
	// The first follower's stream ran through it all: it is the log, as
	// the new leader streams it.
	fromLog := f.events(b, began).through(t, head)
	if diff := eventsDiffer(fromFollower.through(t, head), fromLog); diff != "" {
		t.Fatalf("across the take-over, the follower's event stream differs from the new leader's: %s", diff)
	}
	rep := f.finish(b)
	t.Logf("2 followers answered as the leader from seq %d to %d, one of them restarted after SIGKILL, and across the leader's SIGKILL (they named the new leader %s after it led); %d commands logged",
		began, head, named.Round(time.Millisecond), rep.Commands)
}

// follower starts `vpool serve --follow` on the market and waits until it
// serves as a follower.
func (f *failoverMarket) follower() *serveProcess {
	f.t.Helper()
	p := startServeProcess(f.t, "--store", f.url, "--follow")
	role(f.t, p, "follower", 30*time.Second)
	return p
}

// head is the seq p reflects.
func (f *failoverMarket) head(p *serveProcess) uint64 {
	f.t.Helper()
	_, hdr, err := f.client(p).DoHeader(context.Background(), "GET", "/v1/state", f.admin, nil)
	if err != nil {
		f.t.Fatalf("GET /v1/state: %v", err)
	}
	return headerSeq(f.t, hdr)
}

// headerSeq is an answer's X-Vpool-Seq.
func headerSeq(t *testing.T, hdr http.Header) uint64 {
	t.Helper()
	seq, err := strconv.ParseUint(hdr.Get("X-Vpool-Seq"), 10, 64)
	if err != nil {
		t.Fatalf("X-Vpool-Seq %q: %v", hdr.Get("X-Vpool-Seq"), err)
	}
	return seq
}

// busy runs the load on leader, and swaps beside it, until n more
// commands are acknowledged. Each swap is read back from a follower with
// ?minSeq= its seq: the follower answers once it reflects it.
func (f *failoverMarket) busy(leader *serveProcess, followers []*serveProcess, trader *httpbench.User, n int) {
	f.t.Helper()
	ctx := context.Background()
	target := f.acked.count() + n
	stop := f.drive(leader)
	c := f.client(leader)
	deadline := time.Now().Add(30 * time.Second)
	for i := 0; f.acked.count() < target; i++ {
		outs, err := swapBothWays(ctx, c, f.acked, trader)
		if err != nil {
			stop()
			f.t.Fatalf("%v\n%s", err, leader.log.String())
		}
		seq := outs[len(outs)-1].Seq
		path := fmt.Sprintf("/v1/accounts/%s?minSeq=%d", trader.Account, seq)
		_, hdr, err := f.client(followers[i%len(followers)]).DoHeader(ctx, "GET", path, trader.Key, nil)
		if err != nil {
			stop()
			f.t.Fatalf("GET %s on a follower: %v", path, err)
		}
		if got := headerSeq(f.t, hdr); got < seq {
			stop()
			f.t.Fatalf("GET %s on a follower answered at seq %d", path, got)
		}
		if time.Now().After(deadline) {
			stop()
			f.t.Fatalf("%d of %d commands acknowledged after 30s", n-(target-f.acked.count()), n)
		}
	}
	if st := stop(); st.Errors > 0 {
		f.t.Fatalf("the load: %d errors, the first: %v", st.Errors, st.FirstError)
	}
}

// nodeRead is a read or quote to compare between nodes.
type nodeRead struct {
	method, path, key string
	body              string
}

// reads are the market's reads and quotes: every read route that answers
// from the engines (not the log, the keys or a node's own history), on
// every pool, cover, position, account and pair of the market.
func (f *failoverMarket) reads() []nodeRead {
	admin, trader := f.admin, f.users[0]
	rs := []nodeRead{
		{"GET", "/v1/market", admin, ""},
		{"GET", "/v1/pools", admin, ""},
		{"GET", "/v1/state", admin, ""},
		{"GET", "/v1/claims", admin, ""},
		{"GET", "/v1/claims/0", trader.Key, ""},
		{"GET", "/v1/swap/pairs", admin, ""},
		{"GET", "/v1/swap/pairs/0", admin, ""},
		{"GET", "/v1/swap/vpools?in=USDC&out=WETH", admin, ""},
		{"POST", "/v1/quote/cover", admin, `{"pool":0,"amount":"1000000000","duration":7776000}`},
		{"POST", "/v1/quote/position", admin, `{"pools":[0,1],"amount":"5000000000"}`},
		{"POST", "/v1/swap/quote", admin, `{"tokenIn":"USDC","tokenOut":"WETH","amountIn":"250000000"}`},
		{"POST", "/v1/swap/quote", admin, `{"tokenIn":"WETH","tokenOut":"USDC","amountOut":"250000000"}`},
		{"POST", "/v1/swap/preview", trader.Key, `{"op":"pairDeposit","args":{"tokenA":"USDC","tokenB":"WETH","amountA":"1000000","amountB":"1000000"}}`},
	}
	for _, p := range f.market.Pools {
		for _, sub := range []string{"", "/curve", "/expiring"} {
			rs = append(rs, nodeRead{"GET", fmt.Sprintf("/v1/pools/%d%s", p, sub), admin, ""})
		}
	}
	for _, u := range f.users {
		rs = append(rs, nodeRead{"GET", "/v1/accounts/" + u.Account, u.Key, ""})
		for _, id := range u.Positions {
			rs = append(rs, nodeRead{"GET", fmt.Sprintf("/v1/positions/%d", id), u.Key, ""})
		}
		for _, id := range u.Covers {
			rs = append(rs, nodeRead{"GET", fmt.Sprintf("/v1/covers/%d", id), u.Key, ""})
		}
	}
	return rs
}

// sameAnswers requires each follower to answer every read as the leader
// does at its seq, byte for byte, and returns that seq. Commands the
// stopped load had in flight may still land: when the leader moves on,
// the comparison starts again at its new seq.
func (f *failoverMarket) sameAnswers(leader *serveProcess, followers []*serveProcess) uint64 {
	f.t.Helper()
	nodes := append([]*serveProcess{leader}, followers...)
	for attempt := 0; ; attempt++ {
		head := f.head(leader)
		if head < f.acked.maxSeq() {
			f.t.Fatalf("the leader is at seq %d, but seq %d was acknowledged", head, f.acked.maxSeq())
		}
		if f.answerAlike(nodes, head) {
			return head
		}
		if attempt == 10 {
			f.t.Fatalf("the leader moved on from seq %d 10 times while idle", head)
		}
	}
}

// answerAlike requires every node to answer every read as nodes[0] does
// at seq head; it returns false if one answered past head (the leader
// moved on).
func (f *failoverMarket) answerAlike(nodes []*serveProcess, head uint64) bool {
	f.t.Helper()
	for _, rd := range f.reads() {
		answers, ok := f.answersAt(nodes, rd, head)
		if !ok {
			return false
		}
		want := answers[0]
		for i, got := range answers[1:] {
			if at, differ := firstDifference(got.body, want.body); differ {
				f.t.Fatalf("%s %s at seq %d, byte %d on:\nfollower %d: %s\nleader:     %s", rd.method, rd.path, head, at, i, excerpt(got.body, at), excerpt(want.body, at))
			}
			if h := got.hdr.Get("X-Vpool-State-Hash"); h != want.hdr.Get("X-Vpool-State-Hash") {
				f.t.Fatalf("%s at seq %d: follower %d's state hash %q, the leader's %q", rd.path, head, i, h, want.hdr.Get("X-Vpool-State-Hash"))
			}
		}
	}
	return true
}

// firstDifference is the offset of the first byte where a and b differ.
func firstDifference(a, b []byte) (int, bool) {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i, true
		}
	}
	return min(len(a), len(b)), len(a) != len(b)
}

// excerpt is data from 60 bytes before at to 100 after.
func excerpt(data []byte, at int) string {
	return string(data[max(0, at-60):min(len(data), at+100)])
}

type nodeAnswer struct {
	body []byte
	hdr  http.Header
}

// answersAt asks each node rd with ?minSeq=head, and returns the answers
// when all are at seq head and of one second (views are as of now, and
// X-Vpool-At says which second): a read that straddles a second is asked
// again. It returns false when a node answered past head.
func (f *failoverMarket) answersAt(nodes []*serveProcess, rd nodeRead, head uint64) ([]nodeAnswer, bool) {
	f.t.Helper()
	sep := "?"
	if strings.Contains(rd.path, "?") {
		sep = "&"
	}
	path := rd.path + sep + "minSeq=" + strconv.FormatUint(head, 10)
	for attempt := 0; ; attempt++ {
		answers := make([]nodeAnswer, len(nodes))
		seconds := map[string]bool{}
		for i, p := range nodes {
			var body []byte
			if rd.body != "" {
				body = []byte(rd.body)
			}
			data, hdr, err := f.client(p).DoHeader(context.Background(), rd.method, path, rd.key, body)
			if err != nil {
				f.t.Fatalf("%s %s on node %d: %v", rd.method, path, i, err)
			}
			if seq := headerSeq(f.t, hdr); seq != head {
				if seq < head {
					f.t.Fatalf("%s %s: node %d answered at seq %d, below its minSeq", rd.method, path, i, seq)
				}
				return nil, false
			}
			answers[i] = nodeAnswer{data, hdr}
			seconds[hdr.Get("X-Vpool-At")] = true
		}
		if len(seconds) == 1 {
			return answers, true
		}
		if attempt == 10 {
			f.t.Fatalf("%s %s: the nodes answered as of different seconds %v, 10 times", rd.method, path, seconds)
		}
	}
}

// refusesCommands requires every follower to answer a command 421
// not_leader naming leader within wait (a follower learns a new leader
// within a second), and returns how long it took.
func (f *failoverMarket) refusesCommands(followers []*serveProcess, leader *serveProcess, wait time.Duration) time.Duration {
	f.t.Helper()
	want := "http://" + leader.addr
	began := time.Now()
	deadline := began.Add(wait)
	for i, p := range followers {
		for {
			_, hdr, err := f.client(p).DoHeader(context.Background(), "POST", "/v1/commands", f.admin, []byte(`{"op":"check"}`))
			var se *httpbench.StatusError
			if errors.As(err, &se) && se.Status == http.StatusMisdirectedRequest &&
				strings.Contains(se.Body, `"error":"not_leader"`) && hdr.Get("X-Vpool-Leader") == want {
				break
			}
			if time.Now().After(deadline) {
				f.t.Fatalf("a command on follower %d: %v (X-Vpool-Leader %q); want 421 not_leader naming %s", i, err, hdr.Get("X-Vpool-Leader"), want)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	return time.Since(began)
}

// sseEvent is one event of /v1/events/stream: its id (the seq) and data.
type sseEvent struct {
	id   uint64
	data string
}

// eventStream is an open GET /v1/events/stream, read into memory as it
// comes so that the server never finds the test a slow client.
type eventStream struct {
	mu     sync.Mutex
	seen   []sseEvent
	err    error         // why the stream ended
	update chan struct{} // a token after each change
}

// events opens p's event stream after seq after (once p reflects it); the
// test's end closes it.
func (f *failoverMarket) events(p *serveProcess, after uint64) *eventStream {
	f.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	f.t.Cleanup(cancel)
	url := fmt.Sprintf("http://%s/v1/events/stream?after=%d&minSeq=%d", p.addr, after, after)
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+f.admin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		f.t.Fatalf("GET %s: HTTP %d", url, resp.StatusCode)
	}
	s := &eventStream{update: make(chan struct{}, 1)}
	go s.read(resp)
	return s
}

func (s *eventStream) read(resp *http.Response) {
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	var ev sseEvent
	err := errors.New("the stream ended")
	for sc.Scan() {
		line := sc.Text()
		if id, ok := strings.CutPrefix(line, "id: "); ok {
			if ev.id, err = strconv.ParseUint(id, 10, 64); err != nil {
				break
			}
		} else if data, ok := strings.CutPrefix(line, "data: "); ok {
			ev.data = data
		} else if line == "" && ev.data != "" {
			s.mu.Lock()
			s.seen = append(s.seen, ev)
			s.mu.Unlock()
			s.notify()
			ev = sseEvent{}
		}
	}
	s.mu.Lock()
	s.err = errors.Join(err, sc.Err())
	s.mu.Unlock()
	s.notify()
}

func (s *eventStream) notify() {
	select {
	case s.update <- struct{}{}:
	default:
	}
}

// through returns the events the stream carried up to seq, waiting for
// them.
func (s *eventStream) through(t *testing.T, seq uint64) []sseEvent {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		s.mu.Lock()
		seen, err := s.seen, s.err
		s.mu.Unlock()
		for i, ev := range seen {
			if ev.id >= seq {
				return seen[:i+1]
			}
		}
		if err != nil {
			t.Fatalf("event stream, after %d events: %v", len(seen), err)
		}
		select {
		case <-s.update:
		case <-timeout:
			t.Fatalf("event stream: %d events in 30s, none at seq %d", len(seen), seq)
		}
	}
}

// eventsDiffer says where got differs from want, or "" when they are the
// same events in the same order.
func eventsDiffer(got, want []sseEvent) string {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return fmt.Sprintf("event %d:\n  id %d data %s\nwant\n  id %d data %s", i, got[i].id, got[i].data, want[i].id, want[i].data)
		}
	}
	if len(got) != len(want) {
		return fmt.Sprintf("%d events, want %d", len(got), len(want))
	}
	return ""
}
