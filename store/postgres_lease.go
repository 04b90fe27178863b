package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Leader is who leads a market, as its leader row says.
type Leader struct {
	// Term counts the leases ever taken; it moves on at every take-over.
	Term int64
	// Holder names the leading process (host and pid).
	Holder string
	// Address is the URL of the leader's API ("" when it has stopped).
	Address string
	// Since is when the term began.
	Since time.Time
}

// LeaseOptions say who takes a lease and how it is kept.
type LeaseOptions struct {
	// Holder and Address are written into the leader row for the other
	// nodes (and operators) to see.
	Holder, Address string
	// TTL is how long PostgreSQL lets the lease's session stay silent
	// before ending it (idle_session_timeout), which releases the lock:
	// a paused or cut-off leader loses its lease after TTL, and a standby
	// may take over. The holder speaks every TTL/5. Default 5s.
	TTL time.Duration
}

// DefaultLeaseTTL is LeaseOptions.TTL's default.
const DefaultLeaseTTL = 5 * time.Second

// Lease is a node's leadership of its market: a session-level advisory
// lock held on a connection of its own, and the term it bumped the
// leader row to. Appends carry the term, so once another node takes over
// (after this session ended: a crash, a pause longer than the TTL, a cut
// network) nothing this node sends is written.
type Lease struct {
	// Term is the lease's term.
	Term int64

	conn     *pgx.Conn
	stop     chan struct{}
	stopOnce sync.Once
	done     chan struct{}
	lost     chan struct{}
	lostOnce sync.Once
	err      error
}

// LeaderBusyError reports a market another node leads.
type LeaderBusyError struct{ Leader Leader }

func (e *LeaderBusyError) Error() string {
	l := e.Leader
	addr := l.Address
	if addr == "" {
		addr = "no address"
	}
	return fmt.Sprintf("store: another node leads the market: %s (%s), term %d since %s", l.Holder, addr, l.Term, l.Since.UTC().Format(time.RFC3339))
}

// Lead takes the market's lease for this store, which it then appends
// under. With wait it blocks until the current leader's session ends
// (or ctx ends); without, a market led elsewhere is a *LeaderBusyError.
// Once it holds the lock it bumps the term: every append of an earlier
// leader is refused from then on, and every append that committed before
// is in the log the caller reads next.
func (p *Postgres) Lead(ctx context.Context, opt LeaseOptions, wait bool) (*Lease, error) {
	if p.lease != nil {
		return nil, errors.New("store: this store already holds the lease")
	}
	if opt.TTL <= 0 {
		opt.TTL = DefaultLeaseTTL
	}
	conn, err := pgx.ConnectConfig(ctx, p.pool.Config().ConnConfig)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", p.where, err)
	}
	l, err := p.lead(ctx, conn, opt, wait)
	if err != nil {
		conn.Close(context.Background())
		return nil, err
	}
	p.lease = l
	go l.keep(opt.TTL)
	return l, nil
}

func (p *Postgres) lead(ctx context.Context, conn *pgx.Conn, opt LeaseOptions, wait bool) (*Lease, error) {
	// The lock waits as long as it must; the session is ended by the
	// server once silent for TTL (PostgreSQL 14 or later).
	settings := fmt.Sprintf(`SET statement_timeout = 0; SET lock_timeout = 0; SET idle_session_timeout = %d`, opt.TTL.Milliseconds())
	if _, err := conn.Exec(ctx, settings); err != nil {
		return nil, fmt.Errorf("store: %s: setting up the lease's session (PostgreSQL 14 or later is needed): %w", p.where, err)
	}
	if wait {
		if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, p.market); err != nil {
			return nil, fmt.Errorf("store: %s: waiting for the lease: %w", p.where, err)
		}
	} else {
		var got bool
		if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, p.market).Scan(&got); err != nil {
			return nil, fmt.Errorf("store: %s: taking the lease: %w", p.where, err)
		}
		if !got {
			leader, err := p.Leader(ctx)
			if err != nil {
				return nil, err
			}
			return nil, &LeaderBusyError{Leader: leader}
		}
	}
	l := &Lease{conn: conn, stop: make(chan struct{}), done: make(chan struct{}), lost: make(chan struct{})}
	err := conn.QueryRow(ctx, `UPDATE leader SET term = term + 1, holder = $1, address = $2, since = now() RETURNING term`,
		opt.Holder, opt.Address).Scan(&l.Term)
	if err != nil {
		return nil, fmt.Errorf("store: %s: starting a term: %w", p.where, err)
	}
	return l, nil
}

// keep speaks on the lease's session every ttl/5, checking the term is
// still its own, until the lease is released or lost.
func (l *Lease) keep(ttl time.Duration) {
	defer close(l.done)
	t := time.NewTicker(ttl / 5)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), ttl)
		var term int64
		err := l.conn.QueryRow(ctx, `SELECT term FROM leader`).Scan(&term)
		cancel()
		if err == nil && term != l.Term {
			err = fmt.Errorf("term %d began", term)
		}
		if err != nil {
			l.lose(fmt.Errorf("%w: the lease's session: %v", ErrFenced, err))
			return
		}
	}
}

func (l *Lease) lose(err error) {
	l.lostOnce.Do(func() {
		l.err = err
		close(l.lost)
	})
}

// Lost is closed when the lease is lost: its session ended or another
// term began. The node must stop appending (its appends fail anyway).
func (l *Lease) Lost() <-chan struct{} { return l.lost }

// Err says why the lease was lost (nil while it is held).
func (l *Lease) Err() error {
	select {
	case <-l.lost:
		return l.err
	default:
		return nil
	}
}

// release ends the lease: it clears the address (so followers stop
// naming this node), and closes the session, which frees the lock for a
// standby at once.
func (l *Lease) release() {
	l.silence()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if l.Err() == nil {
		l.conn.Exec(ctx, `UPDATE leader SET address = '' WHERE term = $1`, l.Term) // best effort: the lock goes with the session
	}
	l.conn.Close(ctx)
	l.lose(errors.New("store: the lease was released"))
}

// silence stops the lease's keeper: the session falls silent.
func (l *Lease) silence() {
	l.stopOnce.Do(func() { close(l.stop) })
	<-l.done
}

// Leader reads the market's leader row.
func (p *Postgres) Leader(ctx context.Context) (Leader, error) {
	var l Leader
	var since *time.Time
	if err := p.pool.QueryRow(ctx, `SELECT term, holder, address, since FROM leader`).Scan(&l.Term, &l.Holder, &l.Address, &since); err != nil {
		return l, fmt.Errorf("store: %s: reading the leader: %w", p.where, err)
	}
	if since != nil {
		l.Since = *since
	}
	return l, nil
}

// Watch returns a channel that receives a value soon after an append
// commits (LISTEN on the market's channel, reconnecting after a
// failure), until ctx ends. Wake-ups merge: one value may stand for many
// appends, and one may come with none, so a reader polls the log when it
// wakes, and also now and then in case a notification was lost.
func (p *Postgres) Watch(ctx context.Context) <-chan struct{} {
	wake := make(chan struct{}, 1)
	go func() {
		for ctx.Err() == nil {
			p.listen(ctx, wake)
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
		}
	}()
	return wake
}

// listen wakes wake at every notification until the connection fails or
// ctx ends.
func (p *Postgres) listen(ctx context.Context, wake chan<- struct{}) {
	conn, err := pgx.ConnectConfig(ctx, p.pool.Config().ConnConfig)
	if err != nil {
		return
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, `LISTEN `+p.channel()); err != nil {
		return
	}
	for {
		select {
		case wake <- struct{}{}: // (re)connected: a notification may have been missed
		default:
		}
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return
		}
	}
}
