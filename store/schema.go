package store

import (
	"context"
	"database/sql"
	"fmt"
)

// sqliteMigrations are the SQLite schema's versions: sqliteMigrations[i]
// takes a database of version i (SQLite's user_version) to version i+1. A
// new data directory runs them all; an older one runs those it lacks,
// once, at open. Never edit one that has shipped: add the next.
var sqliteMigrations = []string{
	// 1: the log, the snapshots and the keys, as the first release made
	// them (IF NOT EXISTS: data directories of that release are at
	// version 0 with these tables in place).
	`CREATE TABLE IF NOT EXISTS commands (
		seq     INTEGER PRIMARY KEY,
		at      INTEGER NOT NULL,
		op      TEXT    NOT NULL,
		args    BLOB    NOT NULL,
		outcome BLOB    NOT NULL,
		chain   BLOB    NOT NULL
	);
	CREATE TABLE IF NOT EXISTS snapshots (
		seq   INTEGER PRIMARY KEY,
		at    INTEGER NOT NULL,
		chain BLOB    NOT NULL,
		state BLOB    NOT NULL,
		hash  TEXT    NOT NULL
	);
	CREATE TABLE IF NOT EXISTS api_keys (
		id      TEXT PRIMARY KEY,
		secret  BLOB NOT NULL,
		role    TEXT NOT NULL,
		account TEXT NOT NULL,
		created INTEGER NOT NULL
	);`,
	// 2: the keys' lifecycle, in unix seconds (NULL: never).
	`ALTER TABLE api_keys ADD COLUMN expires INTEGER;
	ALTER TABLE api_keys ADD COLUMN last_used INTEGER;
	ALTER TABLE api_keys ADD COLUMN revoked INTEGER;`,
}

// migrate brings db's schema to the latest version in one immediate
// transaction (so that two processes opening an old directory at once
// migrate it once), and refuses a directory written by a newer vpool.
func migrate(ctx context.Context, db *sql.DB) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var version int
	if err := conn.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return err
	}
	if version == len(sqliteMigrations) {
		return nil
	}
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		return err
	}
	err = applyMigrations(ctx, conn)
	if err == nil {
		_, err = conn.ExecContext(ctx, `COMMIT`)
	}
	if err != nil {
		conn.ExecContext(ctx, `ROLLBACK`)
		return err
	}
	return nil
}

// applyMigrations runs, inside the caller's transaction, the sqliteMigrations
// the database lacks (read again under the write lock).
func applyMigrations(ctx context.Context, conn *sql.Conn) error {
	var version int
	if err := conn.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return err
	}
	if version > len(sqliteMigrations) {
		return &NewerSchemaError{Version: version, Known: len(sqliteMigrations)}
	}
	for v := version; v < len(sqliteMigrations); v++ {
		if _, err := conn.ExecContext(ctx, sqliteMigrations[v]); err != nil {
			return fmt.Errorf("migrating the schema to version %d: %w", v+1, err)
		}
	}
	// PRAGMA takes no parameters; the value is a small integer of ours.
	_, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, len(sqliteMigrations)))
	return err
}
