package cover

// HasAsset reports whether symbol is a known asset.
func (m *Market) HasAsset(symbol string) bool { return m.asset(symbol) == nil }

// SetBalance stores what owner holds of asset, outside any command. It is
// for an engine that shares the market's accounts (the swap market, through
// package scenario) and journals its own writes; it changes no other book.
func (m *Market) SetBalance(owner, asset string, a Int) {
	if a.IsZero() {
		delete(m.books.balances, holding{owner, asset})
		return
	}
	m.books.balances[holding{owner, asset}] = a
}
