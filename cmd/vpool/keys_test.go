package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// createKey runs `vpool keys create` and returns the token.
func createKey(t *testing.T, args ...string) string {
	t.Helper()
	stdout, stderr, err := run(t, keysCmd(), append([]string{"create"}, args...)...)
	if err != nil {
		t.Fatalf("keys create %v: %v\n%s", args, err, stderr)
	}
	return strings.TrimSpace(stdout)
}

// keyID is the id part of a token, vpk_ID_SECRET.
func keyID(token string) string { return strings.Split(token, "_")[1] }

// A key revoked with `vpool keys revoke` beside a running server is 401
// on its first request a second later, though the server had just
// authenticated (and cached) it; the other keys keep working.
func TestRevokedKeyIsRefusedByARunningServerWithinASecond(t *testing.T) {
	dir := t.TempDir()
	admin := createKey(t, "--data", dir, "--role", "admin")
	user := createKey(t, "--data", dir, "--role", "user", "--account", "alice")
	addr, _, _ := startServe(t, serveConfig{store: dir, addr: "127.0.0.1:0"})
	url := "http://" + addr + "/v1/accounts/alice"
	for range 3 {
		if code, body := get(t, url, user); code != http.StatusOK {
			t.Fatalf("before revoking: %d %s", code, body)
		}
	}
	if _, stderr, err := run(t, keysCmd(), "revoke", "--data", dir, keyID(user)); err != nil || !strings.Contains(stderr, "revoked user key "+keyID(user)) {
		t.Fatalf("keys revoke: %v\n%s", err, stderr)
	}
	time.Sleep(time.Second)
	code, body := get(t, url, user)
	if code != http.StatusUnauthorized || !strings.Contains(body, "revoked") {
		t.Fatalf("a second after revoking: %d %s, want 401 saying revoked", code, body)
	}
	if code, body := get(t, url, admin); code != http.StatusOK {
		t.Fatalf("another key after the revocation: %d %s", code, body)
	}
	// Revoking again says so and succeeds; an unknown id fails.
	if _, stderr, err := run(t, keysCmd(), "revoke", "--data", dir, keyID(user)); err != nil || !strings.Contains(stderr, "already revoked") {
		t.Fatalf("revoking again: %v\n%s", err, stderr)
	}
	if _, _, err := run(t, keysCmd(), "revoke", "--data", dir, "0000000000000000"); err == nil || !strings.Contains(err.Error(), "no API key") {
		t.Fatalf("revoking an unknown id: %v", err)
	}
}

// A key created with --expires works until then and is 401 after.
func TestExpiredKeyIsRefused(t *testing.T) {
	dir := t.TempDir()
	short := createKey(t, "--data", dir, "--role", "admin", "--expires", "2s")
	addr, _, _ := startServe(t, serveConfig{store: dir, addr: "127.0.0.1:0"})
	url := "http://" + addr + "/v1/pools"
	if code, body := get(t, url, short); code != http.StatusOK {
		t.Fatalf("before expiry: %d %s", code, body)
	}
	time.Sleep(2 * time.Second)
	if code, body := get(t, url, short); code != http.StatusUnauthorized || !strings.Contains(body, "expired") {
		t.Fatalf("after expiry: %d %s, want 401 saying expired", code, body)
	}
	for _, bad := range []string{"0d", "-1h", "30", "d", "30x", "40000d"} {
		if _, _, err := run(t, keysCmd(), "create", "--data", dir, "--role", "admin", "--expires", bad); err == nil {
			t.Errorf("--expires %s accepted", bad)
		}
	}
}

// keys list shows every key's id, role, account, status, creation, last
// use and expiry, and never a secret.
func TestKeysListShowsTheLifecycleAndNoSecret(t *testing.T) {
	dir := t.TempDir()
	admin := createKey(t, "--data", dir, "--role", "admin")
	user := createKey(t, "--data", dir, "--role", "user", "--account", "bob", "--expires", "30d")
	revoked := createKey(t, "--data", dir, "--role", "arbiter")
	run(t, keysCmd(), "revoke", "--data", dir, keyID(revoked))
	addr, _, _ := startServe(t, serveConfig{store: dir, addr: "127.0.0.1:0"})
	get(t, "http://"+addr+"/v1/pools", admin)

	stdout, _, err := run(t, keysCmd(), "list", "--data", dir, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var listed struct{ Keys []map[string]string }
	if err := json.Unmarshal([]byte(stdout), &listed); err != nil || len(listed.Keys) != 3 {
		t.Fatalf("keys list --json: %v\n%s", err, stdout)
	}
	byID := map[string]map[string]string{}
	for _, k := range listed.Keys {
		byID[k["id"]] = k
	}
	now := time.Now()
	a, u, r := byID[keyID(admin)], byID[keyID(user)], byID[keyID(revoked)]
	if a["status"] != "active" || a["lastUsed"] == "" || u["lastUsed"] != "" || u["account"] != "bob" {
		t.Fatalf("admin %v, user %v: want the admin used and the user not", a, u)
	}
	if exp, err := time.Parse(time.RFC3339, u["expires"]); err != nil || exp.Sub(now) < 29*24*time.Hour || exp.Sub(now) > 30*24*time.Hour {
		t.Fatalf("the user key's expiry %q, want 30 days from now", u["expires"])
	}
	if r["status"] != "revoked" || r["revoked"] == "" {
		t.Fatalf("revoked key listed as %v", r)
	}
	table, _, err := run(t, keysCmd(), "list", "--data", dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, token := range []string{admin, user, revoked} {
		secret := strings.Split(token, "_")[2]
		if strings.Contains(stdout, secret) || strings.Contains(table, secret) {
			t.Fatal("keys list shows a secret")
		}
	}
	if lines := strings.Split(strings.TrimSpace(table), "\n"); len(lines) != 4 || !strings.HasPrefix(lines[0], "ID ") ||
		!strings.Contains(table, keyID(user)+"  user     bob") {
		t.Fatalf("the table:\n%s", table)
	}
	if _, _, err := run(t, keysCmd(), "list", "--data", dir+"/missing"); err == nil || !strings.Contains(err.Error(), "no vpool data") {
		t.Fatalf("keys list on a missing directory: %v", err)
	}
}
