package scenario

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/swap"
)

// Engines is what a scenario drives: the cover market and the swap market
// (docs/swap.md), over one account book. Cover ops go to Cover, swap ops
// to Swap; mint, assets and balances are shared, because the swap market
// keeps its accounts in the cover market's ledger.
type Engines struct {
	Cover *cover.Market
	Swap  *swap.Market
	// swapInUse makes states and the state hash carry the swap market: set
	// when the file configures blockTime or applies a swap op.
	swapInUse bool
	// last is the time of the latest step applied.
	last uint64
}

// SwapState is the swap market's part of the state object.
type SwapState = swap.View

// State is the state object of docs/scenario.md with the swap additions
// of docs/swap.md §5 (present when the scenario uses the swap market).
type State struct {
	*SwapState
	cover.View
}

// ledgerAccounts lets the swap market use the cover market's assets and
// account balances.
type ledgerAccounts struct{ m *cover.Market }

func (l ledgerAccounts) HasToken(symbol string) bool          { return l.m.HasAsset(symbol) }
func (l ledgerAccounts) Balance(owner, token string) swap.Int { return l.m.Balance(owner, token) }
func (l ledgerAccounts) SetBalance(owner, token string, a swap.Int) {
	l.m.SetBalance(owner, token, a)
}

// NewEngines builds fresh markets from a file's market, assets and
// strategies sections, applied at the time of the first step.
func NewEngines(f *File) (*Engines, error) {
	c, err := Setup(f)
	if err != nil {
		return nil, err
	}
	e := &Engines{Cover: c, Swap: swap.New(ledgerAccounts{c})}
	if len(f.Steps) > 0 {
		e.last = f.Steps[0].At
	}
	if len(f.Market) > 0 {
		ma, err := setMarketArgs.decode(f.Market)
		if err != nil {
			return nil, fmt.Errorf("scenario: market: %s", cleanJSONError(err))
		}
		if ma.BlockTime != nil {
			e.swapInUse = true
			if _, err := e.Swap.Apply(e.last, swap.SetBlockTime{Seconds: *ma.BlockTime}); err != nil {
				return nil, fmt.Errorf("scenario: market: %w", err)
			}
		}
	}
	for _, s := range f.Steps {
		if IsSwapOp(s.Op) {
			e.swapInUse = true
		}
	}
	return e, nil
}

// Apply decodes and applies one step; prev is the previous step's time.
func (e *Engines) Apply(s Step, prev uint64) (any, error) {
	if err := e.advance(s.At, prev, s.Op); err != nil {
		return nil, err
	}
	d, err := DecodeStep(s.Op, s.Args)
	if err != nil {
		return nil, err
	}
	return e.apply(s.At, d)
}

// ViewAt is the state object as of time t.
func (e *Engines) ViewAt(t uint64) State {
	st := State{View: e.Cover.ViewAt(t)}
	if e.swapInUse {
		v := e.Swap.ViewAt(t)
		st.SwapState = &v
	}
	return st
}

// StateHash is the hex SHA-256 of the canonical encoding of both markets
// (the swap market's only when the scenario uses it, so that a cover-only
// scenario hashes as StateHash of its cover market).
func (e *Engines) StateHash() string {
	buf := e.Cover.AppendCanonical(nil)
	if e.swapInUse {
		buf = e.Swap.AppendCanonical(buf, e.last)
	}
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:])
}
