package store

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vpool/vpool/internal/pgtest"
)

// sqliteMarket is a SQLite store holding n records, a snapshot at
// snapSeq carrying the log's chain there, and a key whose token it
// returns.
func sqliteMarket(t *testing.T, n, snapSeq int) (*SQLite, string) {
	t.Helper()
	ctx := context.Background()
	src, err := OpenSQLite(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	recs := records(1, n)
	var chain, atSnap Chain
	for i := 0; i < n; i += 1000 {
		page := recs[i:min(i+1000, n)]
		if chain, err = src.Append(ctx, chain, page); err != nil {
			t.Fatal(err)
		}
	}
	for i := range recs[:snapSeq] {
		atSnap = atSnap.Next(&recs[i])
	}
	if err := src.SaveSnapshot(ctx, Snapshot{Seq: uint64(snapSeq), At: 7, Chain: atSnap, State: []byte("state"), Hash: "h"}); err != nil {
		t.Fatal(err)
	}
	token, _, err := src.CreateKey(ctx, NewKey{Role: "user", Account: "alice", Expires: time.Unix(1_800_000_000, 0)}, time.Unix(1_700_000_000, 0))
	if err != nil {
		t.Fatal(err)
	}
	_, revoked, err := src.CreateKey(ctx, NewKey{Role: "admin"}, time.Unix(1_700_000_001, 0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.RevokeKey(ctx, revoked.ID, time.Unix(1_700_000_002, 0)); err != nil {
		t.Fatal(err)
	}
	return src, token
}

func TestCopyMovesAMarketIntoPostgres(t *testing.T) {
	ctx := context.Background()
	src, token := sqliteMarket(t, 5000, 4500)
	dst := openPG(t, pgtest.URL(t))
	rep, err := Copy(ctx, dst, src)
	if err != nil {
		t.Fatal(err)
	}
	want, err := src.VerifyTail(ctx, 0, Chain{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Commands != 5000 || rep.Chain != want.Chain || rep.SnapshotSeq != 4500 || rep.Keys != 2 {
		t.Fatalf("copy report %+v; want 5000 commands with the source's chain, the snapshot at 4500, 2 keys", rep)
	}
	got, err := dst.VerifyTail(ctx, 0, Chain{})
	if err != nil || got.Seq != 5000 || got.Chain != want.Chain || got.Cut != 0 {
		t.Fatalf("the copied log: %+v, %v", got, err)
	}
	var srcRecs, dstRecs []Record
	src.Records(ctx, 0, 0, func(r Record) error { srcRecs = append(srcRecs, r); return nil })
	dst.Records(ctx, 0, 0, func(r Record) error { dstRecs = append(dstRecs, r); return nil })
	for i := range srcRecs {
		a, b := srcRecs[i], dstRecs[i]
		if a.Seq != b.Seq || a.At != b.At || a.Op != b.Op || string(a.Args) != string(b.Args) || string(a.Outcome) != string(b.Outcome) {
			t.Fatalf("record %d: %+v copied as %+v", i, a, b)
		}
	}
	if snap, err := dst.LatestSnapshot(ctx); err != nil || snap.Seq != 4500 || string(snap.State) != "state" || snap.Hash != "h" {
		t.Fatalf("the copied snapshot: %+v, %v", snap, err)
	}
	srcKeys, err1 := src.ListKeys(ctx)
	dstKeys, err2 := dst.ListKeys(ctx)
	if err1 != nil || err2 != nil || len(srcKeys) != 2 || !reflect.DeepEqual(srcKeys, dstKeys) {
		t.Fatalf("keys: the source lists %+v (%v), the copy %+v (%v)", srcKeys, err1, dstKeys, err2)
	}
	if key, err := dst.Authenticate(ctx, token, time.Unix(1_700_000_100, 0)); err != nil || key.Account != "alice" || !key.Created.Equal(time.Unix(1_700_000_000, 0)) || !key.Expires.Equal(time.Unix(1_800_000_000, 0)) {
		t.Fatalf("the source's token on the copy: %+v, %v", key, err)
	}

	// Into a store that holds anything, nothing is copied.
	if _, err := Copy(ctx, dst, src); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("a second copy: %v", err)
	}
}

func TestCopyRefusesASnapshotOffTheLog(t *testing.T) {
	ctx := context.Background()
	src, _ := sqliteMarket(t, 100, 50)
	bad := Snapshot{Seq: 60, Chain: Chain{1}, State: []byte("x"), Hash: "x"}
	if err := src.SaveSnapshot(ctx, bad); err != nil {
		t.Fatal(err)
	}
	dst, err := OpenSQLite(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	if _, err := Copy(ctx, dst, src); err == nil || !strings.Contains(err.Error(), "does not follow") {
		t.Fatalf("copying a snapshot whose chain is not the log's: %v", err)
	}
}

func TestCopyWaitsForNoLeader(t *testing.T) {
	url := pgtest.URL(t)
	lead(t, openPG(t, url), "a server")
	src, _ := sqliteMarket(t, 10, 5)
	var busy *LeaderBusyError
	if _, err := Copy(context.Background(), openPG(t, url), src); !errors.As(err, &busy) {
		t.Fatalf("copying into a market a server leads: %v", err)
	}
}
