package server

import (
	"errors"
	"net/http"
	"time"

	"github.com/vpool/vpool/store"
)

// keyRoutes manage the API keys over HTTP, as `vpool keys` does on the
// command line: admin keys only.
func (a *api) keyRoutes() []route {
	keyInfo := ref("KeyInfo")
	return []route{
		{method: "GET", path: "/v1/keys", access: adminOnly, handle: a.getKeys,
			summary: "Every API key, revoked and expired ones too (never a secret)",
			doc:     opDoc{ok: response("The keys, oldest first.", object(props{"keys": arrayOf(keyInfo)}, "keys")), errors: []int{401, 403, 503}}},
		{method: "POST", path: "/v1/keys", access: adminOnly, handle: a.postKey,
			summary: "Create an API key; its token is in this answer only",
			doc: opDoc{description: "A user key needs an account (never treasury or riskFund); admin and arbiter keys take none. " +
				"expiresIn is a lifetime such as 30d, 12h or 1d12h (absent: the key never expires).",
				body: object(props{"role": schema{"enum": []string{RoleAdmin, RoleArbiter, RoleUser}}, "account": str(), "expiresIn": str()}, "role"),
				ok: response("The token (shown once: only its digest is stored) and the key.",
					object(props{"token": str(), "key": keyInfo}, "token", "key")),
				errors: []int{400, 401, 403, 413, 503}}},
		{method: "POST", path: "/v1/keys/{id}/revoke", access: adminOnly, handle: a.postRevokeKey,
			summary: "Revoke an API key: its next request is 401",
			doc: opDoc{description: "Revoking a revoked key changes nothing and answers it as it is.",
				params: []param{pathParam("id", "The key's id (vpk_ID_… in its token).", str())},
				ok:     response("The revoked key.", keyInfo), errors: []int{401, 403, 404, 503}}},
	}
}

// keyInfoSchema is the KeyInfo component.
var keyInfoSchema = object(props{"id": str(), "role": schema{"enum": []string{RoleAdmin, RoleArbiter, RoleUser}},
	"account": str(), "status": schema{"enum": []string{KeyActive, KeyExpired, KeyRevoked}},
	"created": describe(str(), "RFC 3339, UTC."), "expires": describe(str(), "Absent: never."),
	"lastUsed": describe(str(), "To within a minute; absent: never used."), "revoked": str()},
	"id", "role", "status", "created")

func (a *api) getKeys(w http.ResponseWriter, r *http.Request, _ *principal) error {
	keys, err := a.n.Store().ListKeys(r.Context())
	if err != nil {
		return errorf(http.StatusServiceUnavailable, codeUnavailable, "listing the keys: %v", err)
	}
	now := time.Now()
	out := make([]KeyInfo, len(keys))
	for i, k := range keys {
		out[i] = NewKeyInfo(k, now)
	}
	writeJSON(w, http.StatusOK, struct {
		Keys []KeyInfo `json:"keys"`
	}{out})
	return nil
}

// newKeyRequest is the body of POST /v1/keys.
type newKeyRequest struct {
	Role      string `json:"role"`
	Account   string `json:"account"`
	ExpiresIn string `json:"expiresIn"`
}

func (a *api) postKey(w http.ResponseWriter, r *http.Request, _ *principal) error {
	var req newKeyRequest
	if err := a.decodeBody(w, r, &req); err != nil {
		return err
	}
	if err := CheckNewKey(req.Role, req.Account); err != nil {
		return badRequest("%v", err)
	}
	now := time.Now()
	nk := store.NewKey{Role: req.Role, Account: req.Account}
	if req.ExpiresIn != "" {
		life, err := ParseKeyLifetime(req.ExpiresIn)
		if err != nil {
			return badRequest("expiresIn: %v", err)
		}
		nk.Expires = now.Add(life)
	}
	token, key, err := a.n.Store().CreateKey(r.Context(), nk, now)
	if err != nil {
		return errorf(http.StatusServiceUnavailable, codeUnavailable, "creating the key: %v", err)
	}
	writeJSON(w, http.StatusOK, struct {
		Token string  `json:"token"`
		Key   KeyInfo `json:"key"`
	}{token, NewKeyInfo(key, now)})
	return nil
}

func (a *api) postRevokeKey(w http.ResponseWriter, r *http.Request, _ *principal) error {
	id := r.PathValue("id")
	now := time.Now()
	key, err := a.n.Store().RevokeKey(r.Context(), id, now)
	if errors.Is(err, store.ErrNotFound) {
		return errorf(http.StatusNotFound, codeNotFound, "no API key %q", id)
	}
	if err != nil {
		return errorf(http.StatusServiceUnavailable, codeUnavailable, "revoking the key: %v", err)
	}
	a.keys.forget(id)
	writeJSON(w, http.StatusOK, NewKeyInfo(key, now))
	return nil
}
