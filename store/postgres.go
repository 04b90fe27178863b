package store

import (
	"context"
	"errors"
	"fmt"
	neturl "net/url"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Postgres is a market's store in a PostgreSQL database: the same log,
// snapshots and keys as the SQLite store, shared by the nodes of one
// market (a leader, standbys and followers). One database holds one
// market. Only the leader appends, under its lease (Lead).
type Postgres struct {
	pool *pgxpool.Pool
	// where names the database in messages (host, port and name; never
	// the password).
	where string
	// market is the market's id: the key of its advisory lock and the
	// suffix of its notification channel.
	market int64
	// lease is the leadership this store appends under (nil: none).
	lease *Lease
}

// IsPostgresURL says whether location names a PostgreSQL database
// (postgres:// or postgresql://) rather than a data directory.
func IsPostgresURL(location string) bool {
	return strings.HasPrefix(location, "postgres://") || strings.HasPrefix(location, "postgresql://")
}

// OpenPostgres connects to the database at url (a postgres:// URL, with
// any of libpq's parameters and environment variables), creates the
// market's schema or brings it up to date, and refuses a database whose
// schema is newer than this binary.
func OpenPostgres(ctx context.Context, url string) (*Postgres, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err) // pgx's message omits the password
	}
	where := fmt.Sprintf("postgres://%s:%d/%s", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", where, err)
	}
	p := &Postgres{pool: pool, where: where}
	if err := migratePostgres(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: %s: %w", where, err)
	}
	if err := pool.QueryRow(ctx, `SELECT market FROM leader`).Scan(&p.market); err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: %s: reading the market's id: %w", where, err)
	}
	return p, nil
}

// Where names the database: host, port and database name.
func (p *Postgres) Where() string { return p.where }

// Close releases the lease if held and closes the connections.
func (p *Postgres) Close() error {
	if p.lease != nil {
		p.lease.release()
	}
	p.pool.Close()
	return nil
}

// pgMigrations are the PostgreSQL schema's versions: pgMigrations[i]
// takes a database of version i to version i+1. Never edit one that has
// shipped: add the next.
var pgMigrations = []string{
	// 1: the log, the snapshots, the keys with their lifecycle (unix
	// seconds; NULL: never), and the leader row: the market's id, the
	// term of its current lease, and who holds it.
	`CREATE TABLE commands (
		seq     bigint PRIMARY KEY,
		at      bigint NOT NULL,
		op      text   NOT NULL,
		args    bytea  NOT NULL,
		outcome bytea  NOT NULL,
		chain   bytea  NOT NULL
	);
	CREATE TABLE snapshots (
		seq   bigint PRIMARY KEY,
		at    bigint NOT NULL,
		chain bytea  NOT NULL,
		state bytea  NOT NULL,
		hash  text   NOT NULL
	);
	CREATE TABLE api_keys (
		id        text   PRIMARY KEY,
		secret    bytea  NOT NULL,
		role      text   NOT NULL,
		account   text   NOT NULL,
		created   bigint NOT NULL,
		expires   bigint,
		last_used bigint,
		revoked   bigint
	);
	CREATE TABLE leader (
		one     boolean PRIMARY KEY DEFAULT true CHECK (one),
		market  bigint  NOT NULL,
		term    bigint  NOT NULL DEFAULT 0,
		holder  text    NOT NULL DEFAULT '',
		address text    NOT NULL DEFAULT '',
		since   timestamptz
	);
	INSERT INTO leader (market) VALUES (1 + floor(random() * 4611686018427387903)::bigint);`,
}

// migrationLock is the advisory lock key under which a process migrates
// a database (transaction-scoped: two nodes starting at once migrate it
// once).
const migrationLock = 0x7670_6f6f_6c5f_6d67 // "vpool_mg"

// migratePostgres brings the schema to the latest version in one
// transaction, and refuses a database written by a newer vpool.
func migratePostgres(ctx context.Context, pool *pgxpool.Pool) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrationLock)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS vpool_schema (version integer NOT NULL)`); err != nil {
			return err
		}
		var version int
		err := tx.QueryRow(ctx, `SELECT version FROM vpool_schema`).Scan(&version)
		if errors.Is(err, pgx.ErrNoRows) {
			_, err = tx.Exec(ctx, `INSERT INTO vpool_schema (version) VALUES (0)`)
		}
		if err != nil {
			return err
		}
		if version > len(pgMigrations) {
			return &NewerSchemaError{Version: version, Known: len(pgMigrations)}
		}
		for v := version; v < len(pgMigrations); v++ {
			if _, err := tx.Exec(ctx, pgMigrations[v]); err != nil {
				return fmt.Errorf("migrating the schema to version %d: %w", v+1, err)
			}
		}
		_, err = tx.Exec(ctx, `UPDATE vpool_schema SET version = $1`, len(pgMigrations))
		return err
	})
}

// NewerSchemaError reports a store written by a newer vpool than this
// one: its schema has migrations this binary does not know.
type NewerSchemaError struct {
	Version, Known int
}

func (e *NewerSchemaError) Error() string {
	return fmt.Sprintf("the schema is at version %d and this vpool knows up to version %d: it was written by a newer vpool; run that version (or newer)", e.Version, e.Known)
}

// Redact is a postgres:// URL without its password, for messages.
func Redact(url string) string {
	u, err := neturl.Parse(url)
	if err != nil {
		return "postgres://…" // unparsable: show nothing of it
	}
	return u.Redacted()
}
