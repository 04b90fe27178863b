//go:build unix

package store

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
)

func TestOneServerStorePerDataDirectory(t *testing.T) {
	dir := t.TempDir()
	first, err := OpenSQLite(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = OpenSQLite(dir)
	var locked *LockedError
	if !errors.As(err, &locked) || locked.PID != os.Getpid() || locked.Dir != dir {
		t.Fatalf("a second Open: %v, want a LockedError naming pid %d", err, os.Getpid())
	}
	if msg := err.Error(); !strings.Contains(msg, dir) || !strings.Contains(msg, "pid ") {
		t.Fatalf("the message %q should name the directory and the holder's pid", msg)
	}

	// The tools beside the server: keys and reads work while it holds the lock.
	ctx := context.Background()
	shared, err := OpenSQLiteShared(dir)
	if err != nil {
		t.Fatal(err)
	}
	token, key, err := shared.CreateKey(ctx, NewKey{Role: "admin"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := first.Authenticate(ctx, token, t0); err != nil || got.ID != key.ID {
		t.Fatalf("the server's store does not see a key created beside it: %+v, %v", got, err)
	}
	if _, err := shared.RevokeKey(ctx, key.ID, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := first.Authenticate(ctx, token, t0); !errors.Is(err, ErrKeyRevoked) {
		t.Fatalf("the server's store does not see a revocation made beside it: %v", err)
	}
	if err := shared.Close(); err != nil {
		t.Fatal(err)
	}

	// Closing releases the lock.
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := OpenSQLite(dir)
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	again.Close()
}
