package swap

import "sort"

// Accounts is the account book the swap market shares with the rest of a
// scenario: which tokens exist, and what each named account holds. The
// swap market journals its own writes, so an implementation needs no undo
// of its own; package scenario backs it with the cover market's ledger,
// and Book is a standalone one.
type Accounts interface {
	// HasToken reports whether symbol is a known token.
	HasToken(symbol string) bool
	// Balance is what owner holds of token.
	Balance(owner, token string) Int
	// SetBalance stores what owner holds of token.
	SetBalance(owner, token string, amount Int)
}

type holding struct{ owner, token string }

// Book is a standalone Accounts: a token list and account balances, with
// Mint to issue tokens. It is what tests and benchmarks use.
type Book struct {
	tokens   map[string]bool
	balances map[holding]Int
	minted   map[string]Int
}

// NewBook returns a book that knows the given tokens.
func NewBook(tokens ...string) *Book {
	b := &Book{tokens: map[string]bool{}, balances: map[holding]Int{}, minted: map[string]Int{}}
	for _, t := range tokens {
		b.tokens[t] = true
	}
	return b
}

// HasToken reports whether symbol is one of the book's tokens.
func (b *Book) HasToken(symbol string) bool { return b.tokens[symbol] }

// Balance is what owner holds of token.
func (b *Book) Balance(owner, token string) Int { return b.balances[holding{owner, token}] }

// SetBalance stores what owner holds of token.
func (b *Book) SetBalance(owner, token string, amount Int) {
	if amount.IsZero() {
		delete(b.balances, holding{owner, token})
		return
	}
	b.balances[holding{owner, token}] = amount
}

// Mint issues amount of token to owner; the total issued of a token must
// stay below 2^256 (overflow).
func (b *Book) Mint(owner, token string, amount Int) error {
	if !b.tokens[token] {
		return fail(CodeNotFound, "no token %q", token)
	}
	total, err := add(ptr(b.minted[token]), &amount, "mint")
	if err != nil {
		return err
	}
	b.minted[token] = total
	have := b.balances[holding{owner, token}]
	sum, _ := add(&have, &amount, "mint")
	b.SetBalance(owner, token, sum)
	return nil
}

// Minted is the total issued of token.
func (b *Book) Minted(token string) Int { return b.minted[token] }

// Owners lists the accounts holding anything, sorted.
func (b *Book) Owners() []string {
	seen := map[string]bool{}
	for h := range b.balances {
		seen[h.owner] = true
	}
	out := make([]string, 0, len(seen))
	for o := range seen {
		out = append(out, o)
	}
	sort.Strings(out)
	return out
}

func ptr(v Int) *Int { return &v }
