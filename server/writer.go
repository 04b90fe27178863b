package server

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/vpool/vpool/store"
)

// write is the single writer: it takes every request waiting and applies
// their commands in order, then hands the batch to the syncer, which makes
// it durable with one commit and answers it. While the syncer commits one
// batch the writer applies the next, so the CPU work of a batch overlaps
// the fsync of the one before; the hand-over is unbuffered, so at most one
// applied batch waits behind the one being committed. On stop it finishes
// the requests already queued.
func (n *Node) write() {
	batches := make(chan *batch)
	synced := make(chan struct{})
	go n.sync(batches, synced)
	defer func() {
		close(batches)
		<-synced
		close(n.done)
	}()
	var last *batch
	handOver := func(reqs []*request) {
		last = n.apply(reqs)
		n.advance()
		batches <- last
		n.sinceSnap += len(last.records)
		if n.sinceSnap >= n.opt.SnapshotEvery && !n.snapping.Load() {
			<-last.durable // a snapshot is of durable commands only
			if !n.failed.Load() {
				n.snapshot()
			}
		}
	}
	for {
		select {
		case first := <-n.reqs:
			handOver(n.collect([]*request{first}))
		case <-n.stop:
			for {
				select {
				case req := <-n.reqs:
					handOver(n.collect([]*request{req}))
				default:
					return
				}
			}
		}
	}
}

// batch is requests whose commands the writer applied, waiting to be made
// durable: their log records, outcomes, and each outcome's JSON as logged.
// durable is closed once the syncer is done with it.
type batch struct {
	reqs    []*request
	records []store.Record
	outs    [][]Outcome
	raws    [][][]byte
	durable chan struct{}
}

// collect adds the requests already waiting, up to MaxBatch commands.
func (n *Node) collect(reqs []*request) []*request {
	size := len(reqs[0].cmds)
	for size < n.opt.MaxBatch {
		select {
		case req := <-n.reqs:
			reqs = append(reqs, req)
			size += len(req.cmds)
		default:
			return reqs
		}
	}
	return reqs
}

// apply applies the commands of reqs in order, each stamped with the
// clock and the next seq. After a storage failure it applies nothing.
func (n *Node) apply(reqs []*request) *batch {
	b := &batch{reqs: reqs, outs: make([][]Outcome, len(reqs)), raws: make([][][]byte, len(reqs)), durable: make(chan struct{})}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.failure != nil {
		return b
	}
	for i, req := range reqs {
		for _, c := range req.cmds {
			if len(c.Args) == 0 {
				c.Args = json.RawMessage("{}") // the log keeps "no args" as {}
			}
			at := n.now()
			out := n.applyOne(c, n.seq+1, at)
			n.seq, n.lastAt = out.Seq, at
			outcome, _ := json.Marshal(out)
			b.records = append(b.records, store.Record{Seq: out.Seq, At: at, Op: c.Op, Args: c.Args, Outcome: outcome})
			b.outs[i] = append(b.outs[i], out)
			b.raws[i] = append(b.raws[i], outcome)
		}
	}
	return b
}

// sync makes each batch durable in turn, then answers and publishes it. A
// storage failure stops the node: the engine is then ahead of the disk,
// so no further command is accepted (the batches after it are answered as
// refused) until a restart recovers from disk.
func (n *Node) sync(batches <-chan *batch, done chan<- struct{}) {
	defer close(done)
	for b := range batches {
		n.commit(b)
		close(b.durable)
	}
}

func (n *Node) commit(b *batch) {
	refuse := func() {
		for _, req := range b.reqs {
			req.reply <- reply{}
		}
	}
	if n.failed.Load() || len(b.records) == 0 {
		refuse()
		return
	}
	began := time.Now()
	chain, err := n.store.Append(context.Background(), n.chain, b.records)
	if errors.Is(err, store.ErrFenced) {
		n.fence(err)
		refuse()
		return
	}
	if err != nil {
		n.fail(err)
		n.log.Error("storage failure: the node stops accepting commands; restart to recover from disk", "err", err)
		refuse()
		return
	}
	n.chain = chain
	if n.opt.OnCommit != nil {
		n.opt.OnCommit(len(b.records), time.Since(began))
	}
	for i, req := range b.reqs {
		req.reply <- reply{outs: b.outs[i], raw: b.raws[i]}
		n.events.publish(b.outs[i]...)
	}
}

// snapshot stores the engines' state after the last durable command.
// Only the writer applies commands, so it encodes the markets under the
// read lock, which only keeps out the dry runs of quotes (they write and
// undo); the hash and the save run in the background, one at a time, on
// a copy.
// Every command up to snap.Seq is durable already, so a crash before the
// save completes only leaves recovery on the previous snapshot.
func (n *Node) snapshot() {
	n.mu.RLock()
	state, hashed := encodeSnapshot(n.e)
	n.mu.RUnlock()
	snap := store.Snapshot{Seq: n.seq, At: n.lastAt, Chain: n.chain, State: state}
	n.sinceSnap = 0
	n.snapping.Store(true)
	n.snaps.Add(1)
	go func() {
		defer n.snaps.Done()
		defer n.snapping.Store(false)
		snap.Hash = digest(hashed) // the engines' StateHash
		if err := n.store.SaveSnapshot(context.Background(), snap); err != nil {
			n.log.Error("snapshot failed; the log still holds everything", "seq", snap.Seq, "err", err)
			return
		}
		n.log.Info("snapshot", "seq", snap.Seq, "bytes", len(snap.State))
	}()
}
