// Package server runs the cover and swap markets as a durable service: a
// Node owns the engines (scenario.Engines) and the store, applies
// commands one at a time in a single writer, makes each batch durable
// with one commit (group commit) before answering, and recovers from the
// latest snapshot plus the log tail. On a shared (PostgreSQL) store a
// node may instead follow the log as a read replica, and a standby takes
// over as the writer when the leader's lease ends. The HTTP API,
// authentication, OpenAPI document and metrics are built on it.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/failure"
	"github.com/vpool/vpool/scenario"
	"github.com/vpool/vpool/store"
)

// Command is one scenario step without its time: the node stamps it.
type Command struct {
	Op   string          `json:"op"`
	Args json.RawMessage `json:"args,omitempty"`

	// cmd, when set, is Args already decoded by scenario.DecodeStep (the
	// API decodes it to authorize it): the writer applies it without
	// decoding the args again. The log still keeps Args, and a replay
	// decodes them to the same command.
	cmd *scenario.Decoded
}

// Outcome is what happened to a command; it is also the event published
// for it and the outcome stored with it in the log.
type Outcome struct {
	Seq     uint64          `json:"seq"`
	At      uint64          `json:"at"`
	Op      string          `json:"op"`
	OK      bool            `json:"ok"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   failure.Code    `json:"error,omitempty"`
	Message string          `json:"message,omitempty"`
}

// Options configure a node.
type Options struct {
	// Store is where the market is kept: a data directory (SQLite) or a
	// postgres:// URL.
	Store string
	// Role is what the node does: lead (the default), stand by, or
	// follow. Standbys and followers need a PostgreSQL store.
	Role Role
	// Address is the URL of this node's API, which a leader writes into
	// the store for followers to name when they refuse a command.
	Address string
	// LeaseTTL is how long a silent leader keeps its lease (PostgreSQL;
	// default store.DefaultLeaseTTL).
	LeaseTTL time.Duration
	// Clock stamps commands; nil is the system clock.
	Clock func() time.Time
	// SnapshotEvery is the number of commands between snapshots (default
	// DefaultSnapshotEvery).
	SnapshotEvery int
	// MaxBatch caps the commands made durable by one fsync.
	MaxBatch int
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger
	// OnCommit, when set, is told the size of every batch made durable and
	// how long its commit (the fsync) took.
	OnCommit func(commands int, commit time.Duration)
}

// DefaultSnapshotEvery is Options.SnapshotEvery's default.
const DefaultSnapshotEvery = 50_000

// ErrClosed reports a command sent to a node that is closing or stopped
// after a storage failure.
var ErrClosed = errors.New("server: node is closed")

// Node is the running market: the engines (cover and swap markets over
// one account book), the store and the single writer.
type Node struct {
	opt   Options
	store store.Store
	log   *slog.Logger
	// replica is what a node on a shared store needs besides the writer:
	// who leads, and how it follows the log and takes over (nil on a data
	// directory).
	replica *replica
	// leading is set while the node is the market's writer.
	leading atomic.Bool
	// fenced is closed when the node lost its lease (PostgreSQL): another
	// node leads, and this one must stop.
	fenced    chan struct{}
	fenceOnce sync.Once

	mu sync.RWMutex // guards e and the fields below for readers
	e  *scenario.Engines
	// m is e.Cover, the market most readers want.
	m      *cover.Market
	seq    uint64
	lastAt uint64
	// advanced, when a reader waits for a seq (WaitSeq), is closed and
	// cleared when seq next moves; waitMu guards it.
	waitMu   sync.Mutex
	advanced chan struct{}

	chain     store.Chain
	sinceSnap int
	reqs      chan *request
	stop      chan struct{}
	done      chan struct{}
	failure   error
	failed    atomic.Bool    // set with failure, read without the lock
	snapping  atomic.Bool    // a snapshot is being saved
	snaps     sync.WaitGroup // the snapshot being saved
	events    *broker
}

type request struct {
	cmds  []Command
	reply chan reply
}

// reply is the writer's answer to a request: the outcomes and, for each,
// its JSON as stored in the log (nil outs: the node stopped).
type reply struct {
	outs []Outcome
	raw  [][]byte
}

// Open opens the store and starts the node in its role. A leader
// recovers the market from the latest snapshot and the log after it,
// then starts the writer; on a shared store it first takes the market's
// lease, and a market another node leads is a *store.LeaderBusyError. A
// standby or follower recovers the same way and then follows the log;
// a standby takes over as the writer once the lease is free.
func Open(ctx context.Context, opt Options) (*Node, error) {
	if opt.Clock == nil {
		opt.Clock = time.Now
	}
	if opt.SnapshotEvery <= 0 {
		opt.SnapshotEvery = DefaultSnapshotEvery
	}
	if opt.MaxBatch <= 0 {
		opt.MaxBatch = 4096
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	st, err := store.Open(ctx, opt.Store)
	if err != nil {
		return nil, err
	}
	n := &Node{opt: opt, store: st, log: opt.Logger, reqs: make(chan *request, 1024),
		stop: make(chan struct{}), done: make(chan struct{}), fenced: make(chan struct{}), events: newBroker()}
	if shared, ok := st.(store.Shared); ok {
		n.replica = newReplica(shared)
	} else if opt.Role != Lead {
		st.Close()
		return nil, fmt.Errorf("server: a %s follows a shared log: it needs a PostgreSQL store, not a data directory", opt.Role)
	}
	if opt.Role == Lead {
		err = n.startLeading(ctx)
	} else {
		err = n.startFollowing(ctx)
	}
	if err != nil {
		close(n.stop) // a lease taken is released on purpose, not lost
		if n.replica != nil {
			n.replica.stop()
		}
		st.Close()
		return nil, err
	}
	return n, nil
}

// startLeading takes the lease (on a shared store), recovers the market
// and starts the writer.
func (n *Node) startLeading(ctx context.Context) error {
	if n.replica != nil {
		lease, err := n.replica.shared.Lead(ctx, n.leaseOptions(), false)
		if err != nil {
			return err
		}
		n.holdLease(lease)
	}
	if err := n.recover(ctx); err != nil {
		return err
	}
	n.leading.Store(true)
	go n.write()
	return nil
}

// recover loads the latest snapshot, cuts a damaged log tail and replays
// the records after the snapshot, checking each against its stored outcome.
func (n *Node) recover(ctx context.Context) error {
	snapSeq, err := n.loadSnapshot(ctx)
	if err != nil {
		return err
	}
	tail, err := n.verifyTail(ctx)
	if err != nil {
		return err
	}
	replayed, err := n.replayLog(ctx, math.MaxUint64)
	if err != nil {
		return err
	}
	n.chain = tail.Chain
	n.sinceSnap = int(n.seq - snapSeq) // a server that restarts often still snapshots
	n.log.Info("recovered", "snapshot_seq", snapSeq, "replayed", replayed, "seq", n.seq, "state_hash", n.e.StateHash())
	return nil
}

// verifyTail checks the log after the node's seq and cuts a damaged tail.
func (n *Node) verifyTail(ctx context.Context) (store.Tail, error) {
	tail, err := n.store.VerifyTail(ctx, n.seq, n.chain)
	if err == nil && tail.Cut > 0 {
		n.log.Warn("cut a damaged log tail", "kept_through_seq", tail.Seq, "records_removed", tail.Cut)
	}
	return tail, err
}

// loadSnapshot starts the node from the latest snapshot, checking its
// hash, or from empty markets; it returns the snapshot's seq.
func (n *Node) loadSnapshot(ctx context.Context) (uint64, error) {
	n.setEngines(newEngines())
	snap, err := n.store.LatestSnapshot(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	e, err := restoreSnapshot(snap)
	if err != nil {
		return 0, fmt.Errorf("server: snapshot at seq %d: %w", snap.Seq, err)
	}
	n.setEngines(e)
	if got := n.e.StateHash(); got != snap.Hash {
		return 0, fmt.Errorf("server: snapshot at seq %d hashes to %s, recorded %s", snap.Seq, got, snap.Hash)
	}
	n.seq, n.lastAt, n.chain = snap.Seq, snap.At, snap.Chain
	return snap.Seq, nil
}

func (n *Node) setEngines(e *scenario.Engines) { n.e, n.m = e, e.Cover }

// replayLog applies the logged records after the node's seq, up to and
// including seq through (math.MaxUint64: all of them).
func (n *Node) replayLog(ctx context.Context, through uint64) (int, error) {
	replayed := 0
	err := n.store.Records(ctx, n.seq, 0, func(r store.Record) error {
		if r.Seq > through {
			return errEnough
		}
		replayed++
		_, err := n.replay(r)
		return err
	})
	if errors.Is(err, errEnough) {
		err = nil
	}
	return replayed, err
}

// errEnough ends a log walk that has reached its last record.
var errEnough = errors.New("server: replayed enough")

// replay applies a logged record and checks it has the recorded
// outcome, which it returns.
func (n *Node) replay(r store.Record) (Outcome, error) {
	out := n.applyOne(Command{Op: r.Op, Args: r.Args}, r.Seq, r.At)
	var want Outcome
	if err := json.Unmarshal(r.Outcome, &want); err != nil {
		return want, fmt.Errorf("server: log record %d: %w", r.Seq, err)
	}
	if out.OK != want.OK || out.Error != want.Error || string(out.Result) != string(want.Result) {
		return want, fmt.Errorf("server: replaying seq %d (%s) gives ok=%v %s, the log recorded ok=%v %s", r.Seq, r.Op, out.OK, out.Error, want.OK, want.Error)
	}
	n.seq, n.lastAt = r.Seq, max(n.lastAt, r.At)
	return want, nil
}

// applyOne runs one command on the engines at time at as number seq.
func (n *Node) applyOne(c Command, seq, at uint64) Outcome {
	out := Outcome{Seq: seq, At: at, Op: c.Op}
	var res any
	var err error
	if c.cmd != nil {
		res, err = n.e.ApplyDecoded(at, n.lastAt, *c.cmd)
	} else {
		res, err = n.e.Apply(scenario.Step{At: at, Op: c.Op, Args: c.Args}, n.lastAt)
	}
	if err != nil {
		out.Error, out.Message = scenario.CodeAndMessage(err)
		return out
	}
	out.OK = true
	if res != nil {
		out.Result, _ = json.Marshal(res)
	}
	return out
}

// Submit applies cmds in order, each all-or-nothing, and returns their
// outcomes once they are durable.
func (n *Node) Submit(ctx context.Context, cmds []Command) ([]Outcome, error) {
	rep, err := n.submit(ctx, cmds)
	return rep.outs, err
}

// submit is Submit that also returns each outcome's JSON as logged.
func (n *Node) submit(ctx context.Context, cmds []Command) (reply, error) {
	if !n.leading.Load() {
		return reply{}, n.notLeader()
	}
	req := &request{cmds: cmds, reply: make(chan reply, 1)}
	select {
	case n.reqs <- req:
	case <-n.stop:
		return reply{}, ErrClosed
	case <-ctx.Done():
		return reply{}, ctx.Err()
	}
	select {
	case rep := <-req.reply:
		if rep.outs == nil {
			return reply{}, n.closedErr()
		}
		return rep, nil
	case <-n.done:
		select {
		case rep := <-req.reply:
			if rep.outs != nil {
				return rep, nil
			}
		default:
		}
		return reply{}, n.closedErr()
	case <-ctx.Done():
		return reply{}, ctx.Err()
	}
}

// Seq is the seq of the last command the node's engines reflect.
func (n *Node) Seq() uint64 {
	n.mu.RLock()
	defer n.mu.RUnlock()
	return n.seq
}

// QueueDepth is the number of requests waiting for the writer.
func (n *Node) QueueDepth() int { return len(n.reqs) }

// Events subscribes to the outcomes of commands as they become durable;
// Close the feed when done.
func (n *Node) Events() *Feed { return n.events.subscribe() }

// fail records a storage failure: the node stops accepting commands.
func (n *Node) fail(err error) {
	n.mu.Lock()
	n.failure = err
	n.failed.Store(true)
	n.mu.Unlock()
}

func (n *Node) closedErr() error {
	n.mu.RLock()
	defer n.mu.RUnlock()
	if n.failure != nil {
		return fmt.Errorf("%w: %v", ErrClosed, n.failure)
	}
	return ErrClosed
}

// Read calls fn with the cover market and the current time (never before
// the last command's) under a read lock: fn must not keep m or change it.
func (n *Node) Read(fn func(m *cover.Market, now uint64, seq uint64)) {
	n.mu.RLock()
	defer n.mu.RUnlock()
	fn(n.m, n.now(), n.seq)
}

// ReadEngines is Read with both markets (the swap market's views, the
// state object and hash of both): fn must not keep e or change it.
func (n *Node) ReadEngines(fn func(e *scenario.Engines, now uint64, seq uint64)) {
	n.mu.RLock()
	defer n.mu.RUnlock()
	fn(n.e, n.now(), n.seq)
}

// DryRun is ReadEngines for work that writes to the markets and undoes
// it before returning, such as the swap router's quotes: it holds the
// lock exclusively, so no reader sees the markets meanwhile.
func (n *Node) DryRun(fn func(e *scenario.Engines, now uint64, seq uint64)) {
	n.mu.Lock()
	defer n.mu.Unlock()
	fn(n.e, n.now(), n.seq)
}

// now is the clock in unix seconds, never before the last command.
func (n *Node) now() uint64 {
	return max(uint64(n.opt.Clock().Unix()), n.lastAt)
}

// Close stops accepting commands, lets the writer finish what it holds
// (or stops following the log), and closes the store, which releases the
// lease.
func (n *Node) Close() error {
	select {
	case <-n.stop:
	default:
		close(n.stop)
	}
	if n.replica != nil {
		n.replica.stop()
	}
	<-n.done
	n.snaps.Wait()
	n.events.close()
	return n.store.Close()
}

// Store is the node's store, for reading the log and keys.
func (n *Node) Store() store.Store { return n.store }
