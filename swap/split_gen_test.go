package swap

import (
	"slices"

	"pgregory.net/rapid"
)

// Random pair networks for the split routing tests: up to five tokens,
// pairs of different depths, prices and fees, allow-lists, locks, roomy
// or tight reserve ratios, and some virtual swaps already made in the
// block (so that cached virtual pools are priced too).

var netTokens = []string{"A", "B", "C", "D", "E"}

// timedCmd is a command and the time it is applied at.
type timedCmd struct {
	at  uint64
	cmd Command
}

// network is a drawn market as the commands that build it, so that twins
// can be built; at is the time trades are made at.
type network struct {
	mints []mintCmd
	steps []timedCmd
	at    uint64
}

type mintCmd struct {
	owner, token string
	amount       Int
}

// build plays the network on a fresh world; the commands may fail (the
// priming virtual swaps), identically in every twin.
func (nw *network) build(t tb) *world {
	w := newWorld(t, netTokens...)
	for _, mc := range nw.mints {
		if err := w.book.Mint(mc.owner, mc.token, mc.amount); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range nw.steps {
		_, _ = w.m.Apply(s.at, s.cmd)
	}
	return w
}

func drawNetwork(t *rapid.T) *network {
	at := uint64(1_700_000_000)
	nw := &network{}
	add := func(cmd Command) { nw.steps = append(nw.steps, timedCmd{at, cmd}) }
	for _, a := range []string{"lp", "trader"} {
		for _, tok := range netTokens {
			nw.mints = append(nw.mints, mintCmd{a, tok, n("1000000000000000000000000")})
		}
	}
	allowed := rapid.SliceOfNDistinct(rapid.SampledFrom(netTokens), 2, len(netTokens), rapid.ID[string]).Draw(t, "defaultAllowList")
	add(SetDefaultAllowList{Tokens: allowed})
	var all [][2]string
	for i, a := range netTokens {
		for _, b := range netTokens[i+1:] {
			all = append(all, [2]string{a, b})
		}
	}
	pairs := rapid.SliceOfNDistinct(rapid.SampledFrom(all), 5, len(all), func(p [2]string) string { return p[0] + p[1] }).Draw(t, "pairs")
	// Each token has a price in units of value; a pair holds about as
	// much value of each side, off by up to 30%, so that routes price
	// alike and splitting pays.
	price := map[string]uint64{}
	for _, tok := range netTokens {
		price[tok] = rapid.SampledFrom([]uint64{1, 3, 10, 1000}).Draw(t, "price")
	}
	for i, p := range pairs {
		value := scaled(rapid.Uint64Range(1, 999).Draw(t, "depth"), rapid.IntRange(6, 12).Draw(t, "depthExp"))
		side := func(tok string) Int {
			var z Int
			z.Mul(&value, new(Int).SetUint64(rapid.Uint64Range(70, 130).Draw(t, "skew")))
			return *z.Div(&z, new(Int).SetUint64(100*price[tok]))
		}
		add(PairDeposit{From: "lp", TokenA: p[0], TokenB: p[1], AmountA: side(p[0]), AmountB: side(p[1])})
		add(SetPairFee{Pair: i, Fee: rapid.SampledFrom([]int64{990, 995, 997, 997, 999}).Draw(t, "fee"),
			VFee: rapid.SampledFrom([]int64{990, 995, 997, 997, 999}).Draw(t, "vFee")})
		add(SetBlocksDelay{Pair: i, Blocks: rapid.Uint64Range(0, 3).Draw(t, "delay")})
		add(SetMaxReserveRatio{Pair: i, Value: u64(rapid.SampledFrom([]uint64{2000, 2000, 10_000, 50_000, 100_000}).Draw(t, "maxRatio"))})
		if rapid.IntRange(0, 19).Draw(t, "closed") == 0 {
			add(SetPairClosed{Pair: i, Closed: true})
		}
	}
	at += 12 * rapid.SampledFrom([]uint64{0, 2, 10}).Draw(t, "wait")
	// Virtual swaps already made in this block: reserves, and cache
	// entries that the next virtual swap through the same pool walks on.
	for range rapid.IntRange(0, 3).Draw(t, "primes") {
		jk, ik := rapid.IntRange(0, len(pairs)-1).Draw(t, "primeJK"), rapid.IntRange(0, len(pairs)-1).Draw(t, "primeIK")
		add(SwapVirtual{From: "trader", JK: jk, IK: ik, Trade: Trade{Amount: scaled(rapid.Uint64Range(1, 999).Draw(t, "prime"), (rapid.IntRange(2, 10).Draw(t, "primeExp")))}})
	}
	nw.at = at
	return nw
}

// drawSplitTrade is two distinct tokens and an exact-in amount around the
// depths of the network.
func drawSplitTrade(t *rapid.T) (string, string, Int) {
	in := rapid.SampledFrom(netTokens).Draw(t, "in")
	out := rapid.SampledFrom(slices.DeleteFunc(slices.Clone(netTokens), func(s string) bool { return s == in })).Draw(t, "out")
	amount := scaled(rapid.Uint64Range(1, 999).Draw(t, "amount"), (rapid.IntRange(0, 11).Draw(t, "amountExp")))
	return in, out, amount
}

// scaled is digits · 10^exp.
func scaled(digits uint64, exp int) Int {
	z := u64(digits)
	ten := u64(10)
	for range exp {
		z.Mul(&z, &ten)
	}
	return z
}
