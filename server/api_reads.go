package server

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/failure"
	"github.com/vpool/vpool/scenario"
	"github.com/vpool/vpool/swap"
)

// PoolInfo is a pool's view with its yearly rates (ray percent):
// rewardRate is U × P, what LP capital earns from premiums before fees;
// netLpRate is what an unleveraged LP keeps after the pool fee.
type PoolInfo struct {
	cover.PoolView
	RewardRate string `json:"rewardRate"`
	NetLPRate  string `json:"netLpRate"`
}

// PositionInfo is a position's view with its APY (ray percent): the net
// rate of every pool it backs plus its strategy's rate.
type PositionInfo struct {
	cover.PositionView
	APY string `json:"apy"`
}

// AccountInfo is an account's balances, covers and positions.
type AccountInfo struct {
	Account   string            `json:"account"`
	Balances  map[string]string `json:"balances"`
	Covers    []cover.CoverView `json:"covers"`
	Positions []PositionInfo    `json:"positions"`
}

// poolInfo is pool id's view with its rates; a rate that cannot be
// computed is "0" (cover.Figure). It fails only for an unknown pool.
func poolInfo(m *cover.Market, id int, now uint64) (PoolInfo, error) {
	v, err := m.PoolAt(id, now)
	if err != nil {
		return PoolInfo{}, engineError(err)
	}
	r, err := m.PoolRates(id, now)
	return PoolInfo{PoolView: v, RewardRate: cover.Figure(r.RewardRate, err), NetLPRate: cover.Figure(r.NetRewardRate, err)}, nil
}

// positionInfo is position id's view with its APY; an APY that cannot be
// computed is "0" (cover.Figure). It fails only for an unknown position.
func positionInfo(m *cover.Market, id int, now uint64) (PositionInfo, error) {
	v, err := m.PositionAt(id, now)
	if err != nil {
		return PositionInfo{}, engineError(err)
	}
	return PositionInfo{PositionView: v, APY: cover.Figure(m.PositionAPY(id, now))}, nil
}

// getPools is GET /v1/pools.
func (a *api) getPools(w http.ResponseWriter, _ *http.Request, p *principal) error {
	return a.cachedRead(w, p, answerKey{kind: answerPoolList}, nil, func(m *cover.Market, now uint64) (any, string, error) {
		pools := make([]PoolInfo, m.Counts().Pools)
		for id := range pools {
			var err error
			if pools[id], err = poolInfo(m, id, now); err != nil {
				return nil, "", err
			}
		}
		return map[string]any{"pools": pools}, "", nil
	})
}

// getPool is GET /v1/pools/{id}.
func (a *api) getPool(w http.ResponseWriter, r *http.Request, p *principal) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return a.cachedRead(w, p, answerKey{answerPool, id}, nil, func(m *cover.Market, now uint64) (any, string, error) {
		v, err := poolInfo(m, id, now)
		return v, "", err
	})
}

// cachedRead answers the read k from the answers cache when it holds
// one for the current seq and now, or builds the view under the read lock,
// encodes it outside and caches it; view also returns the account owning
// the object ("" for none). Either way the answer is given only if p may
// read that account's objects (forbidden names what was refused).
func (a *api) cachedRead(w http.ResponseWriter, p *principal, k answerKey, forbidden func() error,
	view func(m *cover.Market, now uint64) (v any, owner string, err error)) error {
	var ans answer
	var cached bool
	var v any
	var seq, now uint64
	var err error
	a.n.Read(func(m *cover.Market, nw, s uint64) {
		seq, now = s, nw
		if ans, cached = a.answers.get(seq, now, k); !cached {
			v, ans.owner, err = view(m, now)
		}
	})
	if err != nil {
		return err
	}
	if ans.owner != "" && !p.canRead(ans.owner) {
		return forbidden()
	}
	if !cached {
		b, err := json.Marshal(v)
		if err != nil {
			return errorf(http.StatusInternalServerError, codeInternal, "encoding the answer: %v", err)
		}
		ans.body = append(b, '\n')
		a.answers.put(seq, now, k, ans)
	}
	stateHeaders(w, seq, now)
	writeBody(w, http.StatusOK, ans.body)
	return nil
}

// getCover is GET /v1/covers/{id}: a user reads only its own covers.
func (a *api) getCover(w http.ResponseWriter, r *http.Request, p *principal) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	refused := func() error { return forbidden("cover %d belongs to another account", id) }
	return a.cachedRead(w, p, answerKey{answerCover, id}, refused, func(m *cover.Market, now uint64) (any, string, error) {
		cv, err := m.CoverAt(id, now)
		if err != nil {
			return nil, "", engineError(err)
		}
		return cv, cv.Owner, nil
	})
}

// getPosition is GET /v1/positions/{id}: a user reads only its own.
func (a *api) getPosition(w http.ResponseWriter, r *http.Request, p *principal) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	refused := func() error { return forbidden("position %d belongs to another account", id) }
	return a.cachedRead(w, p, answerKey{answerPosition, id}, refused, func(m *cover.Market, now uint64) (any, string, error) {
		pos, err := positionInfo(m, id, now)
		return pos, pos.Owner, err
	})
}

// claimStatuses are the statuses a claim can have, as ClaimView names them.
var claimStatuses = []string{"open", "accepted", "rejected"}

// getClaim is GET /v1/claims/{id}: a user reads only claims on its own
// covers.
func (a *api) getClaim(w http.ResponseWriter, r *http.Request, p *principal) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var cl cover.ClaimView
	if err := a.read(w, func(m *cover.Market, _ uint64) (err error) {
		if cl, err = m.ClaimAt(id); err != nil {
			return engineError(err)
		}
		if !p.canRead(cl.Owner) {
			return forbidden("claim %d is on a cover of another account", id)
		}
		return nil
	}); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, cl)
	return nil
}

// getClaims is GET /v1/claims?status=S: every claim, or those of status
// S, in id order, for admin and arbiter keys (it names every account).
func (a *api) getClaims(w http.ResponseWriter, r *http.Request, _ *principal) error {
	status := r.URL.Query().Get("status")
	if status != "" && !slices.Contains(claimStatuses, status) {
		return badRequest("status %q is not one of %s", status, strings.Join(claimStatuses, ", "))
	}
	claims := []cover.ClaimView{}
	if err := a.read(w, func(m *cover.Market, _ uint64) error {
		for id := range m.Counts().Claims {
			cl, err := m.ClaimAt(id)
			if err != nil {
				return engineError(err)
			}
			if status == "" || cl.Status == status {
				claims = append(claims, cl)
			}
		}
		return nil
	}); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"claims": claims})
	return nil
}

// getAccount is GET /v1/accounts/{name}: balances, covers and positions.
// Accounts exist implicitly: an unknown name has nothing.
func (a *api) getAccount(w http.ResponseWriter, r *http.Request, p *principal) error {
	name := r.PathValue("name")
	if !p.canRead(name) {
		return forbidden("this key reads only the account %q", p.Account)
	}
	info := AccountInfo{Account: name, Balances: map[string]string{}, Covers: []cover.CoverView{}, Positions: []PositionInfo{}}
	err := a.read(w, func(m *cover.Market, now uint64) error {
		covers, positions := a.owners.of(m, now, name)
		for _, id := range covers {
			cv, err := m.CoverAt(id, now)
			if err != nil {
				return engineError(err)
			}
			info.Covers = append(info.Covers, cv)
		}
		for _, id := range positions {
			pos, err := positionInfo(m, id, now)
			if err != nil {
				return err
			}
			info.Positions = append(info.Positions, pos)
		}
		info.Balances = balancesOf(m, name)
		return nil
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, info)
	return nil
}

// balancesOf is what account holds of every asset the market knows
// (non-zero only).
func balancesOf(m *cover.Market, account string) map[string]string {
	out := map[string]string{}
	for _, asset := range m.Assets() {
		if b := m.Balance(account, asset.Symbol); !b.IsZero() {
			out[asset.Symbol] = b.Dec()
		}
	}
	return out
}

// getState is GET /v1/state: the state object of docs/scenario.md (with
// the swap additions of docs/swap.md §5 once the swap market is in use)
// as of now, for admin and arbiter keys (it holds every account). The
// header X-Vpool-State-Hash is the canonical state hash (vpool verify's).
func (a *api) getState(w http.ResponseWriter, _ *http.Request, _ *principal) error {
	return writeView(a, w, func(e *scenario.Engines, now uint64) (scenario.State, error) {
		w.Header().Set("X-Vpool-State-Hash", e.StateHash())
		return e.ViewAt(now), nil
	})
}

// getWhoami is GET /v1/whoami: the key's id, role and account.
func (a *api) getWhoami(w http.ResponseWriter, _ *http.Request, p *principal) error {
	writeJSON(w, http.StatusOK, p)
	return nil
}

// pathID parses a non-negative integer id from the path.
func pathID(r *http.Request, name string) (int, error) {
	s := r.PathValue(name)
	id, err := strconv.Atoi(s)
	if err != nil || id < 0 || strconv.Itoa(id) != s {
		return 0, badRequest("%s %q is not a non-negative integer", name, s)
	}
	return id, nil
}

// engineError maps an engine error met while reading to an HTTP error:
// unknown objects are 404, bad arguments 400, the rest 422.
func engineError(err error) error {
	code, msg := scenario.CodeAndMessage(err)
	status := http.StatusUnprocessableEntity
	switch code {
	case failure.CodeNotFound, cover.CodePoolNotFound, swap.CodePairNotFound:
		status = http.StatusNotFound
	case failure.CodeInvalidArgument, failure.CodeZeroAmount:
		status = http.StatusBadRequest
	}
	return &apiError{Status: status, Code: string(code), Message: msg}
}

// ownerIndex lists the covers and positions of each account. Owners
// never change and ids are given in order, so it only ever learns the
// objects created since it last looked, each once.
type ownerIndex struct {
	mu        sync.Mutex
	covers    int
	positions int
	byOwner   map[string]*ownedIDs
}

type ownedIDs struct{ covers, positions []int }

func newOwnerIndex() *ownerIndex { return &ownerIndex{byOwner: map[string]*ownedIDs{}} }

// of returns account's cover and position ids, ascending. It must run
// under the node's read lock (inside Node.Read).
func (ix *ownerIndex) of(m *cover.Market, now uint64, account string) (covers, positions []int) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	n := m.Counts()
	for ; ix.covers < n.Covers; ix.covers++ {
		if cv, err := m.CoverAt(ix.covers, now); err == nil {
			ix.owned(cv.Owner).covers = append(ix.owned(cv.Owner).covers, ix.covers)
		}
	}
	for ; ix.positions < n.Positions; ix.positions++ {
		if pos, err := m.PositionAt(ix.positions, now); err == nil {
			ix.owned(pos.Owner).positions = append(ix.owned(pos.Owner).positions, ix.positions)
		}
	}
	o := ix.byOwner[account]
	if o == nil {
		return nil, nil
	}
	return append([]int(nil), o.covers...), append([]int(nil), o.positions...)
}

func (ix *ownerIndex) owned(account string) *ownedIDs {
	o := ix.byOwner[account]
	if o == nil {
		o = &ownedIDs{}
		ix.byOwner[account] = o
	}
	return o
}
