// Package store keeps the service's durable state in an embedded SQLite
// database: the command log (every accepted command with its sequence
// number, time, and outcome), periodic snapshots of the engine state, and
// API keys. Log rows are hash-chained, so a damaged tail is detected at
// start-up and cut off. The store never interprets commands: replaying
// them is the caller's job.
package store

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver
)

// FileName is the database file inside the data directory.
const FileName = "vpool.db"

const schema = `
CREATE TABLE IF NOT EXISTS commands (
	seq     INTEGER PRIMARY KEY,
	at      INTEGER NOT NULL,
	op      TEXT    NOT NULL,
	args    BLOB    NOT NULL,
	outcome BLOB    NOT NULL,
	chain   BLOB    NOT NULL
);
CREATE TABLE IF NOT EXISTS snapshots (
	seq   INTEGER PRIMARY KEY,
	at    INTEGER NOT NULL,
	chain BLOB    NOT NULL,
	state BLOB    NOT NULL,
	hash  TEXT    NOT NULL
);
CREATE TABLE IF NOT EXISTS api_keys (
	id      TEXT PRIMARY KEY,
	secret  BLOB NOT NULL,
	role    TEXT NOT NULL,
	account TEXT NOT NULL,
	created INTEGER NOT NULL
);`

// Store is an open data directory.
type Store struct {
	db   *sql.DB
	stop chan struct{}
	done chan struct{}
	// inserts are the prepared INSERTs of n log rows (index n).
	inserts [appendRows + 1]atomic.Pointer[sql.Stmt]
}

// checkpointEvery is how often the background checkpointer copies the WAL
// into the database. Commits never checkpoint (wal_autocheckpoint is off),
// so the fsync of a commit is the WAL's alone; durability is the WAL's
// (synchronous=FULL), whatever the checkpoints' pace.
const checkpointEvery = time.Second

// ErrNotFound reports a row that does not exist.
var ErrNotFound = errors.New("store: not found")

// Open opens (creating if needed) the store in dir: WAL journal,
// synchronous=FULL, so a committed transaction survives a crash.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	dsn := "file:" + filepath.Join(dir, FileName) +
		"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(ON)" +
		"&_pragma=wal_autocheckpoint(0)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", dir, err)
	}
	s := &Store{db: db, stop: make(chan struct{}), done: make(chan struct{})}
	go s.checkpoint()
	return s, nil
}

// checkpoint runs a passive WAL checkpoint every checkpointEvery until
// Close: it never blocks the writer, and lets the WAL restart from its
// beginning once everything in it is in the database.
func (s *Store) checkpoint() {
	defer close(s.done)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.db.Exec(`PRAGMA wal_checkpoint(PASSIVE)`) // a failure is retried at the next tick
		}
	}
}

// Close stops the checkpointer and closes the database (whose last
// connection checkpoints the WAL).
func (s *Store) Close() error {
	select {
	case <-s.stop:
	default:
		close(s.stop)
	}
	<-s.done
	for i := range s.inserts {
		if st := s.inserts[i].Load(); st != nil {
			st.Close()
		}
	}
	return s.db.Close()
}
