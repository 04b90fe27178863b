package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
)

// Record is one accepted command: its place in the log, the time it was
// applied at, the op and its JSON args, and the JSON outcome the engine
// gave (which a replay must reproduce).
type Record struct {
	Seq     uint64
	At      uint64
	Op      string
	Args    []byte
	Outcome []byte
}

// Chain is the running hash of the log up to a record: sha256 of the
// previous chain and the record's fields. A row whose stored chain does
// not match was torn or damaged.
type Chain [32]byte

// Next returns the chain after r.
func (c Chain) Next(r *Record) Chain {
	h := sha256.New()
	h.Write(c[:])
	var n [16]byte
	binary.BigEndian.PutUint64(n[:8], r.Seq)
	binary.BigEndian.PutUint64(n[8:], r.At)
	h.Write(n[:])
	for _, field := range [][]byte{[]byte(r.Op), r.Args, r.Outcome} {
		binary.BigEndian.PutUint64(n[:8], uint64(len(field)))
		h.Write(n[:8])
		h.Write(field)
	}
	var out Chain
	h.Sum(out[:0])
	return out
}

// Tail is what start-up learned about the end of the log.
type Tail struct {
	// Seq and Chain are those of the last good record (or of the start).
	Seq   uint64
	Chain Chain
	// Cut is how many damaged records were removed from the end.
	Cut int
}

// rows are the rows of a query, as both back ends' drivers give them.
type rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// eachRecord calls fn with each row of (seq, at, op, args, outcome,
// chain) as a record and its stored chain, stopping at fn's first error.
func eachRecord(rs rows, fn func(r Record, chain []byte) error) error {
	for rs.Next() {
		var r Record
		var seq, at int64
		var chain []byte
		if err := rs.Scan(&seq, &at, &r.Op, &r.Args, &r.Outcome, &chain); err != nil {
			return err
		}
		r.Seq, r.At = uint64(seq), uint64(at)
		if err := fn(r, chain); err != nil {
			return err
		}
	}
	return rs.Err()
}

// errBroken stops a walk at the first record that breaks the chain.
var errBroken = errors.New("store: the chain breaks here")

// followChain walks the records of rs, which follow seq (whose chain is
// from), while each continues the chain: the next seq, and a stored chain
// equal to the one computed. It returns the last record that did, and
// whether one after it broke the chain.
func followChain(rs rows, seq uint64, from Chain) (tail Tail, broken bool, err error) {
	tail = Tail{Seq: seq, Chain: from}
	err = eachRecord(rs, func(r Record, stored []byte) error {
		next := tail.Chain.Next(&r)
		if r.Seq != tail.Seq+1 || string(stored) != string(next[:]) {
			return errBroken
		}
		tail.Seq, tail.Chain = r.Seq, next
		return nil
	})
	if errors.Is(err, errBroken) {
		return tail, true, nil
	}
	return tail, false, err
}

// Append writes a batch of records in one transaction: when it returns
// nil they are durable. prev is the chain before the first record; it
// returns the chain after the last. The rows go in multi-row INSERTs of
// at most appendRows rows each.
func (s *SQLite) Append(ctx context.Context, prev Chain, batch []Record) (Chain, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return prev, err
	}
	defer tx.Rollback()
	chain := prev
	chains := make([]Chain, appendRows)
	args := make([]any, 0, 6*appendRows)
	for start := 0; start < len(batch); start += appendRows {
		rows := batch[start:min(start+appendRows, len(batch))]
		args = args[:0]
		for i := range rows {
			r := &rows[i]
			chain = chain.Next(r)
			chains[i] = chain
			args = append(args, int64(r.Seq), int64(r.At), r.Op, r.Args, r.Outcome, chains[i][:])
		}
		insert, err := s.insertStmt(ctx, len(rows))
		if err == nil {
			_, err = tx.StmtContext(ctx, insert).ExecContext(ctx, args...)
		}
		if err != nil {
			return prev, fmt.Errorf("store: append seq %d to %d: %w", rows[0].Seq, rows[len(rows)-1].Seq, err)
		}
	}
	return chain, tx.Commit()
}

// appendRows caps the rows of one INSERT (6 parameters each, well under
// SQLite's limit of 32766).
const appendRows = 256

// insertStmt is the INSERT of n rows into commands, prepared once per
// store: parsing a statement of hundreds of placeholders costs more than
// the rows it inserts.
func (s *SQLite) insertStmt(ctx context.Context, n int) (*sql.Stmt, error) {
	if st := s.inserts[n].Load(); st != nil {
		return st, nil
	}
	st, err := s.db.PrepareContext(ctx, insertRows(n))
	if err != nil {
		return nil, err
	}
	if !s.inserts[n].CompareAndSwap(nil, st) {
		st.Close()
		return s.inserts[n].Load(), nil
	}
	return st, nil
}

// insertRows is the INSERT of n rows into commands.
func insertRows(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO commands (seq, at, op, args, outcome, chain) VALUES `)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`(?, ?, ?, ?, ?, ?)`)
	}
	return b.String()
}

// Records calls fn for every record with seq > after, in order, up to
// limit records (0: no limit), stopping at fn's first error.
func (s *SQLite) Records(ctx context.Context, after uint64, limit int, fn func(Record) error) error {
	q := `SELECT seq, at, op, args, outcome, NULL FROM commands WHERE seq > ? ORDER BY seq`
	args := []any{int64(after)}
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	return eachRecord(rows, func(r Record, _ []byte) error { return fn(r) })
}

// VerifyTail checks the chain of every record after seq (whose chain is
// `from`) and deletes the first record that does not match, and all after
// it: a torn or damaged tail. It returns the last good position.
func (s *SQLite) VerifyTail(ctx context.Context, seq uint64, from Chain) (Tail, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT seq, at, op, args, outcome, chain FROM commands WHERE seq > ? ORDER BY seq`, int64(seq))
	if err != nil {
		return Tail{Seq: seq, Chain: from}, err
	}
	tail, broken, err := followChain(rows, seq, from)
	rows.Close() // before the cut: SQLite's write waits for readers
	if !broken || err != nil {
		return tail, err
	}
	res, err := s.db.ExecContext(ctx, `DELETE FROM commands WHERE seq > ?`, int64(tail.Seq))
	if err != nil {
		return tail, err
	}
	n, _ := res.RowsAffected()
	tail.Cut = int(n)
	return tail, nil
}

// LastSeq is the highest sequence number in the log (0 when empty).
func (s *SQLite) LastSeq(ctx context.Context) (uint64, error) {
	var seq sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT MAX(seq) FROM commands`).Scan(&seq); err != nil {
		return 0, err
	}
	return uint64(seq.Int64), nil
}
