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
	db *sql.DB
}

// ErrNotFound reports a row that does not exist.
var ErrNotFound = errors.New("store: not found")

// Open opens (creating if needed) the store in dir: WAL journal,
// synchronous=FULL, so a committed transaction survives a crash.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	dsn := "file:" + filepath.Join(dir, FileName) +
		"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(ON)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", dir, err)
	}
	return &Store{db: db}, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }
