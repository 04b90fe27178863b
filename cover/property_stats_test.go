package cover

// What the property tests saw across runs: commands and error codes per
// op, and the largest dust and shortfall.

import (
	"fmt"
	"math/big"
	"sort"
	"strings"
	"testing"
)

// propStats gathers what a test saw, across runs.
type propStats struct {
	ok, failed   map[string]int
	codes        map[Code]int
	byOp         map[string]int
	ops          int
	shortfall    *big.Int // largest shortfall seen
	custodyGap   *big.Int // largest Σ capital − strategy custody seen
	overlapOff   *big.Int // largest |overlap − Σ baskets| seen
	basketOff    *big.Int // largest |Σ capital − basket| seen
	compensation int      // most compensations in one run
}

func newPropStats() *propStats {
	return &propStats{ok: map[string]int{}, failed: map[string]int{}, codes: map[Code]int{}, byOp: map[string]int{},
		shortfall: new(big.Int), custodyGap: new(big.Int), overlapOff: new(big.Int), basketOff: new(big.Int)}
}

func (s *propStats) report(t *testing.T) {
	var names []string
	for n := range s.ok {
		names = append(names, n)
	}
	for n := range s.failed {
		if _, ok := s.ok[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var sb strings.Builder
	for _, n := range names {
		fmt.Fprintf(&sb, " %s=%d/%d", n, s.ok[n], s.ok[n]+s.failed[n])
	}
	t.Logf("%d commands; ok/total per op:%s", s.ops, sb.String())
	var codes []string
	for c, n := range s.codes {
		codes = append(codes, fmt.Sprintf("%s=%d", c, n))
	}
	sort.Strings(codes)
	t.Logf("error codes seen: %s", strings.Join(codes, " "))
	if testing.Verbose() {
		var by []string
		for k, n := range s.byOp {
			by = append(by, fmt.Sprintf("%s=%d", k, n))
		}
		sort.Strings(by)
		t.Logf("failures by op: %s", strings.Join(by, " "))
	}
	t.Logf("largest: shortfall %s, Σcapital−custody %s, |overlap−Σbaskets| %s, |Σcapital−basket| %s; most compensations in a run %d",
		s.shortfall, s.custodyGap, s.overlapOff, s.basketOff, s.compensation)
}

// measure records the largest dust and shortfall seen.
func (h *propHarness) measure() {
	m := h.m
	for _, a := range invShortfall(m) {
		if b := invBig(a); b.Cmp(h.stats.shortfall) > 0 {
			h.stats.shortfall = b
		}
	}
	for _, g := range invCustodyGap(m) {
		if g.Cmp(h.stats.custodyGap) > 0 {
			h.stats.custodyGap = new(big.Int).Set(g)
		}
	}
	for a := range m.pools {
		for b := a; b < len(m.pools); b++ {
			o := m.overlap(a, b)
			sum, _ := invOverlapSlack(m, a, b)
			if d := new(big.Int).Abs(sum.Sub(sum, invBig(o))); d.Cmp(h.stats.overlapOff) > 0 {
				h.stats.overlapOff = d
			}
		}
	}
	sums := map[*Basket]*big.Int{}
	for _, pos := range m.positions {
		c, _ := invPositionCapital(m, pos)
		if sums[pos.basket] == nil {
			sums[pos.basket] = new(big.Int)
		}
		sums[pos.basket].Add(sums[pos.basket], invBig(c))
	}
	for bk, s := range sums {
		if d := new(big.Int).Abs(s.Sub(s, invBig(bk.Amount))); d.Cmp(h.stats.basketOff) > 0 {
			h.stats.basketOff = d
		}
	}
	h.stats.compensation = max(h.stats.compensation, len(m.comps))
}
