package swap

import (
	"slices"

	"pgregory.net/rapid"
)

// The random op sequences of the property and fuzz tests: four tokens,
// three accounts, every swap op with arguments drawn near the interesting
// values (balances, reserves, zero, one, past 2^112 and 2^256 limits).

var (
	genTokens   = []string{"A", "B", "C", "D"}
	genAccounts = []string{"alice", "bob", "carol"}
)

// harness drives one market with random ops.
type harness struct {
	w  *world
	at uint64
}

func newHarness(t *rapid.T) *harness {
	h := &harness{w: newWorld(t, genTokens...), at: 1_700_000_000}
	if _, err := h.w.m.Apply(h.at, SetDefaultAllowList{Tokens: genTokens}); err != nil {
		t.Fatal(err)
	}
	for _, a := range genAccounts {
		for _, tok := range genTokens {
			h.mint(a, tok, n("1000000000000000"))
		}
	}
	// A few funded pairs to start from, resting only a few blocks.
	pairs := rapid.SliceOfNDistinct(rapid.SampledFrom([][2]string{{"A", "B"}, {"B", "C"}, {"A", "C"}, {"C", "D"}, {"B", "D"}, {"A", "D"}}),
		2, 6, func(p [2]string) string { return p[0] + p[1] }).Draw(t, "pairs")
	for i, p := range pairs {
		a := u64(rapid.Uint64Range(10_000, 10_000_000_000).Draw(t, "seedA"))
		b := u64(rapid.Uint64Range(10_000, 10_000_000_000).Draw(t, "seedB"))
		if _, err := h.w.m.Apply(h.at, PairDeposit{From: "alice", TokenA: p[0], TokenB: p[1], AmountA: a, AmountB: b}); err != nil {
			t.Fatal(err)
		}
		delay := rapid.Uint64Range(0, 5).Draw(t, "delay")
		if _, err := h.w.m.Apply(h.at, SetBlocksDelay{Pair: i, Blocks: delay}); err != nil {
			t.Fatal(err)
		}
		if rapid.Bool().Draw(t, "roomy") {
			ratio := u64(rapid.Uint64Range(2000, 100_000).Draw(t, "maxRatio"))
			if _, err := h.w.m.Apply(h.at, SetMaxReserveRatio{Pair: i, Value: ratio}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Some reserves to exchange and liquidate: small virtual swaps both
	// ways between pairs that share a token.
	h.at += 12 * 10
	m := h.w.m
	for _, jk := range m.pairs {
		for _, ik := range m.pairs {
			if _, ok := commonToken(jk, ik); !ok || !rapid.Bool().Draw(t, "prime") {
				continue
			}
			a := minInt(jk.balance0, jk.balance1)
			a.Div(&a, u64ptr(rapid.Uint64Range(200, 5000).Draw(t, "primeDen")))
			h.at += 12 * 6 // past every lock
			_, _ = m.Apply(h.at, SwapVirtual{From: "bob", JK: jk.id, IK: ik.id, Trade: Trade{Amount: a}})
		}
	}
	return h
}

func (h *harness) mint(owner, token string, a Int) {
	_ = h.w.book.Mint(owner, token, a)
}

func drawToken(t *rapid.T, label string) string { return rapid.SampledFrom(genTokens).Draw(t, label) }

// drawTokens is two tokens, distinct but for one draw in ten.
func drawTokens(t *rapid.T) (string, string) {
	a, b := drawToken(t, "a"), drawToken(t, "b")
	if a == b && rapid.IntRange(0, 9).Draw(t, "same") > 0 {
		b = genTokens[(slices.Index(genTokens, a)+1)%len(genTokens)]
	}
	return a, b
}
func drawAccount(t *rapid.T, label string) string {
	return rapid.SampledFrom(genAccounts).Draw(t, label)
}

// drawPair is a pair id, one in twenty that does not exist.
func (h *harness) drawPair(t *rapid.T, label string) int {
	if rapid.IntRange(0, 19).Draw(t, label+"Bad") == 0 {
		return rapid.SampledFrom([]int{-1, len(h.w.m.pairs)}).Draw(t, label)
	}
	return rapid.IntRange(0, len(h.w.m.pairs)-1).Draw(t, label)
}

// drawAmount is an amount around scale: 0, 1, a fraction, scale itself,
// just above it, or far beyond every limit.
func drawAmount(t *rapid.T, label string, scale Int) Int {
	switch rapid.IntRange(0, 15).Draw(t, label+"Kind") {
	case 0:
		return Int{}
	case 1:
		return u64(1)
	case 2:
		return scale
	case 3:
		var z Int
		return *z.AddUint64(&scale, rapid.Uint64Range(1, 3).Draw(t, label+"Plus"))
	case 4:
		return *new(Int).Lsh(new(Int).SetOne(), uint(rapid.IntRange(100, 255).Draw(t, label+"Bits")))
	case 5:
		return u64(rapid.Uint64Range(0, 5000).Draw(t, label+"Small"))
	}
	if scale.IsZero() {
		return u64(rapid.Uint64Range(0, 1_000_000).Draw(t, label+"Any"))
	}
	den := u64(rapid.Uint64Range(1, 1000).Draw(t, label+"Den"))
	var z Int
	return *z.Div(&scale, &den)
}

// drawTrade is an exact-in or exact-out trade around scale, sometimes
// with a limit.
func drawTrade(t *rapid.T, scale Int) Trade {
	tr := Trade{ExactOut: rapid.Bool().Draw(t, "exactOut"), Amount: drawAmount(t, "amount", scale)}
	if rapid.IntRange(0, 4).Draw(t, "limited") == 0 {
		l := drawAmount(t, "limit", scale)
		tr.Limit = &l
	}
	return tr
}

// pairScale is a typical balance of pair id (or a default).
func (h *harness) pairScale(id int) Int {
	if id < 0 || id >= len(h.w.m.pairs) || h.w.m.pairs[id].balance0.IsZero() {
		return u64(1_000_000)
	}
	p := h.w.m.pairs[id]
	var z Int
	return *z.Rsh(&p.balance0, 4)
}

// drawCommand draws one swap op.
func (h *harness) drawCommand(t *rapid.T) Command {
	m := h.w.m
	switch rapid.IntRange(0, 23).Draw(t, "op") {
	case 0:
		a, b := drawTokens(t)
		return CreatePair{TokenA: a, TokenB: b}
	case 1, 2, 3:
		a, b := drawTokens(t)
		scale := u64(rapid.Uint64Range(1, 10_000_000_000).Draw(t, "depositScale"))
		d := PairDeposit{From: drawAccount(t, "from"), To: drawAccount(t, "to"), TokenA: a, TokenB: b,
			AmountA: drawAmount(t, "amountA", scale), AmountB: drawAmount(t, "amountB", scale)}
		if rapid.IntRange(0, 5).Draw(t, "withMin") == 0 {
			d.MinA, d.MinB = drawAmount(t, "minA", scale), drawAmount(t, "minB", scale)
		}
		return d
	case 4, 5:
		id := h.drawPair(t, "pair")
		a, b := drawTokens(t)
		if id >= 0 && id < len(m.pairs) {
			a, b = m.pairs[id].token0, m.pairs[id].token1
		}
		from := drawAccount(t, "from")
		held := u64(0)
		if p := m.pairOf(a, b); p != nil {
			held = p.lp[from]
		}
		return PairWithdraw{From: from, To: drawAccount(t, "to"), TokenA: a, TokenB: b, Shares: drawAmount(t, "shares", held)}
	case 6, 7:
		path := []string{drawToken(t, "start")}
		for range rapid.SampledFrom([]int{0, 1, 1, 1, 1, 2, 2, 3, 3}).Draw(t, "hops") {
			_, next := drawTokens(t)
			path = append(path, next)
		}
		scale := u64(1_000_000)
		if p := m.pairOf(path[0], path[len(path)-1]); p != nil {
			scale = h.pairScale(p.id)
		}
		return SwapNative{From: drawAccount(t, "from"), To: drawAccount(t, "to"), Path: path, Trade: drawTrade(t, scale)}
	case 8, 9, 10, 11:
		jk := h.drawPair(t, "jk")
		return SwapVirtual{From: drawAccount(t, "from"), To: drawAccount(t, "to"), JK: jk, IK: h.drawPair(t, "ik"),
			Trade: drawTrade(t, h.pairScale(jk))}
	case 12:
		in, out := drawTokens(t)
		return Swap{From: drawAccount(t, "from"), TokenIn: in, TokenOut: out,
			Trade: drawTrade(t, u64(rapid.Uint64Range(1, 100_000).Draw(t, "swapScale"))), Split: rapid.Bool().Draw(t, "split")}
	case 13:
		return MaxVirtualIn{JK: h.drawPair(t, "jk"), IK: h.drawPair(t, "ik")}
	case 14, 22, 23:
		jk1, ik1 := h.drawPair(t, "jk1"), h.drawPair(t, "ik1")
		scale := u64(1000)
		if jk1 >= 0 && jk1 < len(m.pairs) {
			p := m.pairs[jk1]
			for tok, r := range p.reserves {
				scale = r
				// Aim: ik1 = {reserve token, a token of jk1}, so that the
				// exchange is the typical one of §2.8.
				if ik := m.pairOf(tok, rapid.SampledFrom([]string{p.token0, p.token1}).Draw(t, "k")); ik != nil && rapid.IntRange(0, 3).Draw(t, "aimed") > 0 {
					ik1 = ik.id
				}
			}
		}
		return ExchangeReserves{Caller: "keeper", JK1: jk1, IK1: ik1, JK2: ik1, IK2: jk1, Amount: drawAmount(t, "amount", scale)}
	case 15:
		l := LiquidateReserve{Pair: h.drawPair(t, "pair"), Token: drawToken(t, "token"), NativePair: h.drawPair(t, "native"),
			Emergency: rapid.Bool().Draw(t, "emergency")}
		if l.Pair >= 0 && l.Pair < len(m.pairs) && rapid.IntRange(0, 2).Draw(t, "aimed") > 0 {
			p := m.pairs[l.Pair]
			for tok := range p.reserves {
				l.Token = tok
			}
			if np := m.pairOf(l.Token, rapid.SampledFrom([]string{p.token0, p.token1}).Draw(t, "u")); np != nil {
				l.NativePair = np.id
			}
		}
		return l
	case 16:
		return SetPairFee{Pair: h.drawPair(t, "pair"), Fee: rapid.Int64Range(-1, 1000).Draw(t, "fee"), VFee: rapid.Int64Range(0, 999).Draw(t, "vFee")}
	case 17:
		return SetAllowList{Pair: h.drawPair(t, "pair"), Tokens: rapid.SliceOfNDistinct(rapid.SampledFrom(genTokens), 0, 4, rapid.ID[string]).Draw(t, "tokens")}
	case 18:
		v := u64(rapid.Uint64Range(0, 150_000).Draw(t, "ratio"))
		if rapid.Bool().Draw(t, "warning") {
			return SetWarningThreshold{Pair: h.drawPair(t, "pair"), Value: v}
		}
		return SetMaxReserveRatio{Pair: h.drawPair(t, "pair"), Value: v}
	case 19:
		return SetBlocksDelay{Pair: h.drawPair(t, "pair"), Blocks: rapid.Uint64Range(0, 50).Draw(t, "blocks")}
	case 20:
		return SetPairClosed{Pair: h.drawPair(t, "pair"), Closed: rapid.IntRange(0, 3).Draw(t, "closed") == 0}
	}
	in, out := drawTokens(t)
	return QuoteSwap{TokenIn: in, TokenOut: out, Trade: drawTrade(t, u64(10_000))}
}

// advance moves time on by 0 to 50 blocks, often not at all.
func (h *harness) advance(t *rapid.T) {
	if rapid.IntRange(0, 2).Draw(t, "sameBlock") == 0 {
		return
	}
	h.at += rapid.Uint64Range(1, 600).Draw(t, "seconds")
}

func u64ptr(v uint64) *Int { x := u64(v); return &x }
