package store

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/vpool/vpool/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// openPG opens a store on a new database of the package's PostgreSQL.
func openPG(t *testing.T, url string) *Postgres {
	t.Helper()
	p, err := OpenPostgres(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// exec runs sql on the database at url, as an operator would with psql.
func exec(t *testing.T, url, sql string, args ...any) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), sql, args...); err != nil {
		t.Fatal(err)
	}
}

func lead(t *testing.T, p *Postgres, holder string) *Lease {
	t.Helper()
	l, err := p.Lead(context.Background(), LeaseOptions{Holder: holder, Address: "http://" + holder}, false)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestPostgresSchemaIsMigratedOnceAndANewerOneRefused(t *testing.T) {
	url := pgtest.URL(t)
	// Two nodes starting at once on a new database migrate it once.
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := OpenPostgres(context.Background(), url)
			if err == nil {
				p.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	p := openPG(t, url)
	var version int
	if err := p.pool.QueryRow(context.Background(), `SELECT version FROM vpool_schema`).Scan(&version); err != nil || version != len(pgMigrations) {
		t.Fatalf("schema version %d, %v; want %d", version, err, len(pgMigrations))
	}
	p.Close()

	exec(t, url, `UPDATE vpool_schema SET version = $1`, len(pgMigrations)+1)
	_, err := OpenPostgres(context.Background(), url)
	var newer *NewerSchemaError
	if !errors.As(err, &newer) || newer.Version != len(pgMigrations)+1 || newer.Known != len(pgMigrations) {
		t.Fatalf("opening a database of a newer vpool: %v, want a NewerSchemaError", err)
	}
	t.Log(err)
}

func TestPostgresAppendNeedsTheLease(t *testing.T) {
	ctx := context.Background()
	p := openPG(t, pgtest.URL(t))
	if _, err := p.Append(ctx, Chain{}, records(1, 2)); !errors.Is(err, ErrFenced) {
		t.Fatalf("append without the lease: %v, want ErrFenced", err)
	}
	if last, err := p.LastSeq(ctx); err != nil || last != 0 {
		t.Fatalf("last seq %d, %v; nothing should be written", last, err)
	}
}

func TestPostgresTakeOverFencesTheOldLeader(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	a, b := openPG(t, url), openPG(t, url)
	la := lead(t, a, "node-a")
	chain, err := a.Append(ctx, Chain{}, records(1, 5))
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.Lead(ctx, LeaseOptions{Holder: "node-b"}, false)
	var busy *LeaderBusyError
	if !errors.As(err, &busy) || busy.Leader.Holder != "node-a" || busy.Leader.Address != "http://node-a" || busy.Leader.Term != la.Term {
		t.Fatalf("leading a led market: %v, want a LeaderBusyError naming node-a", err)
	}

	// b waits for the lock; a's session is ended from outside, as
	// PostgreSQL ends a silent one.
	taken := make(chan *Lease, 1)
	go func() {
		l, err := b.Lead(ctx, LeaseOptions{Holder: "node-b", Address: "http://node-b"}, true)
		if err != nil {
			t.Error(err)
		}
		taken <- l
	}()
	select {
	case <-taken:
		t.Fatal("b took the lease while a held it")
	case <-time.After(200 * time.Millisecond):
	}
	exec(t, url, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = $1`, int(la.conn.PgConn().PID()))
	var lb *Lease
	select {
	case lb = <-taken:
	case <-time.After(10 * time.Second):
		t.Fatal("b did not take the lease after a's session ended")
	}
	if lb == nil || lb.Term != la.Term+1 {
		t.Fatalf("b's term %v, want %d", lb, la.Term+1)
	}
	if _, err := a.Append(ctx, chain, records(6, 3)); !errors.Is(err, ErrFenced) {
		t.Fatalf("the old leader's append: %v, want ErrFenced", err)
	}
	select {
	case <-la.Lost():
		if !errors.Is(la.Err(), ErrFenced) {
			t.Fatalf("a's lease lost with %v", la.Err())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a never noticed it lost the lease")
	}
	if _, err := b.Append(ctx, chain, records(6, 3)); err != nil {
		t.Fatalf("the new leader's append: %v", err)
	}
	if leader, err := b.Leader(ctx); err != nil || leader.Holder != "node-b" || leader.Address != "http://node-b" || leader.Term != lb.Term {
		t.Fatalf("leader row %+v, %v", leader, err)
	}
}

// A leader that stops speaking (a paused process) loses its lease once
// PostgreSQL has found its session silent for the TTL, without anyone
// ending it by hand.
func TestPostgresSilentLeaderLosesTheLeaseAfterTheTTL(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	a, b := openPG(t, url), openPG(t, url)
	la, err := a.Lead(ctx, LeaseOptions{Holder: "node-a", TTL: 500 * time.Millisecond}, false)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second) // it speaks, so it keeps the lease
	if _, err := b.Lead(ctx, LeaseOptions{Holder: "node-b"}, false); err == nil {
		t.Fatal("b led while a kept its lease alive")
	}
	la.silence() // a falls silent, as if paused
	began := time.Now()
	lb, err := b.Lead(ctx, LeaseOptions{Holder: "node-b"}, true)
	if err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(began); waited > 5*time.Second {
		t.Fatalf("b waited %s for a lease of 500ms", waited)
	}
	if lb.Term != la.Term+1 {
		t.Fatalf("term %d after %d", lb.Term, la.Term)
	}
}

func TestPostgresWatchWakesOnAppend(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	url := pgtest.URL(t)
	leader, follower := openPG(t, url), openPG(t, url)
	lead(t, leader, "a")
	wake := follower.Watch(ctx)
	select { // the first wake-up comes once it listens
	case <-wake:
	case <-time.After(10 * time.Second):
		t.Fatal("Watch never started listening")
	}
	if _, err := leader.Append(ctx, Chain{}, records(1, 1)); err != nil {
		t.Fatal(err)
	}
	select {
	case <-wake:
	case <-time.After(5 * time.Second):
		t.Fatal("no wake-up after an append")
	}
}
