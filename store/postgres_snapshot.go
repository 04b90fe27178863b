package store

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
)

// SaveSnapshot stores a snapshot and drops older ones but the previous.
// It needs no lease: a snapshot is of commands already in the log, so
// even one saved by a node that has since been fenced is a true state of
// the log's prefix.
func (p *Postgres) SaveSnapshot(ctx context.Context, snap Snapshot) error {
	return pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO snapshots (seq, at, chain, state, hash) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (seq) DO UPDATE SET at = excluded.at, chain = excluded.chain, state = excluded.state, hash = excluded.hash`,
			int64(snap.Seq), int64(snap.At), snap.Chain[:], snap.State, snap.Hash); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM snapshots WHERE seq < (SELECT seq FROM snapshots ORDER BY seq DESC LIMIT 1 OFFSET 1)`)
		return err
	})
}

// LatestSnapshot returns the newest snapshot, or ErrNotFound.
func (p *Postgres) LatestSnapshot(ctx context.Context) (Snapshot, error) {
	snap, err := scanSnapshot(p.pool.QueryRow(ctx, latestSnapshot))
	if errors.Is(err, pgx.ErrNoRows) {
		return snap, ErrNotFound
	}
	return snap, err
}
