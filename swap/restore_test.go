package swap_test

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/vpool/vpool/ray"
	"github.com/vpool/vpool/swap"
)

var restoreTokens = []string{"A", "B", "C", "D"}

// opMix draws swap commands that mostly succeed on a small market of
// four tokens and three accounts: pairs, deposits, native, virtual and
// best-route swaps, withdrawals, exchanges, liquidations and settings.
type opMix struct {
	r *rand.Rand
	m *swap.Market
}

func (o *opMix) token() string   { return restoreTokens[o.r.IntN(len(restoreTokens))] }
func (o *opMix) account() string { return []string{"alice", "bob", "carol"}[o.r.IntN(3)] }
func (o *opMix) pair() int       { return o.r.IntN(o.m.Pairs() + 1) } // one past the last: pair_not_found
func (o *opMix) amount(max uint64) swap.Int {
	return ray.U64(1 + o.r.Uint64N(max))
}

func (o *opMix) trade() swap.Trade {
	if o.r.IntN(3) == 0 {
		return swap.Trade{ExactOut: true, Amount: o.amount(2_000)}
	}
	return swap.Trade{Amount: o.amount(5_000)}
}

func (o *opMix) command() swap.Command {
	switch k := o.r.IntN(20); {
	case k == 0 || o.m.Pairs() < 3 && k < 6:
		return swap.CreatePair{TokenA: o.token(), TokenB: o.token()}
	case k < 5:
		return swap.PairDeposit{From: o.account(), TokenA: o.token(), TokenB: o.token(),
			AmountA: o.amount(200_000), AmountB: o.amount(200_000)}
	case k < 7:
		return swap.SwapNative{From: o.account(), Path: []string{o.token(), o.token()}, Trade: o.trade()}
	case k < 10:
		return swap.SwapVirtual{From: o.account(), JK: o.pair(), IK: o.pair(), Trade: o.trade()}
	case k < 12:
		return swap.Swap{From: o.account(), TokenIn: o.token(), TokenOut: o.token(), Trade: o.trade()}
	case k == 12:
		return swap.PairWithdraw{From: o.account(), TokenA: o.token(), TokenB: o.token(), Shares: o.amount(20_000)}
	case k == 13:
		jk1, ik1 := o.pair(), o.pair() // the typical call: the second leg mirrors the first
		return swap.ExchangeReserves{Caller: o.account(), JK1: jk1, IK1: ik1, JK2: ik1, IK2: jk1, Amount: o.amount(50)}
	case k == 14:
		return swap.LiquidateReserve{Pair: o.pair(), Token: o.token(), NativePair: o.pair(), Emergency: o.r.IntN(2) == 0}
	case k == 15:
		return swap.SetAllowList{Pair: o.pair(), Tokens: []string{o.token(), o.token()}[:1+o.r.IntN(2)]}
	case k == 16:
		return swap.SetPairFee{Pair: o.pair(), Fee: 990 + o.r.Int64N(10), VFee: 990 + o.r.Int64N(10)}
	case k == 17:
		return swap.SetMaxReserveRatio{Pair: o.pair(), Value: o.amount(30_000)}
	case k == 18:
		return swap.SetBlocksDelay{Pair: o.pair(), Blocks: o.r.Uint64N(3)}
	}
	return swap.SetPairClosed{Pair: o.pair(), Closed: o.r.IntN(4) == 0}
}

// copyBook is a book with the same tokens and balances as b.
func copyBook(b *swap.Book) *swap.Book {
	c := swap.NewBook(restoreTokens...)
	for _, owner := range b.Owners() {
		for _, t := range restoreTokens {
			c.SetBalance(owner, t, b.Balance(owner, t))
		}
	}
	return c
}

// A market restored from its encoding at any point of random swap
// traffic encodes to the same bytes and, given the same commands, gives
// the same results and stays identical to the original.
func TestRestoreRoundTripsAndBehavesTheSame(t *testing.T) {
	book := swap.NewBook(restoreTokens...)
	for _, owner := range []string{"alice", "bob", "carol"} {
		for _, tok := range restoreTokens {
			if err := book.Mint(owner, tok, ray.U64(1_000_000_000)); err != nil {
				t.Fatal(err)
			}
		}
	}
	original := swap.New(book)
	type copied struct {
		m    *swap.Market
		book *swap.Book
	}
	var copies []copied
	mix := &opMix{r: rand.New(rand.NewPCG(7, 8)), m: original}
	at := uint64(1_700_000_000)
	oks := map[string]int{}
	restores, liveCache := 0, 0
	due := false
	for i := range 4000 {
		at += 12 * mix.r.Uint64N(2)
		cmd := mix.command()
		want, wantErr := original.Apply(at, cmd)
		if wantErr == nil {
			oks[fmt.Sprintf("%T", cmd)]++
		}
		for j, c := range copies {
			got, err := c.m.Apply(at, cmd)
			if swap.CodeOf(err) != swap.CodeOf(wantErr) || !reflect.DeepEqual(got, want) {
				t.Fatalf("step %d (%T): copy %d gives %v, %v; the original %v, %v", i, cmd, j, got, err, want, wantErr)
			}
		}
		// A restore point every 250 steps, as soon as a virtual swap has
		// left a live cache entry (or 100 steps later).
		due = due || i%250 == 100
		_, virtual := cmd.(swap.SwapVirtual)
		if due && (virtual && wantErr == nil || i%250 == 200) {
			due = false
			enc := original.AppendCanonical(nil, at)
			b := copyBook(book)
			restored, err := swap.Restore(b, enc, at)
			if err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
			if !bytes.Equal(restored.AppendCanonical(nil, at), enc) {
				t.Fatalf("step %d: the restored market encodes differently", i)
			}
			copies = append(copies, copied{restored, b})
			restores++
			if len(original.ViewAt(at).VPoolCache) > 0 {
				liveCache++
			}
		}
	}
	want := original.AppendCanonical(nil, at)
	for i, c := range copies {
		if !bytes.Equal(c.m.AppendCanonical(nil, at), want) {
			t.Fatalf("copy %d diverged from the original", i)
		}
		for _, owner := range book.Owners() {
			for _, tok := range restoreTokens {
				if got, want := c.book.Balance(owner, tok), book.Balance(owner, tok); !got.Eq(&want) {
					t.Fatalf("copy %d: %s holds %s %s, the original %s", i, owner, got.Dec(), tok, want.Dec())
				}
			}
		}
	}
	t.Logf("succeeded: %v; %d pairs; %d restore points, %d with a live cache", oks, original.Pairs(), restores, liveCache)
	for _, op := range []string{"swap.PairDeposit", "swap.SwapNative", "swap.SwapVirtual", "swap.Swap", "swap.PairWithdraw", "swap.ExchangeReserves", "swap.LiquidateReserve"} {
		if oks[op] == 0 {
			t.Errorf("no %s succeeded: the mix tests too little", op)
		}
	}
	if liveCache == 0 {
		t.Errorf("no restore point had a live virtual pool cache")
	}
}

// trafficEncoding is the encoding of a market after some random traffic.
func trafficEncoding(tb testing.TB) ([]byte, uint64) {
	book := swap.NewBook(restoreTokens...)
	for _, tok := range restoreTokens {
		book.Mint("alice", tok, ray.U64(1_000_000_000))
	}
	m := swap.New(book)
	mix := &opMix{r: rand.New(rand.NewPCG(1, 2)), m: m}
	at := uint64(1_700_000_000)
	for range 500 {
		at += 12 * mix.r.Uint64N(2)
		m.Apply(at, mix.command())
	}
	return m.AppendCanonical(nil, at), at
}

func TestRestoreRejectsDamagedBytes(t *testing.T) {
	enc, at := trafficEncoding(t)
	book := swap.NewBook(restoreTokens...)
	for _, damaged := range [][]byte{nil, enc[:len(enc)-1], enc[:len(enc)/2], append(append([]byte{}, enc...), 0)} {
		if _, err := swap.Restore(book, damaged, at); !errors.Is(err, swap.ErrCorrupt) {
			t.Errorf("%d of %d bytes: %v", len(damaged), len(enc), err)
		}
	}
	if _, err := swap.Restore(swap.NewBook("A", "B"), enc, at); !errors.Is(err, swap.ErrCorrupt) {
		t.Errorf("restored over a book without the pairs' tokens: %v", err)
	}
	// blockTime 0 would divide by zero in every later block computation.
	zero := append(make([]byte, 8), enc[8:]...)
	if _, err := swap.Restore(book, zero, at); !errors.Is(err, swap.ErrCorrupt) {
		t.Errorf("blockTime 0: %v", err)
	}
}

// Restore never panics, and whatever it accepts encodes back to the
// bytes it was given.
func FuzzRestore(f *testing.F) {
	enc, at := trafficEncoding(f)
	f.Add(enc, at)
	f.Add(swap.New(swap.NewBook()).AppendCanonical(nil, 0), uint64(0))
	f.Add(enc[:len(enc)/3], at)
	f.Fuzz(func(t *testing.T, data []byte, at uint64) {
		m, err := swap.Restore(swap.NewBook(restoreTokens...), data, at)
		if err != nil {
			if !errors.Is(err, swap.ErrCorrupt) {
				t.Fatalf("error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		if got := m.AppendCanonical(nil, at); !bytes.Equal(got, data) {
			t.Fatalf("accepted bytes encode back differently")
		}
		m.ViewAt(at)
	})
}
