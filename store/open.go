// Package store keeps a market's durable state: the command log (every
// accepted command with its sequence number, time, and outcome),
// periodic snapshots of the engine state, and API keys. Log rows are
// hash-chained, so a damaged tail is detected at start-up and cut off.
// There are two back ends behind one interface (Store): an embedded
// SQLite database in a data directory, the default, which needs no
// setup; and a PostgreSQL database, which several nodes of one market
// share (a leader, standbys that take over, read followers). The store
// never interprets commands: replaying them is the caller's job.
package store

import (
	"context"
	"time"
)

// Store is a market's durable state, in either back end.
type Store interface {
	// Append writes a batch of records in one transaction: when it
	// returns nil they are durable. prev is the chain before the first
	// record; it returns the chain after the last.
	Append(ctx context.Context, prev Chain, batch []Record) (Chain, error)
	// Records calls fn for every record with seq > after, in order, up
	// to limit records (0: no limit), stopping at fn's first error.
	Records(ctx context.Context, after uint64, limit int, fn func(Record) error) error
	// VerifyTail checks the chain of every record after seq (whose chain
	// is from), cuts the first record that does not match and all after
	// it, and returns the last good position.
	VerifyTail(ctx context.Context, seq uint64, from Chain) (Tail, error)
	// LastSeq is the highest sequence number in the log (0 when empty).
	LastSeq(ctx context.Context) (uint64, error)
	// SaveSnapshot stores a snapshot and drops older ones but the
	// previous.
	SaveSnapshot(ctx context.Context, snap Snapshot) error
	// LatestSnapshot returns the newest snapshot, or ErrNotFound.
	LatestSnapshot(ctx context.Context) (Snapshot, error)
	// CreateKey makes a new key and returns the token to give its
	// holder, shown once.
	CreateKey(ctx context.Context, nk NewKey, now time.Time) (token string, key Key, err error)
	// Authenticate returns the key a token belongs to, refusing it if
	// revoked or expired at now (ErrBadKey, ErrKeyRevoked,
	// ErrKeyExpired), and records its use.
	Authenticate(ctx context.Context, token string, now time.Time) (Key, error)
	// ListKeys returns every key, revoked and expired ones too, oldest
	// first.
	ListKeys(ctx context.Context) ([]Key, error)
	// RevokeKey revokes the key id at now and returns it (ErrNotFound
	// for an unknown id).
	RevokeKey(ctx context.Context, id string, now time.Time) (Key, error)
	// Close releases what the store holds.
	Close() error

	// keyRows and putKeyRows read and write keys as stored, digests
	// included (Copy).
	keyRows(ctx context.Context) ([]keyRow, error)
	putKeyRows(ctx context.Context, keys []keyRow) error
}

// Shared is a store that several nodes of one market share: only the
// node holding the market's lease appends; the others follow the log.
// The PostgreSQL back end is one.
type Shared interface {
	Store
	// Lead takes the market's lease (waiting for it with wait, else
	// failing with a *LeaderBusyError), after which this store appends
	// under it; an append after another node took over is ErrFenced.
	Lead(ctx context.Context, opt LeaseOptions, wait bool) (*Lease, error)
	// Leader reads who leads the market.
	Leader(ctx context.Context) (Leader, error)
	// Watch returns a channel woken soon after appends commit.
	Watch(ctx context.Context) <-chan struct{}
}

var (
	_ Store  = (*SQLite)(nil)
	_ Shared = (*Postgres)(nil)
)

// Open opens the store at location for the server that writes it: a
// PostgreSQL database when location is a postgres:// or postgresql://
// URL, else the SQLite store in that data directory (created if
// missing), whose lock it holds.
func Open(ctx context.Context, location string) (Store, error) {
	if IsPostgresURL(location) {
		return OpenPostgres(ctx, location)
	}
	return OpenSQLite(location)
}

// OpenShared opens the store at location beside the server that may be
// running on it, for the tools that read it or manage its keys (verify,
// keys): a data directory is opened without its lock, and must not be
// appended to or cut.
func OpenShared(ctx context.Context, location string) (Store, error) {
	if IsPostgresURL(location) {
		return OpenPostgres(ctx, location)
	}
	return OpenSQLiteShared(location)
}
