//go:build unix

package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vpool/vpool/store"
)

// A shell starts two servers, one with --exit-with-parent, and is killed
// with SIGKILL, as `go run` or a script may be: the flagged server shuts
// down gracefully (its log says why and ends with "stopped") and frees its
// data directory; the other keeps running, orphaned.
func TestServeExitsWithItsParent(t *testing.T) {
	tmp := t.TempDir()
	withFlag, without := filepath.Join(tmp, "with"), filepath.Join(tmp, "without")
	withLog := filepath.Join(tmp, "with.log")
	bin := vpoolBinary(t)
	script := `"$0" serve --exit-with-parent --data "$1" --addr 127.0.0.1:0 2>"$2" &
"$0" serve --data "$3" --addr 127.0.0.1:0 2>/dev/null &
wait`
	parent := exec.Command("sh", "-c", script, bin, withFlag, withLog, without)
	if err := parent.Start(); err != nil {
		t.Fatal(err)
	}
	withPID, withoutPID := lockHolder(t, withFlag), lockHolder(t, without)
	t.Cleanup(func() {
		syscall.Kill(withPID, syscall.SIGKILL)
		syscall.Kill(withoutPID, syscall.SIGKILL)
	})
	if err := parent.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	parent.Wait()
	killed := time.Now()

	deadline := time.Now().Add(20 * time.Second)
	for !lockFree(t, withFlag) {
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(withLog)
			t.Fatalf("the --exit-with-parent server still holds its data directory 20s after its parent died:\n%s", log)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("the server stopped %v after its parent was killed", time.Since(killed).Round(time.Millisecond))
	log, _ := os.ReadFile(withLog)
	if !strings.Contains(string(log), "parent process exited") || !strings.HasSuffix(strings.TrimSpace(string(log)), "msg=stopped") {
		t.Fatalf("want a graceful shutdown, logged:\n%s", log)
	}
	if lockFree(t, without) {
		t.Fatal("the server without --exit-with-parent stopped too: the test proves nothing")
	}
}

// lockHolder waits for a server to hold dir's lock and returns its pid
// (written in the lock file once the lock is held).
func lockHolder(t *testing.T, dir string) int {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		data, _ := os.ReadFile(filepath.Join(dir, store.LockFileName))
		if pid, err := strconv.Atoi(strings.TrimSpace(string(data))); err == nil {
			return pid
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no server took the lock of %s within 30s", dir)
	return 0
}

// lockFree says whether no process holds dir's lock: opening the store
// takes it (and closing releases it).
func lockFree(t *testing.T, dir string) bool {
	t.Helper()
	st, err := store.Open(context.Background(), dir)
	var locked *store.LockedError
	if errors.As(err, &locked) {
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	return true
}
