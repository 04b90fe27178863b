package swap

import "github.com/vpool/vpool/ray"

// tb is what the helpers need of *testing.T and *rapid.T.
type tb interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
	Errorf(format string, args ...any)
}

// world is a swap market over a standalone book, for tests.
type world struct {
	t    tb
	book *Book
	m    *Market
}

func newWorld(t tb, tokens ...string) *world {
	b := NewBook(tokens...)
	return &world{t: t, book: b, m: New(b)}
}

// n parses a decimal amount.
func n(s string) Int {
	v, err := ray.ParseAmount(s)
	if err != nil {
		panic(err)
	}
	return v
}

func (w *world) mint(owner, token, amount string) {
	w.t.Helper()
	if err := w.book.Mint(owner, token, n(amount)); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) ok(at uint64, cmd Command) any {
	w.t.Helper()
	res, err := w.m.Apply(at, cmd)
	if err != nil {
		w.t.Fatalf("%T at %d: %v", cmd, at, err)
	}
	return res
}

func (w *world) fails(at uint64, cmd Command, code Code) {
	w.t.Helper()
	before := w.m.AppendCanonical(nil, at)
	if _, err := w.m.Apply(at, cmd); CodeOf(err) != code {
		w.t.Fatalf("%T at %d: got %v, want %s", cmd, at, err, code)
	}
	if after := w.m.AppendCanonical(nil, at); string(after) != string(before) {
		w.t.Fatalf("%T at %d failed but changed the state", cmd, at)
	}
}

func (w *world) pair(id int) PairView {
	w.t.Helper()
	v, err := w.m.PairAt(id)
	if err != nil {
		w.t.Fatal(err)
	}
	return v
}

func (w *world) balance(owner, token string) string {
	v := w.book.Balance(owner, token)
	return v.Dec()
}

func eq[T comparable](t tb, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func eqInt(t tb, what string, got Int, want string) {
	t.Helper()
	if got.Dec() != want {
		t.Errorf("%s = %s, want %s", what, got.Dec(), want)
	}
}
