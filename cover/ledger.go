package cover

import "github.com/vpool/vpool/ray"

// The accounts that receive fees.
const (
	Treasury = "treasury"
	RiskFund = "riskFund"
)

type holding struct{ owner, asset string }

// ledger is the market's double-entry book (spec §9): account balances,
// premium custody per asset, capital custody per strategy, and the
// counters that make the books balance (minted tokens, rewards paid by
// strategy venues, premium rewards owed but not in custody).
type ledger struct {
	balances  map[holding]Int
	premiums  map[string]Int
	strategy  map[int]Int
	minted    map[string]Int
	venuePaid map[string]Int
	shortfall map[string]Int
}

func newLedger() ledger {
	return ledger{
		balances: map[holding]Int{}, premiums: map[string]Int{}, strategy: map[int]Int{},
		minted: map[string]Int{}, venuePaid: map[string]Int{}, shortfall: map[string]Int{},
	}
}

// Balance returns what owner holds of asset.
func (m *Market) Balance(owner, asset string) Int { return m.books.balances[holding{owner, asset}] }

// Shortfall returns the premium rewards of asset owed beyond custody: the
// view's custody shortfall, as an integer.
func (m *Market) Shortfall(asset string) Int { return m.books.shortfall[asset] }

func addTo[K comparable](m *Market, book map[K]Int, k K, a Int) error {
	have, had := book[k]
	sum, err := ray.Add(have, a)
	if err != nil {
		return arith(err)
	}
	writeKey(&m.j, book, k, have, had, sum)
	return nil
}

func takeFrom[K comparable](m *Market, book map[K]Int, k K, a Int, code Code, what string) error {
	have, had := book[k]
	if have.Lt(&a) {
		return fail(code, "%s holds %s, needs %s", what, have.Dec(), a.Dec())
	}
	var rest Int
	rest.Sub(&have, &a)
	writeKey(&m.j, book, k, have, had, rest)
	return nil
}

// mint credits owner with a from outside the market.
func (m *Market) mint(owner, asset string, a Int) error {
	if err := addTo(m, m.books.minted, asset, a); err != nil {
		return err
	}
	return addTo(m, m.books.balances, holding{owner, asset}, a)
}

// credit pays a to owner (the caller has debited the source).
func (m *Market) credit(owner, asset string, a Int) error {
	if a.IsZero() {
		return nil
	}
	return addTo(m, m.books.balances, holding{owner, asset}, a)
}

// debit takes a from owner, failing with insufficient_balance.
func (m *Market) debit(owner, asset string, a Int) error {
	if a.IsZero() {
		return nil
	}
	return takeFrom(m, m.books.balances, holding{owner, asset}, a, CodeInsufficientBalance, owner)
}

// depositPremiums moves a from owner into premium custody.
func (m *Market) depositPremiums(owner, asset string, a Int) error {
	if err := m.debit(owner, asset, a); err != nil {
		return err
	}
	return addTo(m, m.books.premiums, asset, a)
}

// payFromPremiums pays a (a cover reward or a premium refund) out of
// premium custody; what custody cannot cover is recorded as shortfall
// instead of failing, so a short custody never blocks a claim.
func (m *Market) payFromPremiums(to, asset string, a Int) error {
	if a.IsZero() {
		return nil
	}
	held := m.books.premiums[asset]
	paid := a
	if held.Lt(&a) {
		paid = held
		var missing Int
		missing.Sub(&a, &held)
		if err := addTo(m, m.books.shortfall, asset, missing); err != nil {
			return err
		}
	}
	if err := takeFrom(m, m.books.premiums, asset, paid, CodeInsufficientBalance, "premium custody"); err != nil {
		return err
	}
	return m.credit(to, asset, paid)
}

// depositCapital moves a from owner into strategy s's custody.
func (m *Market) depositCapital(owner string, s *Strategy, a Int) error {
	if err := m.debit(owner, s.Asset, a); err != nil {
		return err
	}
	return addTo(m, m.books.strategy, s.ID, a)
}

// payCapital pays a from strategy s's custody to owner.
func (m *Market) payCapital(to string, s *Strategy, a Int) error {
	if a.IsZero() {
		return nil
	}
	if err := takeFrom(m, m.books.strategy, s.ID, a, CodeInsufficientLiquidity, "strategy custody"); err != nil {
		return err
	}
	return m.credit(to, s.Asset, a)
}

// payStrategyRewards pays a from strategy s's venue to owner.
func (m *Market) payStrategyRewards(to string, s *Strategy, a Int) error {
	if a.IsZero() {
		return nil
	}
	if err := addTo(m, m.books.venuePaid, s.Asset, a); err != nil {
		return err
	}
	return m.credit(to, s.Asset, a)
}
