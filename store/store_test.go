package store

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/vpool/vpool/internal/pgtest"
)

// eachBackend runs test on a new store of each back end, with a way to
// run SQL on its database (as damage from outside would).
func eachBackend(t *testing.T, test func(t *testing.T, s Store, exec func(sql string))) {
	t.Run("sqlite", func(t *testing.T) {
		s, err := OpenSQLite(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		test(t, s, func(sql string) {
			if _, err := s.db.Exec(sql); err != nil {
				t.Fatal(err)
			}
		})
	})
	t.Run("postgres", func(t *testing.T) {
		url := pgtest.URL(t)
		p := openPG(t, url)
		lead(t, p, "test")
		test(t, p, func(sql string) { exec(t, url, sql) })
	})
}

// count is the number of rows sql counts.
func count(t *testing.T, s Store, sql string) int {
	t.Helper()
	var n int
	var err error
	switch s := s.(type) {
	case *SQLite:
		err = s.db.QueryRow(sql).Scan(&n)
	case *Postgres:
		err = s.pool.QueryRow(context.Background(), sql).Scan(&n)
	}
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func records(from, n int) []Record {
	var out []Record
	for i := from; i < from+n; i++ {
		out = append(out, Record{Seq: uint64(i), At: uint64(1000 + i), Op: "check",
			Args: []byte("{}"), Outcome: []byte(fmt.Sprintf(`{"seq":%d,"ok":true}`, i))})
	}
	return out
}

func TestAppendThenReadBackAndVerify(t *testing.T) { eachBackend(t, testAppendThenReadBackAndVerify) }

func testAppendThenReadBackAndVerify(t *testing.T, s Store, _ func(string)) {
	ctx := context.Background()
	c1, err := s.Append(ctx, Chain{}, records(1, 3))
	if err != nil {
		t.Fatal(err)
	}
	c2, err := s.Append(ctx, c1, records(4, 300)) // more rows than one SQLite INSERT takes
	if err != nil {
		t.Fatal(err)
	}
	want := Chain{}
	for _, r := range records(1, 303) {
		want = want.Next(&r)
	}
	if c2 != want {
		t.Fatal("the chain after 303 records differs from the chain computed record by record")
	}
	var got []Record
	if err := s.Records(ctx, 2, 3, func(r Record) error { got = append(got, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Seq != 3 || got[2].Seq != 5 || got[1].At != 1004 || got[1].Op != "check" ||
		string(got[1].Args) != "{}" || string(got[1].Outcome) != `{"seq":4,"ok":true}` {
		t.Fatalf("records after 2 (limit 3): %+v", got)
	}
	n := 0
	if err := s.Records(ctx, 0, 0, func(Record) error { n++; return nil }); err != nil || n != 303 {
		t.Fatalf("%d records without a limit, %v", n, err)
	}
	tail, err := s.VerifyTail(ctx, 0, Chain{})
	if err != nil || tail.Seq != 303 || tail.Chain != c2 || tail.Cut != 0 {
		t.Fatalf("tail %+v, %v; want seq 303, the appended chain, nothing cut", tail, err)
	}
	if last, err := s.LastSeq(ctx); err != nil || last != 303 {
		t.Fatalf("last seq %d, %v", last, err)
	}
	// A batch holding a seq already written is refused whole.
	if _, err := s.Append(ctx, c2, records(303, 2)); err == nil {
		t.Fatal("appending seq 303 again succeeded")
	}
	if last, _ := s.LastSeq(ctx); last != 303 {
		t.Fatalf("a refused batch left the log at %d", last)
	}
}

func TestDamagedTailIsCut(t *testing.T) { eachBackend(t, testDamagedTailIsCut) }

func testDamagedTailIsCut(t *testing.T, s Store, exec func(string)) {
	ctx := context.Background()
	c, err := s.Append(ctx, Chain{}, records(1, 4))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Append(ctx, c, records(5, 3)); err != nil {
		t.Fatal(err)
	}
	// A write that reached the disk only in part: record 6's args are torn.
	exec(`UPDATE commands SET args = '{"tor' WHERE seq = 6`)
	tail, err := s.VerifyTail(ctx, 0, Chain{})
	if err != nil {
		t.Fatal(err)
	}
	if tail.Seq != 5 || tail.Cut != 2 {
		t.Fatalf("tail %+v: want the log cut after seq 5, 2 records removed", tail)
	}
	if last, _ := s.LastSeq(ctx); last != 5 {
		t.Fatalf("last seq %d after the cut, want 5", last)
	}
}

func TestSnapshotsKeepTheLatest(t *testing.T) { eachBackend(t, testSnapshotsKeepTheLatest) }

func testSnapshotsKeepTheLatest(t *testing.T, s Store, _ func(string)) {
	ctx := context.Background()
	if _, err := s.LatestSnapshot(ctx); !errors.Is(err, ErrNotFound) {
		t.Fatalf("empty store: %v, want ErrNotFound", err)
	}
	for seq := uint64(10); seq <= 30; seq += 10 {
		if err := s.SaveSnapshot(ctx, Snapshot{Seq: seq, At: seq * 2, Chain: Chain{byte(seq)}, State: []byte{byte(seq)}, Hash: fmt.Sprint(seq)}); err != nil {
			t.Fatal(err)
		}
	}
	snap, err := s.LatestSnapshot(ctx)
	if err != nil || snap.Seq != 30 || snap.At != 60 || snap.Chain != (Chain{30}) || snap.State[0] != 30 || snap.Hash != "30" {
		t.Fatalf("latest %+v, %v", snap, err)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM snapshots`); n != 2 {
		t.Fatalf("%d snapshots kept, want 2", n)
	}
}
