package server

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vpool/vpool/store"
)

// Role is what a node does in its market.
type Role int

const (
	// Lead: the node is the market's writer. On a shared store it takes
	// the market's lease at start, and fails if another node holds it.
	Lead Role = iota
	// Standby: the node follows the log as a read replica, and takes over
	// as the writer once the leader's lease ends.
	Standby
	// Follow: the node follows the log as a read replica, and never
	// writes.
	Follow
)

func (r Role) String() string {
	switch r {
	case Standby:
		return "standby"
	case Follow:
		return "follower"
	}
	return "leader"
}

// Timing of a replica: it reads the log when the leader's notification
// wakes it, and at least every followPoll (a lost notification, a
// broken LISTEN connection), when it also reads who leads.
const (
	followPoll  = time.Second
	leaseRetry  = time.Second
	catchUpPage = 1000
)

// replica is what a node on a shared store needs besides the writer: who
// leads, and the goroutines that follow the log and wait for the lease.
type replica struct {
	shared store.Shared
	// leader is who leads the market, as last read (nil: not yet).
	leader atomic.Pointer[store.Leader]
	// snapSeq is the seq of the snapshot the node started from.
	snapSeq uint64
	// caughtUp is when the node last read to the end of the log (unix
	// nanoseconds).
	caughtUp atomic.Int64

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup // the goroutine waiting for the lease
}

func newReplica(shared store.Shared) *replica {
	ctx, cancel := context.WithCancel(context.Background())
	return &replica{shared: shared, ctx: ctx, cancel: cancel}
}

// stop ends following the log and waiting for the lease.
func (r *replica) stop() {
	r.cancel()
	r.wg.Wait()
}

// NotLeaderError reports a command sent to a node that does not lead
// the market: Leader is who does, as far as this node knows (an empty
// Address while no node serves as the leader).
type NotLeaderError struct{ Leader store.Leader }

func (e *NotLeaderError) Error() string {
	if e.Leader.Address == "" {
		return "server: this node does not lead the market, and no leader is serving right now"
	}
	return "server: this node does not lead the market; the leader is at " + e.Leader.Address
}

func (n *Node) notLeader() error {
	if n.replica == nil {
		return ErrClosed
	}
	return &NotLeaderError{Leader: n.Leader()}
}

// Leader is who leads the market as this node last knew (on a shared
// store; the zero Leader before it knows, or on a data directory).
func (n *Node) Leader() store.Leader {
	if n.replica != nil {
		if l := n.replica.leader.Load(); l != nil {
			return *l
		}
	}
	return store.Leader{}
}

// Leading says whether the node is the market's writer now.
func (n *Node) Leading() bool { return n.leading.Load() }

// Role is what the node does now: a standby that took over leads.
func (n *Node) Role() Role {
	if n.leading.Load() {
		return Lead
	}
	return n.opt.Role
}

// Fenced is closed when the node lost its lease: another node may lead
// now, so this one accepts no command and should exit (a supervisor
// restarts it as a standby).
func (n *Node) Fenced() <-chan struct{} { return n.fenced }

// fence stops the node from writing after it lost its lease.
func (n *Node) fence(err error) {
	select {
	case <-n.stop:
		return // closing: the lease was released on purpose
	default:
	}
	n.fenceOnce.Do(func() {
		n.leading.Store(false)
		n.fail(err)
		n.log.Error("fenced: this node lost the market's lease and stops writing; another node may lead now", "err", err)
		close(n.fenced)
	})
}

func (n *Node) leaseOptions() store.LeaseOptions {
	host, _ := os.Hostname()
	return store.LeaseOptions{Holder: fmt.Sprintf("%s pid %d", host, os.Getpid()), Address: n.opt.Address, TTL: n.opt.LeaseTTL}
}

// holdLease makes the node the lease's holder, and fences it when the
// lease is lost.
func (n *Node) holdLease(lease *store.Lease) {
	opt := n.leaseOptions()
	n.replica.leader.Store(&store.Leader{Term: lease.Term, Holder: opt.Holder, Address: opt.Address, Since: time.Now()})
	go func() {
		select {
		case <-lease.Lost():
			n.fence(lease.Err())
		case <-n.stop:
		}
	}()
}

// startFollowing recovers the market as a replica (the latest snapshot
// and the log after it, cutting nothing: only the leader may) and starts
// following the log; a standby also starts waiting for the lease.
func (n *Node) startFollowing(ctx context.Context) error {
	snapSeq, err := n.loadSnapshot(ctx)
	if err != nil {
		return err
	}
	n.replica.snapSeq = snapSeq
	if err := n.catchUp(ctx); err != nil {
		return err
	}
	n.refreshLeader(ctx)
	n.log.Info("following the log", "role", n.opt.Role.String(), "snapshot_seq", snapSeq, "seq", n.seq, "state_hash", n.e.StateHash())
	leases := make(chan *store.Lease)
	if n.opt.Role == Standby {
		n.replica.wg.Add(1)
		go n.awaitLease(leases)
	}
	go n.follow(leases)
	return nil
}

// awaitLease waits for the market's lease and hands it to follow.
func (n *Node) awaitLease(leases chan<- *store.Lease) {
	defer n.replica.wg.Done()
	ctx := n.replica.ctx
	for {
		lease, err := n.replica.shared.Lead(ctx, n.leaseOptions(), true)
		if err == nil {
			select {
			case leases <- lease:
			case <-ctx.Done(): // closing: the store releases the lease
			}
			return
		}
		if ctx.Err() != nil {
			return
		}
		n.log.Warn("waiting for the lease failed; trying again", "err", err, "in", leaseRetry.String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(leaseRetry):
		}
	}
}

// follow keeps the engines at the end of the shared log until the node
// closes or, for a standby, until it gets the lease: it then takes over
// and runs the writer.
func (n *Node) follow(leases <-chan *store.Lease) {
	watching, stopWatching := context.WithCancel(n.replica.ctx)
	defer stopWatching()
	wake := n.replica.shared.Watch(watching)
	poll := time.NewTicker(followPoll)
	defer poll.Stop()
	for {
		select {
		case <-n.stop:
			close(n.done)
			return
		case lease := <-leases:
			stopWatching()
			if err := n.takeOver(n.replica.ctx, lease); err != nil {
				n.fence(fmt.Errorf("taking over: %w", err))
			}
			n.write()
			return
		case <-wake:
		case <-poll.C:
			n.refreshLeader(n.replica.ctx)
		}
		if err := n.catchUp(n.replica.ctx); err != nil && !n.failed.Load() && n.replica.ctx.Err() == nil {
			n.log.Warn("reading the log failed; trying again", "seq", n.seq, "err", err)
		}
	}
}

// refreshLeader reads who leads the market.
func (n *Node) refreshLeader(ctx context.Context) {
	l, err := n.replica.shared.Leader(ctx)
	if err != nil {
		if ctx.Err() == nil {
			n.log.Warn("reading the leader failed", "err", err)
		}
		return
	}
	if prev := n.replica.leader.Swap(&l); prev == nil || prev.Term != l.Term || prev.Address != l.Address {
		n.log.Info("leader", "term", l.Term, "holder", l.Holder, "address", l.Address)
	}
}

// errDiverged reports a replica whose engines no longer reproduce the log.
var errDiverged = errors.New("server: the replica diverged from the log")

// catchUp applies the records the log holds beyond the node's seq, a
// page at a time, and publishes their outcomes. A record the engines do
// not reproduce stops the node (its state is then not the log's).
func (n *Node) catchUp(ctx context.Context) error {
	for {
		page := make([]store.Record, 0, catchUpPage)
		if err := n.store.Records(ctx, n.seq, catchUpPage, func(r store.Record) error {
			page = append(page, r)
			return nil
		}); err != nil {
			return err
		}
		if len(page) == 0 {
			n.replica.caughtUp.Store(time.Now().UnixNano())
			return nil
		}
		outs, err := n.applyRecords(page)
		n.advance()
		n.events.publish(outs...)
		if err != nil {
			err = fmt.Errorf("%w: %v", errDiverged, err)
			n.fail(err)
			n.log.Error("the replica stops: it does not reproduce the log", "err", err)
			return err
		}
		if len(page) < catchUpPage {
			n.replica.caughtUp.Store(time.Now().UnixNano())
			return nil
		}
	}
}

// Staleness is how long ago a node that does not lead last read to the
// end of the log: its answers may lack the commands since (0 for the
// leader, which writes the log).
func (n *Node) Staleness() time.Duration {
	if n.leading.Load() || n.replica == nil {
		return 0
	}
	return time.Since(time.Unix(0, n.replica.caughtUp.Load()))
}

// applyRecords replays a page of the log under the write lock, keeping
// the chain; it returns the recorded outcomes of those it applied.
func (n *Node) applyRecords(page []store.Record) ([]Outcome, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	outs := make([]Outcome, 0, len(page))
	for i := range page {
		r := &page[i]
		if r.Seq != n.seq+1 {
			return outs, fmt.Errorf("the log goes from seq %d to %d", n.seq, r.Seq)
		}
		out, err := n.replay(*r)
		if err != nil {
			return outs, err
		}
		n.chain = n.chain.Next(r)
		outs = append(outs, out)
	}
	return outs, nil
}

// takeOver makes a standby that got the lease the writer: every append
// of the previous leader is in the log by now (the lease's term fences
// later ones), so it reads the rest of the log, checking its chain.
func (n *Node) takeOver(ctx context.Context, lease *store.Lease) error {
	began := time.Now()
	from := n.seq
	n.holdLease(lease)
	tail, err := n.verifyTail(ctx)
	if err != nil {
		return err
	}
	if err := n.catchUp(ctx); err != nil {
		return err
	}
	if n.seq != tail.Seq || n.chain != tail.Chain {
		return fmt.Errorf("the log changed under the lease: verified through seq %d, read through %d", tail.Seq, n.seq)
	}
	n.sinceSnap = int(n.seq - n.replica.snapSeq)
	n.leading.Store(true)
	n.log.Info("took over as the leader", "term", lease.Term, "seq", n.seq, "read_at_take_over", n.seq-from,
		"took_ms", time.Since(began).Milliseconds())
	return nil
}

// WaitSeq waits until the node's engines reflect at least seq (the
// commands up to it applied), or ctx ends.
func (n *Node) WaitSeq(ctx context.Context, seq uint64) error {
	for {
		n.waitMu.Lock()
		n.mu.RLock()
		at := n.seq
		n.mu.RUnlock()
		if at >= seq {
			n.waitMu.Unlock()
			return nil
		}
		if n.advanced == nil {
			n.advanced = make(chan struct{})
		}
		moved := n.advanced
		n.waitMu.Unlock()
		select {
		case <-moved:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// advance wakes the readers waiting for the seq to move; it is called
// after the seq moved.
func (n *Node) advance() {
	n.waitMu.Lock()
	if n.advanced != nil {
		close(n.advanced)
		n.advanced = nil
	}
	n.waitMu.Unlock()
}
