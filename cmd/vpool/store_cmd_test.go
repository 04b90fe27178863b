package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/vpool/vpool/internal/pgtest"
	"github.com/vpool/vpool/server"
)

// A data directory copied into PostgreSQL replays to the same state hash,
// and the copy serves as the market: verify on it agrees, and a node on
// it recovers the same state.
func TestStoreCopyIntoPostgresKeepsTheStateHash(t *testing.T) {
	dir := t.TempDir()
	seedDir(t, dir)
	want, err := server.Verify(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	url := pgtest.URL(t)
	stdout, _, err := run(t, storeCmd(), "copy", "--from", dir, "--to", url)
	if err != nil {
		t.Fatalf("store copy: %v\n%s", err, stdout)
	}
	var rep storeCopyOutput
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if !rep.OK || rep.StateHash != want.FullReplayHash || rep.Commands != uint64(want.Commands) || rep.SnapshotSeq != want.SnapshotSeq || rep.Keys != 0 {
		t.Fatalf("copy report %+v; the source replays %d commands to %s (snapshot at %d)", rep, want.Commands, want.FullReplayHash, want.SnapshotSeq)
	}

	stdout, _, err = run(t, verifyCmd(), "--store", url)
	var v verifyOutput
	if err != nil || json.Unmarshal([]byte(stdout), &v) != nil || !v.OK || v.FullReplayHash != want.FullReplayHash || v.SnapshotSeq != want.SnapshotSeq {
		t.Fatalf("verify --store on the copy: %v\n%s", err, stdout)
	}
	n, err := server.Open(context.Background(), server.Options{Store: url})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	if seq := n.Seq(); seq != uint64(want.Commands) {
		t.Fatalf("a node on the copy recovered seq %d, want %d", seq, want.Commands)
	}

	if _, _, err := run(t, storeCmd(), "copy", "--from", dir, "--to", url); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("a second copy into the same database: %v", err)
	}
}
