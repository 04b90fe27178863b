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

// Key is an API key as stored: its public id, role and account. The
// secret itself is kept only as a SHA-256 digest.
type Key struct {
	ID      string
	Role    string
	Account string
	Created time.Time
}

const keyPrefix = "vpk_"

// CreateKey makes a new key for role (and account, for users) and returns
// the token to give its holder: it is shown once and cannot be recovered.
func (s *Store) CreateKey(ctx context.Context, role, account string, now time.Time) (token string, key Key, err error) {
	var id [8]byte
	var secret [32]byte
	if _, err := rand.Read(id[:]); err != nil {
		return "", key, err
	}
	if _, err := rand.Read(secret[:]); err != nil {
		return "", key, err
	}
	key = Key{ID: hex.EncodeToString(id[:]), Role: role, Account: account, Created: now.UTC()}
	digest := sha256.Sum256(secret[:])
	if _, err := s.db.ExecContext(ctx, `INSERT INTO api_keys (id, secret, role, account, created) VALUES (?, ?, ?, ?, ?)`,
		key.ID, digest[:], role, account, now.Unix()); err != nil {
		return "", key, err
	}
	return keyPrefix + key.ID + "_" + hex.EncodeToString(secret[:]), key, nil
}

// ErrBadKey reports a token that is malformed or matches no key.
var ErrBadKey = errors.New("store: unknown or malformed API key")

// Authenticate returns the key a token belongs to, comparing the secret's
// digest in constant time.
func (s *Store) Authenticate(ctx context.Context, token string) (Key, error) {
	rest, ok := strings.CutPrefix(token, keyPrefix)
	id, secretHex, ok2 := strings.Cut(rest, "_")
	secret, err := hex.DecodeString(secretHex)
	if !ok || !ok2 || err != nil || len(secret) != 32 {
		return Key{}, ErrBadKey
	}
	var key Key
	var stored []byte
	var created int64
	err = s.db.QueryRowContext(ctx, `SELECT id, secret, role, account, created FROM api_keys WHERE id = ?`, id).
		Scan(&key.ID, &stored, &key.Role, &key.Account, &created)
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
	key.Created = time.Unix(created, 0).UTC()
	return key, nil
}
