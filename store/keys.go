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

// newKey makes a key as nk says, created at now: the key, the digest of
// its secret (all that is stored of it) and the token to give its holder.
func newKey(nk NewKey, now time.Time) (key Key, digest [32]byte, token string, err error) {
	var id [8]byte
	var secret [32]byte
	if _, err := rand.Read(id[:]); err != nil {
		return key, digest, "", err
	}
	if _, err := rand.Read(secret[:]); err != nil {
		return key, digest, "", err
	}
	key = Key{ID: hex.EncodeToString(id[:]), Role: nk.Role, Account: nk.Account, Created: seconds(now), Expires: seconds(nk.Expires)}
	return key, sha256.Sum256(secret[:]), keyPrefix + key.ID + "_" + hex.EncodeToString(secret[:]), nil
}

// parseToken splits a token into its key's id and its secret's digest.
func parseToken(token string) (id string, digest [32]byte, err error) {
	rest, ok := strings.CutPrefix(token, keyPrefix)
	id, secretHex, ok2 := strings.Cut(rest, "_")
	secret, err := hex.DecodeString(secretHex)
	if !ok || !ok2 || err != nil || len(secret) != 32 {
		return "", digest, ErrBadKey
	}
	return id, sha256.Sum256(secret), nil
}

// checkKey compares a token's digest with the stored one in constant
// time, then refuses a key revoked or expired at now.
func checkKey(key Key, digest [32]byte, stored []byte, now time.Time) error {
	switch {
	case subtle.ConstantTimeCompare(digest[:], stored) != 1:
		return ErrBadKey
	case !key.Revoked.IsZero():
		return ErrKeyRevoked
	case !key.Expires.IsZero() && !now.Before(key.Expires):
		return ErrKeyExpired
	}
	return nil
}

// CreateKey makes a new key and returns the token to give its holder: it
// is shown once and cannot be recovered.
func (s *SQLite) CreateKey(ctx context.Context, nk NewKey, now time.Time) (token string, key Key, err error) {
	key, digest, token, err := newKey(nk, now)
	if err != nil {
		return "", key, err
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO api_keys (id, secret, role, account, created, expires) VALUES (?, ?, ?, ?, ?, ?)`,
		key.ID, digest[:], key.Role, key.Account, now.Unix(), unixOrNull(nk.Expires)); err != nil {
		return "", key, err
	}
	return token, key, nil
}

// Authenticate returns the key a token belongs to, comparing the secret's
// digest in constant time, and refuses it if revoked or expired at now.
// It records now as the key's last use when the stored one is older than
// LastUsedEvery.
func (s *SQLite) Authenticate(ctx context.Context, token string, now time.Time) (Key, error) {
	return authenticate(token, now, func(id string, stored *[]byte) (Key, error) {
		key, err := scanKey(s.db.QueryRowContext(ctx, `SELECT `+keyColumns+`, secret FROM api_keys WHERE id = ?`, id), stored)
		if errors.Is(err, sql.ErrNoRows) {
			return Key{}, ErrBadKey
		}
		return key, err
	}, func(id string) error {
		_, err := s.db.ExecContext(ctx, `UPDATE api_keys SET last_used = ? WHERE id = ?`, now.Unix(), id)
		return err
	})
}

// authenticate is Authenticate over a back end's lookup of a key by id
// (ErrBadKey when there is none; stored receives the secret's digest)
// and its write of the key's last use.
func authenticate(token string, now time.Time, lookup func(id string, stored *[]byte) (Key, error), used func(id string) error) (Key, error) {
	id, digest, err := parseToken(token)
	if err != nil {
		return Key{}, err
	}
	var stored []byte
	key, err := lookup(id, &stored)
	if errors.Is(err, ErrBadKey) {
		return Key{}, err
	}
	if err != nil {
		return Key{}, fmt.Errorf("store: %w", err)
	}
	if err := checkKey(key, digest, stored, now); err != nil {
		if errors.Is(err, ErrBadKey) {
			return Key{}, err
		}
		return key, err
	}
	if now.Sub(key.LastUsed) >= LastUsedEvery {
		if err := used(key.ID); err != nil {
			return Key{}, fmt.Errorf("store: recording the key's use: %w", err)
		}
		key.LastUsed = seconds(now)
	}
	return key, nil
}

// ListKeys returns every key, revoked and expired ones too, oldest first.
func (s *SQLite) ListKeys(ctx context.Context) ([]Key, error) { return keysOf(s.keyRows(ctx)) }

// RevokeKey revokes the key id at now and returns it; a key already
// revoked keeps its first revocation time. An unknown id is ErrNotFound.
func (s *SQLite) RevokeKey(ctx context.Context, id string, now time.Time) (Key, error) {
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

// keyRow is a key as stored, digest included: what Copy moves.
type keyRow struct {
	Key
	digest []byte
}

func (s *SQLite) keyRows(ctx context.Context) ([]keyRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+keyColumns+`, secret FROM api_keys ORDER BY created, rowid`)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	defer rows.Close()
	return scanKeyRows(rows)
}

// scanKeyRows reads rows of keyColumns and the secret's digest.
func scanKeyRows(rs rows) ([]keyRow, error) {
	var out []keyRow
	for rs.Next() {
		var k keyRow
		var err error
		if k.Key, err = scanKey(rs, &k.digest); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		out = append(out, k)
	}
	return out, rs.Err()
}

// keysOf is the keys of rows, for ListKeys.
func keysOf(rows []keyRow, err error) ([]Key, error) {
	keys := make([]Key, len(rows))
	for i, r := range rows {
		keys[i] = r.Key
	}
	return keys, err
}

func (s *SQLite) putKeyRows(ctx context.Context, keys []keyRow) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, `INSERT INTO api_keys (id, secret, role, account, created, expires, last_used, revoked) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			k.ID, k.digest, k.Role, k.Account, k.Created.Unix(), unixOrNull(k.Expires), unixOrNull(k.LastUsed), unixOrNull(k.Revoked)); err != nil {
			return fmt.Errorf("store: key %s: %w", k.ID, err)
		}
	}
	return tx.Commit()
}
