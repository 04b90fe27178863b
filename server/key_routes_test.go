package server

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestKeyRoutesAreTheAdminsOnly(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{})
	for _, who := range []string{"arbiter", "alice"} {
		ta.must(http.StatusForbidden, "GET", "/v1/keys", who, "", nil)
		ta.must(http.StatusForbidden, "POST", "/v1/keys", who, `{"role":"admin"}`, nil)
		ta.must(http.StatusForbidden, "POST", "/v1/keys/x/revoke", who, "", nil)
	}
	ta.must(http.StatusUnauthorized, "GET", "/v1/keys", "", "", nil)
}

func TestKeysListedOverHTTPWithoutSecrets(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{})
	ta.must(200, "GET", "/v1/whoami", "alice", "", nil)
	var listed struct{ Keys []KeyInfo }
	rec := ta.must(200, "GET", "/v1/keys", "admin", "", &listed)
	if len(listed.Keys) != 4 {
		t.Fatalf("%d keys listed, want 4: %s", len(listed.Keys), rec.Body)
	}
	for name, token := range ta.keys {
		if strings.Contains(rec.Body.String(), strings.Split(token, "_")[2]) {
			t.Fatalf("GET /v1/keys shows %s's secret", name)
		}
	}
	used := map[string]bool{}
	for _, k := range listed.Keys {
		if k.Status != KeyActive || k.Created != "2023-11-14T22:13:20Z" {
			t.Fatalf("key %+v: want active, created at the test's time", k)
		}
		used[k.Account] = k.LastUsed != ""
	}
	if !used["alice"] || used["bob"] {
		t.Fatalf("last used: %v, want alice's key used (whoami) and bob's not", used)
	}
}

func TestKeyCreatedOverHTTPWorksAndExpires(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{})
	var made struct {
		Token string
		Key   KeyInfo
	}
	before := time.Now()
	ta.must(200, "POST", "/v1/keys", "admin", `{"role":"user","account":"carol","expiresIn":"1d"}`, &made)
	exp, err := time.Parse(time.RFC3339, made.Key.Expires)
	if err != nil || exp.Before(before.Add(24*time.Hour-time.Second)) || exp.After(time.Now().Add(24*time.Hour)) {
		t.Fatalf("expires %q, want a day from now", made.Key.Expires)
	}
	var p principal
	ta.must(200, "GET", "/v1/whoami", made.Token, "", &p)
	if p.Role != RoleUser || p.Account != "carol" || p.KeyID != made.Key.ID {
		t.Fatalf("the new key is %+v, want user carol %s", p, made.Key.ID)
	}
	for _, body := range []string{
		`{"role":"root"}`,
		`{"role":"user"}`,
		`{"role":"user","account":"treasury"}`,
		`{"role":"admin","account":"alice"}`,
		`{"role":"admin","expiresIn":"soon"}`,
		`{"role":"admin","expiresIn":"0d"}`,
		`{"role":"admin","secret":"x"}`,
	} {
		ta.must(http.StatusBadRequest, "POST", "/v1/keys", "admin", body, nil)
	}
}

// A key revoked over HTTP is refused on its very next request, though it
// was just authenticated and cached.
func TestKeyRevokedOverHTTPIsRefusedOnItsNextRequest(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{KeyCacheTTL: time.Hour})
	var p principal
	ta.must(200, "GET", "/v1/whoami", "alice", "", &p)
	var revoked KeyInfo
	ta.must(200, "POST", "/v1/keys/"+p.KeyID+"/revoke", "admin", "", &revoked)
	if revoked.Status != KeyRevoked || revoked.Revoked == "" || revoked.ID != p.KeyID {
		t.Fatalf("revoke answered %+v", revoked)
	}
	rec := ta.must(http.StatusUnauthorized, "GET", "/v1/whoami", "alice", "", nil)
	if !strings.Contains(rec.Body.String(), "revoked") {
		t.Fatalf("the revoked key's answer: %s", rec.Body)
	}
	ta.must(200, "GET", "/v1/whoami", "bob", "", nil)
	ta.must(200, "POST", "/v1/keys/"+p.KeyID+"/revoke", "admin", "", &revoked)
	ta.must(http.StatusNotFound, "POST", "/v1/keys/0000000000000000/revoke", "admin", "", nil)
}
