package server

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/scenario"
	"github.com/vpool/vpool/store"
)

// CheckNewKey validates a key request before anything is written: a known
// role; an account for a user key (a name scenario.CheckAccount accepts,
// never a fee account of the market) and none for the others.
func CheckNewKey(role, account string) error {
	switch role {
	case RoleAdmin, RoleArbiter:
		if account != "" {
			return fmt.Errorf("an account is only for user keys: a %s key acts for no account", role)
		}
		return nil
	case RoleUser:
	default:
		return fmt.Errorf("role %q: want admin, arbiter or user", role)
	}
	switch {
	case account == "":
		return fmt.Errorf("a user key needs an account: the account it acts as")
	case account == cover.Treasury || account == cover.RiskFund:
		return fmt.Errorf("account %q is a fee account of the market; no user key may act as it", account)
	}
	return scenario.CheckAccount(account)
}

// maxKeyLifetime bounds an expiry, so that it stays a valid time.
const maxKeyLifetime = 100 * 365 * 24 * time.Hour

// ParseKeyLifetime reads how long a new key lives: whole days ("30d"), a
// Go duration ("12h", "90m") or both ("1d12h"); it must be positive and at
// most 100 years.
func ParseKeyLifetime(s string) (time.Duration, error) {
	bad := fmt.Errorf("key lifetime %q: want e.g. 30d, 12h or 1d12h", s)
	var d time.Duration
	rest := s
	if days, after, ok := strings.Cut(s, "d"); ok {
		n, err := strconv.ParseUint(days, 10, 16)
		if err != nil {
			return 0, bad
		}
		d, rest = time.Duration(n)*24*time.Hour, after
	}
	if rest != "" || d == 0 {
		more, err := time.ParseDuration(rest)
		if err != nil {
			return 0, bad
		}
		d += more
	}
	if d <= 0 || d > maxKeyLifetime {
		return 0, fmt.Errorf("key lifetime %q: want more than 0 and at most 100 years", s)
	}
	return d, nil
}

// KeyInfo is a key as listed (never its secret); times are RFC 3339 UTC,
// absent for "never".
type KeyInfo struct {
	ID       string `json:"id"`
	Role     string `json:"role"`
	Account  string `json:"account,omitempty"`
	Status   string `json:"status"`
	Created  string `json:"created"`
	Expires  string `json:"expires,omitempty"`
	LastUsed string `json:"lastUsed,omitempty"`
	Revoked  string `json:"revoked,omitempty"`
}

// The statuses of a key.
const (
	KeyActive  = "active"
	KeyExpired = "expired"
	KeyRevoked = "revoked"
)

// NewKeyInfo describes k as of now.
func NewKeyInfo(k store.Key, now time.Time) KeyInfo {
	status := KeyActive
	switch {
	case !k.Revoked.IsZero():
		status = KeyRevoked
	case !k.Expires.IsZero() && !now.Before(k.Expires):
		status = KeyExpired
	}
	return KeyInfo{ID: k.ID, Role: k.Role, Account: k.Account, Status: status, Created: rfc3339(k.Created),
		Expires: rfc3339(k.Expires), LastUsed: rfc3339(k.LastUsed), Revoked: rfc3339(k.Revoked)}
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
