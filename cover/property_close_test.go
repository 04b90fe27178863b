package cover

import (
	"math"
	"math/big"
	"os"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// propCloseReport is what winding a market down left behind.
type propCloseReport struct {
	positions, payouts int
	expired, closed    int      // covers that ran out, covers closed by their owner
	retryDust          uint64   // most units an LP had to leave behind to withdraw
	custodyLeft        *big.Int // most capital left in one strategy's custody
	liquidityLeft      *big.Int // most liquidity left in one pool
	capitalLeft        *big.Int // most capital left in one strategy's positions
	shortfall          map[string]Int
}

var propStrictShortfall = os.Getenv("VPOOL_STRICT_SHORTFALL") != ""

// propDustBound is spec §9's bound for strategy s: one unit per position per
// payout, counting its positions and the payouts from its pools.
func propDustBound(m *Market, s int) uint64 {
	var positions, payouts uint64
	for _, pos := range m.positions {
		if m.pools[pos.Pools[0]].Strategy == s {
			positions++
		}
	}
	for _, k := range m.comps {
		if m.pools[k.FromPool].Strategy == s {
			payouts++
		}
	}
	return positions * payouts
}

// extraPayouts accepts up to n more claims on active covers, so that the
// wind-down meets more compensations.
func (h *propHarness) extraPayouts(n int) {
	m := h.m
	for range n {
		var active []int
		for _, cv := range m.covers {
			if cv.OpenClaim < 0 && cv.LastTick > m.pools[cv.Pool].Slot0.Tick {
				active = append(active, cv.ID)
			}
		}
		if len(active) == 0 {
			return
		}
		cv := m.covers[active[h.u(0, len(active)-1, "extra.cover")]]
		var amount Int
		f, hundred := propU64(h.u(1, 100, "extra.pct")), propU64(100)
		amount.Mul(&cv.Amount, &f)
		amount.Div(&amount, &hundred)
		if amount.IsZero() {
			continue
		}
		res, err := h.apply(h.at(), OpenClaim{Cover: cv.ID, Amount: amount})
		if err != nil {
			continue
		}
		id := res.(map[string]int)["claim"]
		if _, err := h.apply(h.now, ResolveClaim{Claim: id, Accept: true}); err != nil {
			h.must(h.now, ResolveClaim{Claim: id})
		}
	}
}

// closeEverything winds the market down: claims resolved, every cover
// expired, every position committed and, after the delay, withdrawn in
// full (less the dust the last LPs cannot get). It checks that only dust
// within spec §9's bound stays behind.
func (h *propHarness) closeEverything() propCloseReport {
	h.t.Helper()
	m := h.m
	if m.frozen {
		h.must(h.at(), Freeze{false})
	}
	// claims: accept some, reject the rest (or those that cannot be paid)
	for _, cl := range slices.Clone(m.claims) {
		if cl.Status != ClaimOpen {
			continue
		}
		if !h.chance(2, "close.reject") {
			if _, err := h.apply(h.at(), ResolveClaim{Claim: cl.ID, Accept: true}); err == nil {
				continue
			}
		}
		h.must(h.now, ResolveClaim{Claim: cl.ID})
	}
	rep := propCloseReport{positions: len(m.positions), payouts: len(m.comps),
		custodyLeft: new(big.Int), liquidityLeft: new(big.Int), capitalLeft: new(big.Int)}
	wasActive := map[int]bool{}
	// covers: let time run until every one has expired. A refresh only
	// lengthens seconds per tick (covers expire, the rate falls), so a pool
	// at tick t and spt s can run (2^32-1-t)·s seconds before its tick
	// overflows (spec §1); covers that would need longer are closed by
	// their owners instead (updateCover with premiumsToRemove "max").
	for round := 0; ; round++ {
		for _, p := range m.pools {
			h.must(h.now, Purge{p.ID})
		}
		need, room := new(big.Int), new(big.Int).Lsh(big.NewInt(1), 62)
		var active []int
		for _, p := range m.pools {
			left := new(big.Int).SetUint64(uint64(math.MaxUint32 - 1024 - min(p.Slot0.Tick, math.MaxUint32-1024)))
			if r := left.Mul(left, invBig(p.Slot0.SecondsPerTick)); r.Cmp(room) < 0 {
				room = r
			}
		}
		for _, cv := range m.covers {
			p := m.pools[cv.Pool]
			if cv.LastTick <= p.Slot0.Tick {
				continue
			}
			active = append(active, cv.ID)
			wasActive[cv.ID] = true
			ticks := new(big.Int).SetUint64(uint64(cv.LastTick - p.Slot0.Tick))
			if t := ticks.Mul(ticks, invBig(p.Slot0.SecondsPerTick)); t.Cmp(need) > 0 {
				need = t
			}
		}
		if len(active) == 0 {
			break
		}
		if round > 100 || need.Cmp(room) >= 0 {
			for _, id := range active {
				h.must(h.now, UpdateCover{Cover: id, AllPremiums: true})
			}
			rep.closed += len(active)
			continue
		}
		h.now += need.Uint64() + 1
	}
	// positions: commit, wait out the delay, withdraw everything
	for _, pos := range m.positions {
		if !pos.Committed {
			h.must(h.now, CommitRemoveLiquidity{Position: pos.ID})
		}
	}
	rep.expired = len(wasActive) - rep.closed
	h.now += m.cfg.WithdrawDelay + 1
	for _, pos := range m.positions {
		v, err := m.PositionAt(pos.ID, h.now)
		if err != nil {
			h.fatalf("position %d: %v", pos.ID, err)
		}
		capital := propDec(h, v.Capital)
		if capital.IsZero() {
			h.must(h.now, UncommitRemoveLiquidity{Position: pos.ID})
			continue
		}
		bound := propDustBound(m, m.pools[pos.Pools[0]].Strategy)
		for d := uint64(0); ; d++ {
			var amount Int
			dd := propU64(int(d))
			amount.Sub(&capital, &dd)
			if amount.IsZero() {
				h.must(h.now, UncommitRemoveLiquidity{Position: pos.ID})
				break
			}
			_, err := h.apply(h.now, RemoveLiquidity{Position: pos.ID, Amount: amount})
			if err == nil {
				rep.retryDust = max(rep.retryDust, d)
				break
			}
			if CodeOf(err) != CodeInsufficientLiquidity || d >= bound {
				h.fatalf("position %d cannot withdraw %s of its capital %s (bound %d units): %v", pos.ID, amount.Dec(), capital.Dec(), bound, err)
			}
		}
	}
	// what is left: dust only
	for _, s := range m.strategies {
		bound := new(big.Int).SetUint64(propDustBound(m, s.ID))
		left := invBig(m.books.strategy[s.ID])
		if left.Cmp(bound) > 0 {
			h.fatalf("strategy %d custody keeps %s after every LP left; bound %s", s.ID, left, bound)
		}
		capital := new(big.Int)
		for _, pos := range m.positions {
			if m.pools[pos.Pools[0]].Strategy == s.ID {
				c, _ := invPositionCapital(m, pos)
				capital.Add(capital, invBig(c))
			}
		}
		if capital.Cmp(bound) > 0 {
			h.fatalf("strategy %d positions keep %s of capital; bound %s", s.ID, capital, bound)
		}
		for _, p := range m.pools {
			if p.Strategy == s.ID && invBig(p.Liquidity).Cmp(bound) > 0 {
				h.fatalf("pool %d keeps %s of liquidity; bound %s", p.ID, p.Liquidity.Dec(), bound)
			}
			if l := invBig(p.Liquidity); l.Cmp(rep.liquidityLeft) > 0 {
				rep.liquidityLeft = l
			}
		}
		if left.Cmp(rep.custodyLeft) > 0 {
			rep.custodyLeft = left
		}
		if capital.Cmp(rep.capitalLeft) > 0 {
			rep.capitalLeft = capital
		}
	}
	// every reward has been taken: premium custody holds what LPs were
	// not owed (>= 0 by type) and the shortfall must be 0 (spec §9). It is
	// not, at times: see TestInvariantShortfallOneLPOneCover. Unless
	// VPOOL_STRICT_SHORTFALL is set, a shortfall is reported, not failed.
	rep.shortfall = map[string]Int{}
	for asset, a := range invShortfall(m) {
		if propStrictShortfall {
			h.fatalf("premium shortfall of %s %s after closing (spec §9 expects 0)", a.Dec(), asset)
		}
		rep.shortfall[asset] = a
	}
	return rep
}

func propDec(h *propHarness, s string) Int {
	var z Int
	if err := z.SetFromDecimal(s); err != nil {
		h.fatalf("bad decimal %q: %v", s, err)
	}
	return z
}

// TestCloseEverything builds random markets, winds each one down, and
// checks that only rounding dust stays in the strategies, the pools and
// the positions: at most one unit per position per payout (spec §9).
func TestCloseEverything(t *testing.T) {
	propRapidChecks(t, 25)
	stats := newPropStats()
	var most propCloseReport
	most.custodyLeft, most.liquidityLeft, most.capitalLeft = new(big.Int), new(big.Int), new(big.Int)
	runs, withPayouts, withShortfall, expired, closed := 0, 0, 0, 0, 0
	shortfall := new(big.Int)
	rapid.Check(t, func(rt *rapid.T) {
		h := newPropHarness(rt, propRapid{rt}, stats, true)
		h.run(rapid.IntRange(100, 300).Draw(rt, "commands"))
		if h.m.frozen {
			h.must(h.at(), Freeze{false})
		}
		h.extraPayouts(rapid.IntRange(0, 12).Draw(rt, "extraPayouts"))
		rep := h.closeEverything()
		runs++
		expired += rep.expired
		closed += rep.closed
		if rep.payouts > 0 {
			withPayouts++
		}
		if len(rep.shortfall) > 0 {
			withShortfall++
		}
		for _, a := range rep.shortfall {
			if b := invBig(a); b.Cmp(shortfall) > 0 {
				shortfall = b
			}
		}
		most.payouts = max(most.payouts, rep.payouts)
		most.positions = max(most.positions, rep.positions)
		most.retryDust = max(most.retryDust, rep.retryDust)
		for _, p := range []struct{ dst, src **big.Int }{{&most.custodyLeft, &rep.custodyLeft},
			{&most.liquidityLeft, &rep.liquidityLeft}, {&most.capitalLeft, &rep.capitalLeft}} {
			if (*p.src).Cmp(*p.dst) > 0 {
				*p.dst = *p.src
			}
		}
	})
	t.Logf("%d markets wound down (%d with payouts; at most %d positions, %d payouts in one); %d covers ran out, %d too long to wait for were closed by their owner",
		runs, withPayouts, most.positions, most.payouts, expired, closed)
	t.Logf("largest dust: %d units left behind by one LP to withdraw; %s left in a strategy's custody; %s in a pool; %s in positions",
		most.retryDust, most.custodyLeft, most.liquidityLeft, most.capitalLeft)
	if withShortfall > 0 {
		t.Logf("FINDING: %d of %d markets ended with a premium shortfall (largest %s base units); spec §9 expects none (see TestInvariantShortfallOneLPOneCover; VPOOL_STRICT_SHORTFALL=1 fails on it)",
			withShortfall, runs, shortfall)
	}
	stats.report(t)
}
