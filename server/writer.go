package server

import (
	"context"
	"encoding/json"
	"time"

	"github.com/vpool/vpool/store"
)

// write is the single writer: it takes every request waiting, applies
// their commands in order, makes the batch durable with one commit, then
// answers. On stop it finishes the requests already queued.
func (n *Node) write() {
	defer close(n.done)
	for {
		var first *request
		select {
		case first = <-n.reqs:
		case <-n.stop:
			for {
				select {
				case req := <-n.reqs:
					n.commit(n.collect([]*request{req}))
				default:
					return
				}
			}
		}
		n.commit(n.collect([]*request{first}))
	}
}

// collect adds the requests already waiting, up to MaxBatch commands.
func (n *Node) collect(batch []*request) []*request {
	size := len(batch[0].cmds)
	for size < n.opt.MaxBatch {
		select {
		case req := <-n.reqs:
			batch = append(batch, req)
			size += len(req.cmds)
		default:
			return batch
		}
	}
	return batch
}

// commit applies a batch, makes it durable, answers and publishes it. A
// storage failure stops the node: the engine is then ahead of the disk,
// so no further command is accepted until a restart recovers from disk.
func (n *Node) commit(batch []*request) {
	n.mu.Lock()
	if n.failure != nil {
		n.mu.Unlock()
		for _, req := range batch {
			req.reply <- reply{}
		}
		return
	}
	var records []store.Record
	outs := make([][]Outcome, len(batch))
	raws := make([][][]byte, len(batch))
	for i, req := range batch {
		for _, c := range req.cmds {
			if len(c.Args) == 0 {
				c.Args = json.RawMessage("{}") // the log keeps "no args" as {}
			}
			at := n.now()
			out := n.apply(c, n.seq+1, at)
			n.seq, n.lastAt = out.Seq, at
			outcome, _ := json.Marshal(out)
			records = append(records, store.Record{Seq: out.Seq, At: at, Op: c.Op, Args: c.Args, Outcome: outcome})
			outs[i] = append(outs[i], out)
			raws[i] = append(raws[i], outcome)
		}
	}
	n.mu.Unlock()

	began := time.Now()
	chain, err := n.store.Append(context.Background(), n.chain, records)
	if err != nil {
		n.fail(err)
		n.log.Error("storage failure: the node stops accepting commands; restart to recover from disk", "err", err)
		for _, req := range batch {
			req.reply <- reply{}
		}
		return
	}
	n.chain = chain
	if n.opt.OnCommit != nil {
		n.opt.OnCommit(len(records), time.Since(began))
	}
	for i, req := range batch {
		req.reply <- reply{outs: outs[i], raw: raws[i]}
		for _, out := range outs[i] {
			n.events.publish(out)
		}
	}
	n.sinceSnap += len(records)
	if n.sinceSnap >= n.opt.SnapshotEvery && !n.snapping.Load() {
		n.snapshot()
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
