package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
)

// ErrFenced reports an append refused because this store does not hold
// the market's lease: it never had it, lost it, or another node has
// taken over since (its term moved on). Nothing of the batch was written.
var ErrFenced = errors.New("store: fenced: this node no longer leads the market (another node took over)")

// appendFenced inserts a batch of log rows in one statement, so in one
// round trip and one transaction, and only if the leader row still has
// the appending node's term: the fence locks that row (FOR SHARE) and the
// rows join it, so a term moved on by a new leader inserts nothing. A
// new leader's term bump waits for an append in progress to commit, and
// an append that waited for a bump sees the new term (READ COMMITTED
// checks the row again): an append either precedes the take-over, and the
// new leader reads it, or inserts nothing. The count of rows inserted is
// returned, and the followers are notified on commit.
const appendFenced = `
WITH fence AS (
	SELECT term FROM leader WHERE term = $1 FOR SHARE
), inserted AS (
	INSERT INTO commands (seq, at, op, args, outcome, chain)
	SELECT r.seq, r.at, r.op, r.args, r.outcome, r.chain
	FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::bytea[], $6::bytea[], $7::bytea[])
		AS r(seq, at, op, args, outcome, chain), fence
	RETURNING seq
)
SELECT count(*), pg_notify($8, coalesce(max(seq), 0)::text) FROM inserted`

// Append writes a batch of records in one statement (one round trip):
// when it returns nil they are durable. prev is the chain before the
// first record; it returns the chain after the last. It needs the
// market's lease (Lead); without it, or once another node took over, it
// is ErrFenced and writes nothing.
func (p *Postgres) Append(ctx context.Context, prev Chain, batch []Record) (Chain, error) {
	if p.lease == nil {
		return prev, ErrFenced
	}
	n := len(batch)
	seqs, ats := make([]int64, n), make([]int64, n)
	ops := make([]string, n)
	args, outcomes, chains := make([][]byte, n), make([][]byte, n), make([][]byte, n)
	chain := prev
	for i := range batch {
		r := &batch[i]
		chain = chain.Next(r)
		seqs[i], ats[i], ops[i] = int64(r.Seq), int64(r.At), r.Op
		args[i], outcomes[i] = r.Args, r.Outcome
		chains[i] = append([]byte(nil), chain[:]...)
	}
	var inserted int64
	err := p.pool.QueryRow(ctx, appendFenced, p.lease.Term, seqs, ats, ops, args, outcomes, chains, p.channel()).
		Scan(&inserted, nil)
	if err != nil {
		return prev, fmt.Errorf("store: append seq %d to %d: %w", batch[0].Seq, batch[n-1].Seq, err)
	}
	if inserted != int64(n) {
		return prev, ErrFenced
	}
	return chain, nil
}

// channel is the market's notification channel: every append notifies
// it with the last seq written.
func (p *Postgres) channel() string { return "vpool_log_" + strconv.FormatInt(p.market, 10) }

// Records calls fn for every record with seq > after, in order, up to
// limit records (0: no limit), stopping at fn's first error.
func (p *Postgres) Records(ctx context.Context, after uint64, limit int, fn func(Record) error) error {
	q := `SELECT seq, at, op, args, outcome, NULL::bytea FROM commands WHERE seq > $1 ORDER BY seq`
	args := []any{int64(after)}
	if limit > 0 {
		q += ` LIMIT $2`
		args = append(args, limit)
	}
	rows, err := p.pool.Query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	return eachRecord(rows, func(r Record, _ []byte) error { return fn(r) })
}

// VerifyTail checks the chain of every record after seq (whose chain is
// `from`) and deletes the first record that does not match, and all after
// it, returning the last good position. PostgreSQL never tears a row, so
// a mismatch there is damage from outside; the leader cuts it, as it
// would a torn SQLite tail. A cut needs the lease.
func (p *Postgres) VerifyTail(ctx context.Context, seq uint64, from Chain) (Tail, error) {
	rows, err := p.pool.Query(ctx, `SELECT seq, at, op, args, outcome, chain FROM commands WHERE seq > $1 ORDER BY seq`, int64(seq))
	if err != nil {
		return Tail{Seq: seq, Chain: from}, err
	}
	tail, broken, err := followChain(rows, seq, from)
	rows.Close()
	if !broken || err != nil {
		return tail, err
	}
	if p.lease == nil {
		return tail, ErrFenced
	}
	tag, err := p.pool.Exec(ctx, `DELETE FROM commands WHERE seq > $1 AND EXISTS (SELECT 1 FROM leader WHERE term = $2)`,
		int64(tail.Seq), p.lease.Term)
	if err != nil {
		return tail, err
	}
	tail.Cut = int(tag.RowsAffected())
	return tail, nil
}

// LastSeq is the highest sequence number in the log (0 when empty).
func (p *Postgres) LastSeq(ctx context.Context) (uint64, error) {
	var seq *int64
	if err := p.pool.QueryRow(ctx, `SELECT max(seq) FROM commands`).Scan(&seq); err != nil {
		return 0, err
	}
	if seq == nil {
		return 0, nil
	}
	return uint64(*seq), nil
}
