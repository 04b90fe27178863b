package store

import (
	"context"
	"database/sql"
	"errors"
)

// Snapshot is the engine state after the command with sequence Seq.
type Snapshot struct {
	Seq   uint64
	At    uint64
	Chain Chain
	State []byte
	Hash  string
}

// SaveSnapshot stores a snapshot and drops older ones but the previous.
func (s *SQLite) SaveSnapshot(ctx context.Context, snap Snapshot) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO snapshots (seq, at, chain, state, hash) VALUES (?, ?, ?, ?, ?)`,
		int64(snap.Seq), int64(snap.At), snap.Chain[:], snap.State, snap.Hash); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM snapshots WHERE seq < (SELECT seq FROM snapshots ORDER BY seq DESC LIMIT 1 OFFSET 1)`); err != nil {
		return err
	}
	return tx.Commit()
}

// LatestSnapshot returns the newest snapshot, or ErrNotFound.
func (s *SQLite) LatestSnapshot(ctx context.Context) (Snapshot, error) {
	snap, err := scanSnapshot(s.db.QueryRowContext(ctx, latestSnapshot))
	if errors.Is(err, sql.ErrNoRows) {
		return snap, ErrNotFound
	}
	return snap, err
}

// latestSnapshot selects the newest snapshot, as scanSnapshot reads it.
const latestSnapshot = `SELECT seq, at, chain, state, hash FROM snapshots ORDER BY seq DESC LIMIT 1`

// scanSnapshot reads a row of (seq, at, chain, state, hash).
func scanSnapshot(row interface{ Scan(...any) error }) (Snapshot, error) {
	var snap Snapshot
	var seq, at int64
	var chain []byte
	if err := row.Scan(&seq, &at, &chain, &snap.State, &snap.Hash); err != nil {
		return snap, err
	}
	snap.Seq, snap.At = uint64(seq), uint64(at)
	copy(snap.Chain[:], chain)
	return snap, nil
}
