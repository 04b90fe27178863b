package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"
)

// The error codes of a market with several nodes.
const (
	// codeNotLeader: a command sent to a follower or standby (421, with
	// the leader's URL in X-Vpool-Leader).
	codeNotLeader = "not_leader"
	// codeNoLeader: a command sent while no node serves as the leader
	// (503: a standby is taking over).
	codeNoLeader = "no_leader"
	// codeBehind: a read whose ?minSeq= the node did not reach in time.
	codeBehind = "behind"
)

// defaultMinSeqWait is how long a read waits for its ?minSeq=.
const defaultMinSeqWait = 5 * time.Second

// notLeaderError answers a command this node cannot take: 421 naming the
// leader, or 503 while there is none.
func notLeaderError(w http.ResponseWriter, e *NotLeaderError) *apiError {
	if e.Leader.Address == "" {
		w.Header().Set("Retry-After", "1")
		return errorf(http.StatusServiceUnavailable, codeNoLeader,
			"no node leads the market right now (a standby takes over within seconds); send the command again shortly")
	}
	w.Header().Set("X-Vpool-Leader", e.Leader.Address)
	return errorf(http.StatusMisdirectedRequest, codeNotLeader,
		"this node only serves reads; send commands to the leader at %s", e.Leader.Address)
}

// leaderOnly refuses a command on a node that does not lead.
func (a *api) leaderOnly(w http.ResponseWriter) error {
	if a.n.Leading() {
		return nil
	}
	var e *NotLeaderError
	if err := a.n.notLeader(); errors.As(err, &e) {
		return notLeaderError(w, e)
	}
	return errorf(http.StatusServiceUnavailable, codeUnavailable, "%v", ErrClosed)
}

// awaitMinSeq holds a request that asks for ?minSeq=N until the node
// reflects at least seq N (read your own writes on a follower), for at
// most MinSeqWait; then it is 503 behind.
func (a *api) awaitMinSeq(w http.ResponseWriter, r *http.Request) error {
	raw := r.URL.Query().Get("minSeq")
	if raw == "" {
		return nil
	}
	seq, err := strconv.ParseUint(raw, 10, 64)
	if err != nil {
		return badRequest("minSeq %q: want a seq, an integer of 0 or more", raw)
	}
	ctx, cancel := context.WithTimeout(r.Context(), a.opt.MinSeqWait)
	defer cancel()
	if err := a.n.WaitSeq(ctx, seq); err != nil {
		w.Header().Set("Retry-After", "1")
		return errorf(http.StatusServiceUnavailable, codeBehind, "this node reflects seq %d, not yet minSeq %d (waited %s)",
			a.n.Seq(), seq, a.opt.MinSeqWait)
	}
	return nil
}
