package store

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// LockFileName is the file in the data directory that the server writing
// the store holds locked for its whole life; it holds the server's pid.
// It stays when the server stops: it is the lock, not the file's
// presence, that says a server runs.
const LockFileName = "vpool.lock"

// LockedError reports a data directory that another process holds.
type LockedError struct {
	Dir string
	// PID is the holder's process id, as it wrote it (0: not known).
	PID int
}

func (e *LockedError) Error() string {
	holder := "another vpool server"
	if e.PID > 0 {
		holder = fmt.Sprintf("another vpool server (pid %d)", e.PID)
	}
	return fmt.Sprintf("the data directory %s is in use by %s: one server per data directory; stop that one or use another directory", e.Dir, holder)
}

// dirLock is a held data-directory lock.
type dirLock struct{ f *os.File }

// lockDir takes the exclusive lock of dir without waiting, and writes the
// process's pid into the lock file; a directory already locked is a
// *LockedError naming the holder.
func lockDir(dir string) (*dirLock, error) {
	path := filepath.Join(dir, LockFileName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	held, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("store: locking %s: %w", path, err)
	}
	if !held {
		pid, _ := readPID(f)
		f.Close()
		return nil, &LockedError{Dir: dir, PID: pid}
	}
	if err := writePID(f); err != nil {
		unlock(f)
		f.Close()
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	return &dirLock{f: f}, nil
}

// release drops the lock; the file stays.
func (l *dirLock) release() error {
	if l == nil {
		return nil
	}
	unlock(l.f)
	return l.f.Close()
}

func writePID(f *os.File) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	_, err := f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return err
}

func readPID(f *os.File) (int, error) {
	var buf [32]byte
	n, err := f.ReadAt(buf[:], 0)
	if n == 0 {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(buf[:n])))
}
