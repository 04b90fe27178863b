package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// firstReleaseSchema is the schema data directories were created with
// before the keys had a lifecycle (schema version 0), as that release
// wrote it.
const firstReleaseSchema = `
CREATE TABLE commands (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, op TEXT NOT NULL, args BLOB NOT NULL, outcome BLOB NOT NULL, chain BLOB NOT NULL);
CREATE TABLE snapshots (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, chain BLOB NOT NULL, state BLOB NOT NULL, hash TEXT NOT NULL);
CREATE TABLE api_keys (id TEXT PRIMARY KEY, secret BLOB NOT NULL, role TEXT NOT NULL, account TEXT NOT NULL, created INTEGER NOT NULL);`

func TestAFirstReleaseDataDirectoryIsUpgradedInPlace(t *testing.T) {
	dir := t.TempDir()
	db, err := sql.Open("sqlite", filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(firstReleaseSchema); err != nil {
		t.Fatal(err)
	}
	// A key as that release made it: the token's secret is 32 zero bytes.
	token := "vpk_00112233aabbccdd_" + strings.Repeat("00", 32)
	// Its digest: `head -c 32 /dev/zero | sha256sum`.
	digest, _ := hex.DecodeString("66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925")
	if _, err := db.Exec(`INSERT INTO api_keys VALUES ('00112233aabbccdd', ?, 'user', 'alice', 1700000000)`, digest); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	recs := records(1, 3)
	var chain Chain
	for i := range recs {
		chain = chain.Next(&recs[i])
		if _, err := db.Exec(`INSERT INTO commands VALUES (?, ?, ?, ?, ?, ?)`, recs[i].Seq, recs[i].At, recs[i].Op, recs[i].Args, recs[i].Outcome, chain[:]); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	s, err := OpenSQLite(dir)
	if err != nil {
		t.Fatalf("opening a first-release directory: %v", err)
	}
	defer s.Close()
	var version int
	s.db.QueryRow(`PRAGMA user_version`).Scan(&version)
	if version != len(sqliteMigrations) {
		t.Fatalf("schema version %d after open, want %d", version, len(sqliteMigrations))
	}
	tail, err := s.VerifyTail(ctx, 0, Chain{})
	if err != nil || tail.Seq != 3 || tail.Chain != chain || tail.Cut != 0 {
		t.Fatalf("the old log after the upgrade: %+v, %v", tail, err)
	}
	now := time.Unix(1_700_000_100, 0)
	key, err := s.Authenticate(ctx, token, now)
	if err != nil || key.Account != "alice" || !key.Expires.IsZero() || !key.Revoked.IsZero() {
		t.Fatalf("the old key after the upgrade: %+v, %v", key, err)
	}
	if _, err := s.RevokeKey(ctx, key.ID, now); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, token, now); !errors.Is(err, ErrKeyRevoked) {
		t.Fatalf("the old key, revoked: %v", err)
	}
}

func TestADirectoryFromANewerVpoolIsRefused(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenSQLite(dir)
	if err != nil {
		t.Fatal(err)
	}
	s.db.Exec(`PRAGMA user_version = 99`)
	s.Close()
	var newer *NewerSchemaError
	if _, err := OpenSQLite(dir); !errors.As(err, &newer) || newer.Version != 99 || !strings.Contains(err.Error(), "newer vpool") {
		t.Fatalf("opening schema 99: %v, want a refusal naming a newer vpool", err)
	}
}
