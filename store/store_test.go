package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

func openTemp(t *testing.T) *Store {
	t.Helper()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func records(from, n int) []Record {
	var out []Record
	for i := from; i < from+n; i++ {
		out = append(out, Record{Seq: uint64(i), At: uint64(1000 + i), Op: "check",
			Args: []byte("{}"), Outcome: []byte(fmt.Sprintf(`{"seq":%d,"ok":true}`, i))})
	}
	return out
}

func TestAppendThenReadBackAndVerify(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	c1, err := s.Append(ctx, Chain{}, records(1, 3))
	if err != nil {
		t.Fatal(err)
	}
	c2, err := s.Append(ctx, c1, records(4, 2))
	if err != nil {
		t.Fatal(err)
	}
	var seqs []uint64
	if err := s.Records(ctx, 2, 0, func(r Record) error { seqs = append(seqs, r.Seq); return nil }); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(seqs) != "[3 4 5]" {
		t.Fatalf("records after 2: %v", seqs)
	}
	tail, err := s.VerifyTail(ctx, 0, Chain{})
	if err != nil || tail.Seq != 5 || tail.Chain != c2 || tail.Cut != 0 {
		t.Fatalf("tail %+v, %v; want seq 5, the appended chain, nothing cut", tail, err)
	}
	if last, err := s.LastSeq(ctx); err != nil || last != 5 {
		t.Fatalf("last seq %d, %v", last, err)
	}
}

func TestDamagedTailIsCut(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	c, err := s.Append(ctx, Chain{}, records(1, 4))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Append(ctx, c, records(5, 3)); err != nil {
		t.Fatal(err)
	}
	// A write that reached the disk only in part: record 6's args are torn.
	if _, err := s.db.Exec(`UPDATE commands SET args = '{"tor' WHERE seq = 6`); err != nil {
		t.Fatal(err)
	}
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

func TestSnapshotsKeepTheLatest(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
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
	var n int
	s.db.QueryRow(`SELECT COUNT(*) FROM snapshots`).Scan(&n)
	if n != 2 {
		t.Fatalf("%d snapshots kept, want 2", n)
	}
}
