package cover

// Invariants of the money: the books balance per asset; the premium
// shortfall and the strategies' custody gap are measured.

import (
	"math/big"
)

// checkBooks: per asset, Σ balances + premium custody + Σ strategy custody
// (strategies of that asset) = minted + strategy rewards paid by venues.
func invCheckBooks(m *Market, bad invBad) {
	known := map[string]bool{}
	for _, a := range m.assets {
		known[a.Symbol] = true
	}
	lhs, rhs := map[string]*big.Int{}, map[string]*big.Int{}
	add := func(book map[string]*big.Int, asset string, a Int) {
		if !known[asset] && !a.IsZero() {
			bad("books: %s held in unknown asset %q", a.Dec(), asset)
		}
		if book[asset] == nil {
			book[asset] = new(big.Int)
		}
		book[asset].Add(book[asset], invBig(a))
	}
	for h, a := range m.books.balances {
		add(lhs, h.asset, a)
	}
	for asset, a := range m.books.premiums {
		add(lhs, asset, a)
	}
	for id, a := range m.books.strategy {
		if id < 0 || id >= len(m.strategies) {
			bad("books: custody %s for unknown strategy %d", a.Dec(), id)
			continue
		}
		add(lhs, m.strategies[id].Asset, a)
	}
	for asset, a := range m.books.minted {
		add(rhs, asset, a)
	}
	for asset, a := range m.books.venuePaid {
		add(rhs, asset, a)
	}
	for asset := range known {
		l, r := lhs[asset], rhs[asset]
		if l == nil {
			l = new(big.Int)
		}
		if r == nil {
			r = new(big.Int)
		}
		if l.Cmp(r) != 0 {
			bad("books %s: balances+premiums+custody = %s, minted+venuePaid = %s (diff %s)",
				asset, l, r, new(big.Int).Sub(l, r))
		}
	}
	for asset, a := range m.books.shortfall {
		if !known[asset] && !a.IsZero() {
			bad("books: shortfall in unknown asset %q", asset)
		}
	}
}

// invShortfall is the premium rewards owed beyond premium custody, per
// asset (spec §9: a visible counter, expected to stay 0).
func invShortfall(m *Market) map[string]Int {
	out := map[string]Int{}
	for asset, a := range m.books.shortfall {
		if !a.IsZero() {
			out[asset] = a
		}
	}
	return out
}

// invCustodyGap is, per strategy, Σ capital of its positions − its custody:
// how far the LPs' claims exceed what the strategy holds (positive means
// the last LPs out cannot all be paid in full).
func invCustodyGap(m *Market) map[int]*big.Int {
	out := map[int]*big.Int{}
	for _, s := range m.strategies {
		out[s.ID] = new(big.Int).Neg(invBig(m.books.strategy[s.ID]))
	}
	for _, pos := range m.positions {
		c, _ := invPositionCapital(m, pos)
		s := m.pools[pos.Pools[0]].Strategy
		out[s].Add(out[s], invBig(c))
	}
	return out
}
