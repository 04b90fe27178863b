package cover

// Invariant checks of docs/formulas.md §9 (and the structural facts they rest
// on), read from the market's internal state. They never mutate the market:
// the property harness (propHarness.apply) calls them after every command.
//
// checkInvariants is here with the id and claim checks; the others are by
// area in invariants_{money,pools,positions}_test.go, view purity in
// invariants_views_test.go and the spec's error codes in
// invariants_codes_test.go.

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/vpool/vpool/ray"
)

// checkInvariants checks every invariant of docs/formulas.md §9 against the
// market's internal state, plus the structural facts the engine relies on
// (tick line, baskets, claims, ids). It returns all violations joined, or
// nil. The premium shortfall is not an error (see invShortfall).
func checkInvariants(m *Market) error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	if len(m.j.order) != 0 {
		bad("journal holds %d undo entries after Apply", len(m.j.order))
	}
	invCheckBooks(m, bad)
	invCheckIDs(m, bad)
	for _, p := range m.pools {
		invCheckPool(m, p, bad)
	}
	invCheckBaskets(m, bad)
	invCheckOverlaps(m, bad)
	invCheckPositions(m, bad)
	invCheckClaims(m, bad)
	return errors.Join(errs...)
}

type invBad func(format string, args ...any)

// checkIDs: objects sit at the index of their id and refer to existing
// objects.
func invCheckIDs(m *Market, bad invBad) {
	for i, s := range m.strategies {
		if s.ID != i {
			bad("strategy at %d has id %d", i, s.ID)
		}
		if s.RewardIndex.Lt(&ray.RAY) {
			bad("strategy %d index %s below RAY", i, s.RewardIndex.Dec())
		}
	}
	for i, p := range m.pools {
		if p.ID != i {
			bad("pool at %d has id %d", i, p.ID)
		}
		if p.Strategy < 0 || p.Strategy >= len(m.strategies) {
			bad("pool %d uses unknown strategy %d", i, p.Strategy)
		}
	}
	for i, pos := range m.positions {
		if pos.ID != i {
			bad("position at %d has id %d", i, pos.ID)
		}
	}
	for i, cv := range m.covers {
		if cv.ID != i {
			bad("cover at %d has id %d", i, cv.ID)
		}
		if cv.Pool < 0 || cv.Pool >= len(m.pools) {
			bad("cover %d in unknown pool %d", i, cv.Pool)
		}
	}
	for i, cl := range m.claims {
		if cl.ID != i {
			bad("claim at %d has id %d", i, cl.ID)
		}
		if cl.Cover < 0 || cl.Cover >= len(m.covers) {
			bad("claim %d on unknown cover %d", i, cl.Cover)
		}
	}
	for i, k := range m.comps {
		if k.ID != i {
			bad("compensation at %d has id %d", i, k.ID)
		}
		if k.FromPool < 0 || k.FromPool >= len(m.pools) {
			bad("compensation %d from unknown pool %d", i, k.FromPool)
		}
		if ray.RAY.Lt(&k.Ratio) {
			bad("compensation %d ratio %s above RAY", i, k.Ratio.Dec())
		}
	}
}

// checkClaims: a cover's open claim and the claim's status agree; accepted
// claims point at their compensation.
func invCheckClaims(m *Market, bad invBad) {
	for _, cv := range m.covers {
		if cv.OpenClaim < 0 {
			continue
		}
		if cv.OpenClaim >= len(m.claims) {
			bad("cover %d: open claim %d does not exist", cv.ID, cv.OpenClaim)
			continue
		}
		if cl := m.claims[cv.OpenClaim]; cl.Cover != cv.ID || cl.Status != ClaimOpen {
			bad("cover %d: open claim %d is on cover %d, status %d", cv.ID, cl.ID, cl.Cover, cl.Status)
		}
	}
	for _, cl := range m.claims {
		cv := m.covers[cl.Cover]
		switch cl.Status {
		case ClaimOpen:
			if cv.OpenClaim != cl.ID {
				bad("claim %d is open but cover %d lists %d", cl.ID, cv.ID, cv.OpenClaim)
			}
			if cl.Compensation != -1 {
				bad("open claim %d has compensation %d", cl.ID, cl.Compensation)
			}
		case ClaimAccepted:
			if cl.Compensation < 0 || cl.Compensation >= len(m.comps) || m.comps[cl.Compensation].FromPool != cv.Pool {
				bad("accepted claim %d has compensation %d", cl.ID, cl.Compensation)
			}
		case ClaimRejected:
			if cl.Compensation != -1 {
				bad("rejected claim %d has compensation %d", cl.ID, cl.Compensation)
			}
		default:
			bad("claim %d has status %d", cl.ID, cl.Status)
		}
		if cl.Amount.IsZero() {
			bad("claim %d has zero amount", cl.ID)
		}
	}
}

func invBig(a Int) *big.Int { return a.ToBig() }

func invAscending(v []int) bool {
	for i := 1; i < len(v); i++ {
		if v[i] <= v[i-1] {
			return false
		}
	}
	return true
}
