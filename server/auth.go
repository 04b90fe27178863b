package server

import (
	"context"
	"crypto/sha256"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/vpool/vpool/store"
)

// The roles of API keys.
const (
	RoleAdmin   = "admin"
	RoleArbiter = "arbiter"
	RoleUser    = "user"
)

// principal is who a request acts as: its key's id, role and account.
type principal struct {
	KeyID   string `json:"key"`
	Role    string `json:"role"`
	Account string `json:"account,omitempty"`
}

func (p *principal) isStaff() bool { return p.Role == RoleAdmin || p.Role == RoleArbiter }

// canRead says whether p may read what belongs to account: staff read
// everything, a user only its own account.
func (p *principal) canRead(account string) bool {
	return p.isStaff() || p.Role == RoleUser && p.Account != "" && p.Account == account
}

// access is who may call a route.
type access int

const (
	// public routes need no key (health, readiness, metrics, the document).
	public access = iota
	// anyRole routes take any valid key; the handler may refine (a user
	// reads only its own objects, commands are checked op by op).
	anyRole
	// staffOnly routes take admin and arbiter keys.
	staffOnly
	// adminOnly routes take admin keys (the keys' own routes).
	adminOnly
)

func (x access) allows(p *principal) bool {
	switch x {
	case public:
		return true
	case anyRole:
		return p.Role == RoleAdmin || p.Role == RoleArbiter || p.Role == RoleUser
	case staffOnly:
		return p.isStaff()
	case adminOnly:
		return p.Role == RoleAdmin
	}
	return false
}

func (x access) roles() []string {
	switch x {
	case anyRole:
		return []string{RoleAdmin, RoleArbiter, RoleUser}
	case staffOnly:
		return []string{RoleAdmin, RoleArbiter}
	case adminOnly:
		return []string{RoleAdmin}
	}
	return nil
}

// authenticator checks bearer tokens against the store's hashed keys and
// remembers the keys it found for a moment (ttl, under a second, so that a
// key revoked by another process stops working within a second), so that
// a busy client does not cost a database read per request. Only the
// token's SHA-256 is kept.
type authenticator struct {
	st  store.Store
	ttl time.Duration

	mu    sync.Mutex
	cache map[[32]byte]cachedKey
}

type cachedKey struct {
	p       principal
	expires time.Time
}

// maxCachedKeys bounds the cache; when full it is emptied.
const maxCachedKeys = 10_000

func newAuthenticator(st store.Store, ttl time.Duration) *authenticator {
	return &authenticator{st: st, ttl: ttl, cache: map[[32]byte]cachedKey{}}
}

// forget drops the cached entries of key id (revoked through this server).
func (au *authenticator) forget(id string) {
	au.mu.Lock()
	defer au.mu.Unlock()
	for digest, c := range au.cache {
		if c.p.KeyID == id {
			delete(au.cache, digest)
		}
	}
}

// authenticate returns who the request's `Authorization: Bearer` key
// belongs to, or a 401.
func (au *authenticator) authenticate(r *http.Request) (*principal, error) {
	header := r.Header.Get("Authorization")
	if header == "" {
		return nil, errorf(http.StatusUnauthorized, codeUnauthorized, "missing API key: send Authorization: Bearer <key>")
	}
	scheme, token, ok := strings.Cut(header, " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return nil, errorf(http.StatusUnauthorized, codeUnauthorized, "malformed Authorization header: send Authorization: Bearer <key>")
	}
	// A short lookup: finish it even if the client has gone.
	return au.lookup(context.WithoutCancel(r.Context()), token)
}

func (au *authenticator) lookup(ctx context.Context, token string) (*principal, error) {
	digest := sha256.Sum256([]byte(token))
	now := time.Now()
	if au.ttl > 0 {
		au.mu.Lock()
		c, ok := au.cache[digest]
		au.mu.Unlock()
		if ok && now.Before(c.expires) {
			p := c.p
			return &p, nil
		}
	}
	key, err := au.st.Authenticate(ctx, token, now)
	switch {
	case errors.Is(err, store.ErrBadKey):
		return nil, errorf(http.StatusUnauthorized, codeUnauthorized, "unknown or malformed API key")
	case errors.Is(err, store.ErrKeyRevoked):
		return nil, errorf(http.StatusUnauthorized, codeUnauthorized, "API key %s was revoked at %s", key.ID, key.Revoked.Format(time.RFC3339))
	case errors.Is(err, store.ErrKeyExpired):
		return nil, errorf(http.StatusUnauthorized, codeUnauthorized, "API key %s expired at %s", key.ID, key.Expires.Format(time.RFC3339))
	case err != nil:
		return nil, errorf(http.StatusServiceUnavailable, codeUnavailable, "checking the API key: %v", err)
	}
	p := principal{KeyID: key.ID, Role: key.Role, Account: key.Account}
	if au.ttl > 0 {
		au.mu.Lock()
		if len(au.cache) >= maxCachedKeys {
			clear(au.cache)
		}
		expires := now.Add(au.ttl)
		if !key.Expires.IsZero() && key.Expires.Before(expires) {
			expires = key.Expires
		}
		au.cache[digest] = cachedKey{p: p, expires: expires}
		au.mu.Unlock()
	}
	return &p, nil
}

// guard wraps a route's handler: the node must be up (503), then the key
// must be valid (401) and its role allowed on the route (403).
func (a *api) guard(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p *principal
		if rt.access != public {
			if err := nodeUp(a.n); err != nil {
				refuse(w, r, errorf(http.StatusServiceUnavailable, codeUnavailable, "%v", err))
				return
			}
			var err error
			if p, err = a.keys.authenticate(r); err != nil {
				refuse(w, r, err)
				return
			}
			if !rt.access.allows(p) {
				refuse(w, r, forbidden("%s %s needs the role %s; this key is %s", rt.method, rt.path,
					strings.Join(rt.access.roles(), " or "), p.Role))
				return
			}
			if err := a.awaitMinSeq(w, r); err != nil {
				refuse(w, r, err)
				return
			}
		}
		if rt.stream {
			var done func()
			var err error
			if r, done, err = a.openStream(w, r, p); err != nil {
				refuse(w, r, err)
				return
			}
			defer done()
		}
		if err := rt.handle(w, r, p); err != nil {
			writeError(w, err)
		}
	})
}

// nodeUp is nil while the node accepts commands: not closing, and not
// stopped by a storage failure (its engine may then be ahead of the disk,
// so nothing it holds is served).
func nodeUp(n *Node) error {
	select {
	case <-n.stop:
		return ErrClosed
	default:
	}
	if !n.failed.Load() {
		return nil
	}
	n.mu.RLock()
	defer n.mu.RUnlock()
	return errors.Join(ErrClosed, n.failure)
}
