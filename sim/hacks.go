package sim

import (
	"math/rand/v2"
	"slices"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/ray"
)

// hackEvent is one pool hit on one step: every active cover of the pool
// claims severity × its amount.
type hackEvent struct {
	step, pool int
	severity   float64
}

// severityScale turns a severity in [0, 1] into an integer share.
const severityScale = 1_000_000_000

// scheduleHacks draws the path's hacks: each source is hit at most once in
// each year of the horizon, with its yearly probability, on a uniformly
// drawn step of that year; a shared source hits each of its pools with
// its hit probability, each with its own severity.
func (p *path) scheduleHacks(rng *rand.Rand) {
	m := p.m
	perYear := max(1, 365/m.cfg.StepDays.N)
	p.hacks = p.hacks[:0]
	for y := 0; y*perYear < m.steps; y++ {
		span := min(perYear, m.steps-y*perYear)
		for _, h := range m.hacks {
			if rng.Float64() >= h.probability {
				continue
			}
			step := y*perYear + rng.IntN(span)
			for _, pool := range h.pools {
				if h.hit < 1 && rng.Float64() >= h.hit {
					continue
				}
				p.hacks = append(p.hacks, hackEvent{step: step, pool: pool, severity: h.severity.Sample(rng)})
			}
		}
	}
	slices.SortStableFunc(p.hacks, func(a, b hackEvent) int { return a.step - b.step })
}

// claimHacks files and settles the claims of the hacks of this step.
func (p *path) claimHacks() {
	for len(p.hacks) > 0 && p.hacks[0].step == p.step {
		h := p.hacks[0]
		p.hacks = p.hacks[1:]
		p.res.pools[h.pool].hacks++
		share := ray.U64(uint64(h.severity * severityScale))
		for i := range p.covers {
			tc := &p.covers[i]
			if tc.pool != h.pool || tc.amount.IsZero() {
				continue
			}
			if v, err := p.mk.CoverAt(tc.id, p.t); err != nil || !v.Active {
				continue
			}
			want, err := ray.MulDiv(tc.amount, share, ray.U64(severityScale))
			if err != nil || want.IsZero() {
				continue
			}
			paid := p.claim(tc.id, h.pool, want)
			po := &p.res.pools[h.pool]
			po.asked += p.m.float(want)
			po.paid += p.m.float(paid)
			p.claimed += p.m.float(paid)
			tc.amount.Sub(&tc.amount, &paid)
		}
	}
}

// claim asks for want on a cover and has the claim accepted. A claim
// larger than the pool's liquidity is rejected and asked again for all
// that is left; it returns what was paid.
func (p *path) claim(coverID, pool int, want ray.Int) ray.Int {
	if p.settle(coverID, want) {
		return want
	}
	v, err := p.mk.PoolAt(pool, p.t)
	if err != nil {
		return ray.Int{}
	}
	left, err := ray.ParseAmount(v.TotalLiquidity)
	if err != nil || left.IsZero() || !left.Lt(&want) || !p.settle(coverID, left) {
		return ray.Int{}
	}
	return left
}

// settle opens a claim for amount and accepts it, or rejects it when the
// engine refuses the payout; it tells whether the claim was paid.
func (p *path) settle(coverID int, amount ray.Int) bool {
	id := p.mk.Counts().Claims
	if _, err := p.mk.Apply(p.t, cover.OpenClaim{Cover: coverID, Amount: amount}); err != nil {
		return false
	}
	if _, err := p.mk.Apply(p.t, cover.ResolveClaim{Claim: id, Accept: true}); err == nil {
		return true
	}
	_, _ = p.mk.Apply(p.t, cover.ResolveClaim{Claim: id})
	return false
}
