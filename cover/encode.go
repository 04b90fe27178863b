package cover

import (
	"encoding/binary"
	"slices"
)

// AppendCanonical appends a canonical binary encoding of the complete
// market state to buf: every field, maps in sorted key order, fixed-width
// integers, length-prefixed strings and lists. Equal states encode to
// equal bytes on every machine; it is what the state hash is taken of.
func (m *Market) AppendCanonical(buf []byte) []byte {
	e := encoder{buf}
	e.u64(m.cfg.WithdrawDelay).int(m.cfg.MaxLeverage).amount(m.cfg.LeverageFeePerPool).bool(m.frozen).u64(m.now)
	e.int(len(m.assets))
	for _, a := range m.assets {
		e.str(a.Symbol).u64(uint64(a.Decimals))
	}
	e.int(len(m.strategies))
	for _, s := range m.strategies {
		e.str(s.Asset).bool(s.Compounds).amount(s.FeeRate).amount(s.PayoutDeductible).amount(s.RewardIndex)
		e.u64(s.IndexAt).amount(s.PrevIndex).u64(s.PrevIndexAt)
	}
	e.int(len(m.pools))
	for _, p := range m.pools {
		e.encodePool(p)
	}
	e.int(len(m.positions))
	for _, pos := range m.positions {
		e.str(pos.Owner).ints(pos.Pools).amount(pos.Supplied).bool(pos.Committed).u64(pos.CommitTimestamp).amount(pos.StrategyRewardIndex)
		for _, lp := range pos.LP {
			e.amount(lp.BeginLiquidityIndex).int(lp.BeginClaimIndex)
		}
	}
	e.int(len(m.covers))
	for _, cv := range m.covers {
		e.int(cv.Pool).str(cv.Owner).amount(cv.Amount).amount(cv.BeginPremiumRate).u64(uint64(cv.LastTick)).int(cv.OpenClaim)
	}
	e.int(len(m.claims))
	for _, cl := range m.claims {
		e.int(cl.Cover).amount(cl.Amount).u64(uint64(cl.Status)).int(cl.Compensation)
	}
	e.int(len(m.comps))
	for _, k := range m.comps {
		e.int(k.FromPool).amount(k.Ratio).amount(k.StrategyIndexBefore).int(len(k.IndexBefore))
		for _, id := range sortedKeys(k.IndexBefore) {
			e.int(id).amount(k.IndexBefore[id])
		}
	}
	e.pairBools(m.compatible).pairAmounts(m.overlaps)
	e.int(len(m.baskets))
	for _, key := range sortedKeys(m.baskets) {
		e.str(key).amount(m.baskets[key].Amount)
	}
	e.encodeBooks(&m.books)
	e.encodeNames(m.strategies)
	return e.buf
}

// namesTag opens the strategy names section. The section comes last and
// only when a strategy has a name, so that the encoding (and the state
// hash) of a market without names is what it was before names existed.
const namesTag = "strategy names"

func (e *encoder) encodeNames(strategies []*Strategy) {
	var named []*Strategy
	for _, s := range strategies {
		if s.Name != "" {
			named = append(named, s)
		}
	}
	if len(named) == 0 {
		return
	}
	e.str(namesTag).int(len(named))
	for _, s := range named {
		e.int(s.ID).str(s.Name)
	}
}

func (e *encoder) encodePool(p *Pool) {
	e.str(p.PaymentAsset).int(p.Strategy).amount(p.FeeRate).amount(p.LeverageFeePerPool)
	e.amount(p.Formula.UOptimal).amount(p.Formula.R0).amount(p.Formula.RSlope1).amount(p.Formula.RSlope2).bool(p.Paused)
	s := p.Slot0
	e.u64(uint64(s.Tick)).amount(s.SecondsPerTick).amount(s.CoveredCapital).u64(s.LastUpdate).amount(s.LiquidityIndex)
	e.amount(p.Liquidity).ints(p.Overlapped).ints(p.Compensations).int(p.OngoingClaims)
	e.int(len(p.ticks.inited))
	for _, t := range p.ticks.inited {
		e.u64(uint64(t)).amount(p.ticks.amount[t])
	}
}

func (e *encoder) encodeBooks(b *ledger) {
	holdings := make([]holding, 0, len(b.balances))
	for h, a := range b.balances {
		if !a.IsZero() {
			holdings = append(holdings, h)
		}
	}
	sortHoldings(holdings)
	e.int(len(holdings))
	for _, h := range holdings {
		e.str(h.owner).str(h.asset).amount(b.balances[h])
	}
	for _, book := range []map[string]Int{b.premiums, b.minted, b.venuePaid, b.shortfall} {
		e.assetAmounts(book)
	}
	ids := slices.DeleteFunc(sortedKeys(b.strategy), func(id int) bool { return isZero(b.strategy[id]) })
	e.int(len(ids))
	for _, id := range ids {
		e.int(id).amount(b.strategy[id])
	}
}

type encoder struct{ buf []byte }

func (e *encoder) u64(v uint64) *encoder { e.buf = binary.BigEndian.AppendUint64(e.buf, v); return e }
func (e *encoder) int(v int) *encoder    { return e.u64(uint64(int64(v))) }
func (e *encoder) bool(v bool) *encoder {
	if v {
		return e.u64(1)
	}
	return e.u64(0)
}
func (e *encoder) str(s string) *encoder { e.int(len(s)); e.buf = append(e.buf, s...); return e }
func (e *encoder) amount(a Int) *encoder {
	b := a.Bytes32()
	e.buf = append(e.buf, b[:]...)
	return e
}
func (e *encoder) ints(v []int) *encoder {
	e.int(len(v))
	for _, x := range v {
		e.int(x)
	}
	return e
}

// Entries that hold a zero value mean the same as absent ones and are
// left out, so the encoding does not depend on how a zero came about.

func (e *encoder) assetAmounts(book map[string]Int) {
	keys := sortedKeys(book)
	keys = slices.DeleteFunc(keys, func(k string) bool { return isZero(book[k]) })
	e.int(len(keys))
	for _, k := range keys {
		e.str(k).amount(book[k])
	}
}

func (e *encoder) pairBools(mp map[[2]int]bool) *encoder {
	keys := slices.DeleteFunc(sortedPairs(mp), func(k [2]int) bool { return !mp[k] })
	e.int(len(keys))
	for _, k := range keys {
		e.int(k[0]).int(k[1])
	}
	return e
}

func (e *encoder) pairAmounts(mp map[[2]int]Int) *encoder {
	keys := slices.DeleteFunc(sortedPairs(mp), func(k [2]int) bool { return isZero(mp[k]) })
	e.int(len(keys))
	for _, k := range keys {
		e.int(k[0]).int(k[1]).amount(mp[k])
	}
	return e
}

func isZero(a Int) bool { return a.IsZero() }
