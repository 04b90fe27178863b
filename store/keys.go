package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Key is an API key as stored: its public id, role, account and
// lifecycle. The secret itself is kept only as a SHA-256 digest. The
// times are UTC, to the second; a zero time is "never".
type Key struct {
	ID      string
	Role    string
	Account string
	Created time.Time
	// Expires is when the key stops working.
	Expires time.Time
	// LastUsed is when the key last authenticated a request, to within
	// LastUsedEvery.
	LastUsed time.Time
	// Revoked is when the key was revoked.
	Revoked time.Time
}

// NewKey is what a key is created with.
type NewKey struct {
	Role    string
	Account string
	// Expires is when the key stops working; zero: never.
	Expires time.Time
}

// LastUsedEvery is how stale a key's LastUsed may get: Authenticate
// writes it only when the stored one is older, so that a busy key does
// not cost a write per request.
const LastUsedEvery = time.Minute

const keyPrefix = "vpk_"

// Errors of the key lifecycle. ErrKeyRevoked and ErrKeyExpired are given
// only to a token whose secret matches.
var (
	// ErrBadKey reports a token that is malformed or matches no key.
	ErrBadKey = errors.New("store: unknown or malformed API key")
	// ErrKeyRevoked reports a key that has been revoked.
	ErrKeyRevoked = errors.New("store: the API key has been revoked")
	// ErrKeyExpired reports a key past its expiry.
	ErrKeyExpired = errors.New("store: the API key has expired")
)

// CreateKey makes a new key and returns the token to give its holder: it
// is shown once and cannot be recovered.
func (s *Store) CreateKey(ctx context.Context, nk NewKey, now time.Time) (token string, key Key, err error) {
	var id [8]byte
	var secret [32]byte
	if _, err := rand.Read(id[:]); err != nil {
		return "", key, err
	}
	if _, err := rand.Read(secret[:]); err != nil {
		return "", key, err
	}
	key = Key{ID: hex.EncodeToString(id[:]), Role: nk.Role, Account: nk.Account, Created: seconds(now), Expires: seconds(nk.Expires)}
	digest := sha256.Sum256(secret[:])
	if _, err := s.db.ExecContext(ctx, `INSERT INTO api_keys (id, secret, role, account, created, expires) VALUES (?, ?, ?, ?, ?, ?)`,
		key.ID, digest[:], key.Role, key.Account, now.Unix(), unixOrNull(nk.Expires)); err != nil {
		return "", key, err
	}
	return keyPrefix + key.ID + "_" + hex.EncodeToString(secret[:]), key, nil
}

// Authenticate returns the key a token belongs to, comparing the secret's
// digest in constant time, and refuses it if revoked or expired at now.
// It records now as the key's last use when the stored one is older than
// LastUsedEvery.
func (s *Store) Authenticate(ctx context.Context, token string, now time.Time) (Key, error) {
	rest, ok := strings.CutPrefix(token, keyPrefix)
	id, secretHex, ok2 := strings.Cut(rest, "_")
	secret, err := hex.DecodeString(secretHex)
	if !ok || !ok2 || err != nil || len(secret) != 32 {
		return Key{}, ErrBadKey
	}
	var stored []byte
	key, err := scanKey(s.db.QueryRowContext(ctx, `SELECT `+keyColumns+`, secret FROM api_keys WHERE id = ?`, id), &stored)
	if errors.Is(err, sql.ErrNoRows) {
		return Key{}, ErrBadKey
	}
	if err != nil {
		return Key{}, fmt.Errorf("store: %w", err)
	}
	digest := sha256.Sum256(secret)
	if subtle.ConstantTimeCompare(digest[:], stored) != 1 {
		return Key{}, ErrBadKey
	}
	switch {
	case !key.Revoked.IsZero():
		return key, ErrKeyRevoked
	case !key.Expires.IsZero() && !now.Before(key.Expires):
		return key, ErrKeyExpired
	}
	if now.Sub(key.LastUsed) >= LastUsedEvery {
		if _, err := s.db.ExecContext(ctx, `UPDATE api_keys SET last_used = ? WHERE id = ?`, now.Unix(), key.ID); err != nil {
			return Key{}, fmt.Errorf("store: recording the key's use: %w", err)
		}
		key.LastUsed = seconds(now)
	}
	return key, nil
}

// ListKeys returns every key, revoked and expired ones too, oldest first.
func (s *Store) ListKeys(ctx context.Context) ([]Key, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+keyColumns+` FROM api_keys ORDER BY created, rowid`)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	defer rows.Close()
	var keys []Key
	for rows.Next() {
		key, err := scanKey(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		keys = append(keys, key)
	}
	return keys, rows.Err()
}

// RevokeKey revokes the key id at now and returns it; a key already
// revoked keeps its first revocation time. An unknown id is ErrNotFound.
func (s *Store) RevokeKey(ctx context.Context, id string, now time.Time) (Key, error) {
	if _, err := s.db.ExecContext(ctx, `UPDATE api_keys SET revoked = ? WHERE id = ? AND revoked IS NULL`, now.Unix(), id); err != nil {
		return Key{}, fmt.Errorf("store: %w", err)
	}
	key, err := scanKey(s.db.QueryRowContext(ctx, `SELECT `+keyColumns+` FROM api_keys WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Key{}, ErrNotFound
	}
	if err != nil {
		return Key{}, fmt.Errorf("store: %w", err)
	}
	return key, nil
}

// keyColumns are the columns scanKey reads, in its order.
const keyColumns = `id, role, account, created, expires, last_used, revoked`

// scanKey reads a row of keyColumns, then extra columns into extra.
func scanKey(row interface{ Scan(...any) error }, extra ...any) (Key, error) {
	var key Key
	var created int64
	var expires, lastUsed, revoked sql.NullInt64
	dest := append([]any{&key.ID, &key.Role, &key.Account, &created, &expires, &lastUsed, &revoked}, extra...)
	if err := row.Scan(dest...); err != nil {
		return Key{}, err
	}
	key.Created = time.Unix(created, 0).UTC()
	key.Expires, key.LastUsed, key.Revoked = fromUnix(expires), fromUnix(lastUsed), fromUnix(revoked)
	return key, nil
}

// seconds is t in UTC truncated to the second, as stored (zero stays zero).
func seconds(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return time.Unix(t.Unix(), 0).UTC()
}

func unixOrNull(t time.Time) sql.NullInt64 {
	return sql.NullInt64{Int64: t.Unix(), Valid: !t.IsZero()}
}

func fromUnix(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.Unix(v.Int64, 0).UTC()
}
