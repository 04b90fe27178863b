package server

import (
	"net/http"
	"testing"
	"time"

	"github.com/vpool/vpool/cover"
)

// stoppedClock is a clock that never moves, so that reads between two
// commands are at the same (seq, now) and hit the answers cache.
func stoppedClock() time.Time { return time.Unix(1_700_000_000, 0) }

// TestCachedAnswersAreAuthorizedPerRequest: once bob's cover and alice's
// position are cached, the other user is still refused (403), staff still
// read them, and the bytes are those of the owner's answer.
func TestCachedAnswersAreAuthorizedPerRequest(t *testing.T) {
	ta := newTestAPIClock(t, HandlerOptions{Dev: true}, stoppedClock)
	ta.seed()
	for _, c := range []struct{ path, owner, other string }{
		{"/v1/covers/0", "bob", "alice"}, {"/v1/positions/0", "alice", "bob"},
	} {
		first := ta.must(http.StatusOK, "GET", c.path, c.owner, "", nil).Body.String()
		if again := ta.must(http.StatusOK, "GET", c.path, c.owner, "", nil).Body.String(); again != first {
			t.Fatalf("%s changed with no new command:\n%s\n%s", c.path, first, again)
		}
		if rec := ta.do("GET", c.path, c.other, ""); rec.Code != http.StatusForbidden || errorCode(t, rec) != codeForbidden {
			t.Fatalf("%s as %s once cached: %d %s", c.path, c.other, rec.Code, rec.Body)
		}
		if staff := ta.must(http.StatusOK, "GET", c.path, "admin", "", nil).Body.String(); staff != first {
			t.Fatalf("%s for admin differs from the owner's answer", c.path)
		}
	}
}

// TestCachedAnswersFollowEveryCommand: an answer cached before a command is
// not served after it. The clock is stopped, so only the seq moves: bob's
// new cover, read through the cache, matches the one in his account (read
// without it) both before and after he adds premiums, and they differ.
func TestCachedAnswersFollowEveryCommand(t *testing.T) {
	ta := newTestAPIClock(t, HandlerOptions{Dev: true}, stoppedClock)
	ta.seed()
	ta.submit("bob", `{"op":"openCover","args":{"pool":0,"amount":"1000000000","premiums":"10000000"}}`)
	read := func() (cached, uncached cover.CoverView) {
		var acct AccountInfo
		ta.must(http.StatusOK, "GET", "/v1/covers/1", "bob", "", &cached)
		ta.must(http.StatusOK, "GET", "/v1/accounts/bob", "bob", "", &acct)
		return cached, acct.Covers[1]
	}
	before, want := read()
	if before != want {
		t.Fatalf("cached %+v, account says %+v", before, want)
	}
	ta.submit("bob", `{"op":"updateCover","args":{"cover":1,"premiumsToAdd":"5000000"}}`)
	after, want := read()
	if after != want || after.PremiumsLeft == before.PremiumsLeft {
		t.Fatalf("after adding premiums: cached %+v, account says %+v, before %+v", after, want, before)
	}
}
