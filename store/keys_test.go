package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

var t0 = time.Unix(1_700_000_000, 0)

func TestKeysAuthenticateOnlyTheirToken(t *testing.T) {
	eachBackend(t, testKeysAuthenticateOnlyTheirToken)
}

func testKeysAuthenticateOnlyTheirToken(t *testing.T, s Store, _ func(string)) {
	ctx := context.Background()
	token, key, err := s.CreateKey(ctx, NewKey{Role: "user", Account: "alice"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Authenticate(ctx, token, t0.Add(time.Second))
	if err != nil || got.ID != key.ID || got.Role != "user" || got.Account != "alice" || !got.Created.Equal(t0) {
		t.Fatalf("authenticate: %+v, %v", got, err)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM api_keys WHERE length(secret) = 32`); n != 1 {
		t.Fatal("the secret must be stored as a digest")
	}
	flipped := token[:len(token)-1] + map[bool]string{true: "1", false: "0"}[token[len(token)-1] == '0']
	for _, bad := range []string{"", "vpk_", token + "0", flipped, "vpk_" + key.ID + "_zz", "Bearer " + token} {
		if _, err := s.Authenticate(ctx, bad, t0); !errors.Is(err, ErrBadKey) {
			t.Errorf("%q: %v, want ErrBadKey", bad, err)
		}
	}
}

func TestRevokedKeyIsRefusedAndListedWithItsTime(t *testing.T) {
	eachBackend(t, testRevokedKeyIsRefusedAndListedWithItsTime)
}

func testRevokedKeyIsRefusedAndListedWithItsTime(t *testing.T, s Store, _ func(string)) {
	ctx := context.Background()
	token, key, err := s.CreateKey(ctx, NewKey{Role: "admin"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	other, _, err := s.CreateKey(ctx, NewKey{Role: "arbiter"}, t0.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	revokedAt := t0.Add(time.Hour)
	got, err := s.RevokeKey(ctx, key.ID, revokedAt)
	if err != nil || !got.Revoked.Equal(revokedAt) || got.ID != key.ID {
		t.Fatalf("revoke: %+v, %v", got, err)
	}
	if _, err := s.Authenticate(ctx, token, revokedAt.Add(time.Second)); !errors.Is(err, ErrKeyRevoked) {
		t.Fatalf("a revoked key authenticates: %v", err)
	}
	// The wrong secret for a revoked id says nothing about the key.
	if _, err := s.Authenticate(ctx, "vpk_"+key.ID+"_"+strings.Repeat("00", 32), revokedAt); !errors.Is(err, ErrBadKey) {
		t.Fatalf("a wrong secret: %v, want ErrBadKey", err)
	}
	if _, err := s.Authenticate(ctx, other, revokedAt); err != nil {
		t.Fatalf("revoking one key refused another: %v", err)
	}
	// Revoking again keeps the first time.
	if again, err := s.RevokeKey(ctx, key.ID, revokedAt.Add(time.Hour)); err != nil || !again.Revoked.Equal(revokedAt) {
		t.Fatalf("revoke again: %+v, %v", again, err)
	}
	if _, err := s.RevokeKey(ctx, "0000000000000000", revokedAt); !errors.Is(err, ErrNotFound) {
		t.Fatalf("revoking an unknown id: %v, want ErrNotFound", err)
	}
	keys, err := s.ListKeys(ctx)
	if err != nil || len(keys) != 2 {
		t.Fatalf("list: %+v, %v", keys, err)
	}
	if keys[0].ID != key.ID || !keys[0].Revoked.Equal(revokedAt) || keys[1].Role != "arbiter" || !keys[1].Revoked.IsZero() {
		t.Fatalf("list, oldest first: %+v", keys)
	}
}

func TestKeyExpiresAtItsTime(t *testing.T) { eachBackend(t, testKeyExpiresAtItsTime) }

func testKeyExpiresAtItsTime(t *testing.T, s Store, _ func(string)) {
	ctx := context.Background()
	expires := t0.Add(30 * 24 * time.Hour)
	token, key, err := s.CreateKey(ctx, NewKey{Role: "user", Account: "bob", Expires: expires}, t0)
	if err != nil || !key.Expires.Equal(expires) {
		t.Fatalf("create: %+v, %v", key, err)
	}
	if _, err := s.Authenticate(ctx, token, expires.Add(-time.Second)); err != nil {
		t.Fatalf("a second before expiry: %v", err)
	}
	if _, err := s.Authenticate(ctx, token, expires); !errors.Is(err, ErrKeyExpired) {
		t.Fatalf("at expiry: %v, want ErrKeyExpired", err)
	}
	keys, _ := s.ListKeys(ctx)
	if len(keys) != 1 || !keys[0].Expires.Equal(expires) {
		t.Fatalf("list: %+v", keys)
	}
}

func TestLastUsedIsWrittenAtMostOnceAMinute(t *testing.T) {
	eachBackend(t, testLastUsedIsWrittenAtMostOnceAMinute)
}

func testLastUsedIsWrittenAtMostOnceAMinute(t *testing.T, s Store, _ func(string)) {
	ctx := context.Background()
	token, _, err := s.CreateKey(ctx, NewKey{Role: "admin"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	lastUsed := func() time.Time {
		keys, err := s.ListKeys(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return keys[0].LastUsed
	}
	if !lastUsed().IsZero() {
		t.Fatal("a new key has been used")
	}
	for _, step := range []struct {
		at, want time.Time
	}{
		{t0.Add(10 * time.Second), t0.Add(10 * time.Second)},
		{t0.Add(69 * time.Second), t0.Add(10 * time.Second)}, // 59 s later: not written
		{t0.Add(70 * time.Second), t0.Add(70 * time.Second)}, // a minute later: written
	} {
		if _, err := s.Authenticate(ctx, token, step.at); err != nil {
			t.Fatal(err)
		}
		if got := lastUsed(); !got.Equal(step.want) {
			t.Fatalf("used at %v: last used %v, want %v", step.at.Sub(t0), got.Sub(t0), step.want.Sub(t0))
		}
	}
}
