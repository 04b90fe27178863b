package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// CreateKey makes a new key and returns the token to give its holder: it
// is shown once and cannot be recovered.
func (p *Postgres) CreateKey(ctx context.Context, nk NewKey, now time.Time) (token string, key Key, err error) {
	key, digest, token, err := newKey(nk, now)
	if err != nil {
		return "", key, err
	}
	if _, err := p.pool.Exec(ctx, `INSERT INTO api_keys (id, secret, role, account, created, expires) VALUES ($1, $2, $3, $4, $5, $6)`,
		key.ID, digest[:], key.Role, key.Account, now.Unix(), unixOrNull(nk.Expires)); err != nil {
		return "", key, fmt.Errorf("store: %w", err)
	}
	return token, key, nil
}

// Authenticate returns the key a token belongs to, comparing the secret's
// digest in constant time, and refuses it if revoked or expired at now.
// It records now as the key's last use when the stored one is older than
// LastUsedEvery.
func (p *Postgres) Authenticate(ctx context.Context, token string, now time.Time) (Key, error) {
	return authenticate(token, now, func(id string, stored *[]byte) (Key, error) {
		key, err := scanKey(p.pool.QueryRow(ctx, `SELECT `+keyColumns+`, secret FROM api_keys WHERE id = $1`, id), stored)
		if errors.Is(err, pgx.ErrNoRows) {
			return Key{}, ErrBadKey
		}
		return key, err
	}, func(id string) error {
		_, err := p.pool.Exec(ctx, `UPDATE api_keys SET last_used = $1 WHERE id = $2`, now.Unix(), id)
		return err
	})
}

// ListKeys returns every key, revoked and expired ones too, oldest first.
func (p *Postgres) ListKeys(ctx context.Context) ([]Key, error) { return keysOf(p.keyRows(ctx)) }

// RevokeKey revokes the key id at now and returns it; a key already
// revoked keeps its first revocation time. An unknown id is ErrNotFound.
func (p *Postgres) RevokeKey(ctx context.Context, id string, now time.Time) (Key, error) {
	key, err := scanKey(p.pool.QueryRow(ctx, `UPDATE api_keys SET revoked = coalesce(revoked, $1) WHERE id = $2 RETURNING `+keyColumns, now.Unix(), id))
	if errors.Is(err, pgx.ErrNoRows) {
		return Key{}, ErrNotFound
	}
	if err != nil {
		return Key{}, fmt.Errorf("store: %w", err)
	}
	return key, nil
}

func (p *Postgres) keyRows(ctx context.Context) ([]keyRow, error) {
	rows, err := p.pool.Query(ctx, `SELECT `+keyColumns+`, secret FROM api_keys ORDER BY created, id`)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	defer rows.Close()
	return scanKeyRows(rows)
}

func (p *Postgres) putKeyRows(ctx context.Context, keys []keyRow) error {
	return pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		for _, k := range keys {
			if _, err := tx.Exec(ctx, `INSERT INTO api_keys (id, secret, role, account, created, expires, last_used, revoked) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
				k.ID, k.digest, k.Role, k.Account, k.Created.Unix(), unixOrNull(k.Expires), unixOrNull(k.LastUsed), unixOrNull(k.Revoked)); err != nil {
				return fmt.Errorf("store: key %s: %w", k.ID, err)
			}
		}
		return nil
	})
}
