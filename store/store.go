package store

import (
	"context"
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

// SQLite is a market's store in an embedded SQLite database in a data
// directory: the default, which needs no setup. One server writes a data
// directory, holding its lock (OpenSQLite); the tools beside it (verify,
// keys) open it shared.
type SQLite struct {
	db *sql.DB
	// lock is the data directory's lock, held by the server's store (nil
	// for a shared one).
	lock *dirLock
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

// OpenSQLite opens (creating if needed) the store in dir for the one server
// that writes it: it takes the data directory's lock for as long as the
// store is open (a directory another process holds is a *LockedError
// naming it), brings the schema up to date, and checkpoints the WAL in the
// background. WAL journal, synchronous=FULL: a committed transaction
// survives a crash.
func OpenSQLite(dir string) (*SQLite, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	s, err := open(dir)
	if err != nil {
		lock.release()
		return nil, err
	}
	s.lock = lock
	go s.checkpoint()
	return s, nil
}

// OpenSQLiteShared opens (creating if needed) the store in dir beside the server
// that may be running on it, for the tools that read it or manage its keys
// (verify, keys): it takes no lock and never checkpoints. It must not
// append to the log or cut it: only the server's store writes the log.
func OpenSQLiteShared(dir string) (*SQLite, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	s, err := open(dir)
	if err != nil {
		return nil, err
	}
	close(s.done) // no checkpointer to wait for
	return s, nil
}

// open opens the database of dir and migrates its schema.
func open(dir string) (*SQLite, error) {
	dsn := "file:" + filepath.Join(dir, FileName) +
		"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(ON)" +
		"&_pragma=wal_autocheckpoint(0)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	if err := migrate(context.Background(), db); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", dir, err)
	}
	return &SQLite{db: db, stop: make(chan struct{}), done: make(chan struct{})}, nil
}

// checkpoint runs a passive WAL checkpoint every checkpointEvery until
// Close: it never blocks the writer, and lets the WAL restart from its
// beginning once everything in it is in the database.
func (s *SQLite) checkpoint() {
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

// Close stops the checkpointer, closes the database (whose last
// connection checkpoints the WAL) and releases the directory's lock.
func (s *SQLite) Close() error {
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
	err := s.db.Close()
	if lerr := s.lock.release(); err == nil {
		err = lerr
	}
	return err
}
