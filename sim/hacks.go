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
// its hit probability, each with its own severity (correlated across the
// pools hit when the source has a severity correlation). A stress
// scenario's shocks come after the random incidents of their step.
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
			if h.correlation > 0 {
				p.hitCorrelated(rng, h, step)
				continue
			}
			for _, pool := range h.pools {
				if h.hit < 1 && rng.Float64() >= h.hit {
					continue
				}
				p.hacks = append(p.hacks, hackEvent{step: step, pool: pool, severity: h.severity.Sample(rng)})
			}
		}
	}
	p.hacks = append(p.hacks, m.stress...)
	slices.SortStableFunc(p.hacks, func(a, b hackEvent) int { return a.step - b.step })
}

// hitCorrelated draws which pools a shared incident hits, then their
// severities through the source's copula.
func (p *path) hitCorrelated(rng *rand.Rand, h hackSource, step int) {
	var hit []int
	for _, pool := range h.pools {
		if h.hit >= 1 || rng.Float64() < h.hit {
			hit = append(hit, pool)
		}
	}
	for i, s := range correlatedSeverities(rng, h.severity, h.correlation, len(hit)) {
		p.hacks = append(p.hacks, hackEvent{step: step, pool: hit[i], severity: s})
	}
}

// pendingClaim is the claim of one cover on one incident: filed on step
// file, resolved on step settle.
type pendingClaim struct {
	cover, pool  int
	want         ray.Int
	file, settle int
	claim        int // the engine's claim id once filed, else -1
}

// claimHacks handles the incidents of this step: the LPs who run on news
// of an incident commit to withdraw, and every cover the engine shows
// active in the pool is to claim severity × its amount, filed and
// settled after the file's delays. Then every claim due is filed or
// settled.
func (p *path) claimHacks() {
	for len(p.hacks) > 0 && p.hacks[0].step == p.step {
		h := p.hacks[0]
		p.hacks = p.hacks[1:]
		p.res.pools[h.pool].hacks++
		p.alarmLPs(h.pool)
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
			file := p.step + p.m.filingSteps
			p.claims = append(p.claims, pendingClaim{cover: tc.id, pool: h.pool, want: want, file: file, settle: file + p.m.assessmentSteps, claim: -1})
		}
		p.processClaims()
	}
	p.processClaims()
}

// processClaims files the claims due (a cover with a claim still open
// files the next step) and settles those filed and due.
func (p *path) processClaims() {
	kept := p.claims[:0]
	for _, c := range p.claims {
		if c.claim < 0 && c.file <= p.step {
			c.claim = p.file(c.cover, c.want)
		}
		if c.claim >= 0 && c.settle <= p.step {
			p.settleClaim(c)
			continue
		}
		kept = append(kept, c)
	}
	p.claims = kept
}

// settleOpenClaims settles every claim still in assessment at the
// horizon end, then.
func (p *path) settleOpenClaims() {
	for i := range p.claims {
		p.claims[i].file, p.claims[i].settle = p.step, p.step
	}
	p.processClaims()
}

// settleClaim resolves a filed claim and books what it paid: what the
// engine paid, at what the venue still holds of it after a failure.
func (p *path) settleClaim(c pendingClaim) {
	paid := p.resolve(c.claim, c.cover, c.pool, c.want)
	received := p.m.float(paid) * p.keptOf(c.pool)
	po := &p.res.pools[c.pool]
	po.asked += p.m.float(c.want)
	po.paid += received
	p.claimed += received
	for i := range p.covers {
		if tc := &p.covers[i]; tc.id == c.cover {
			tc.amount.Sub(&tc.amount, &paid)
		}
	}
}

// file opens a claim for amount on a cover; it returns the claim's id, or
// -1 when the engine refuses (a claim already open on the cover).
func (p *path) file(coverID int, amount ray.Int) int {
	id := p.mk.Counts().Claims
	if _, err := p.mk.Apply(p.t, cover.OpenClaim{Cover: coverID, Amount: amount}); err != nil {
		return -1
	}
	return id
}

// resolve has claim id accepted; when the engine refuses the payout (a
// claim above the pool's liquidity), the claim is rejected and asked
// again for all the liquidity left. It returns what was paid.
func (p *path) resolve(id, coverID, pool int, want ray.Int) ray.Int {
	if _, err := p.mk.Apply(p.t, cover.ResolveClaim{Claim: id, Accept: true}); err == nil {
		return want
	}
	_, _ = p.mk.Apply(p.t, cover.ResolveClaim{Claim: id})
	v, err := p.mk.PoolAt(pool, p.t)
	if err != nil {
		return ray.Int{}
	}
	left, err := ray.ParseAmount(v.TotalLiquidity)
	if err != nil || left.IsZero() || !left.Lt(&want) {
		return ray.Int{}
	}
	again := p.file(coverID, left)
	if again < 0 {
		return ray.Int{}
	}
	if _, err := p.mk.Apply(p.t, cover.ResolveClaim{Claim: again, Accept: true}); err != nil {
		_, _ = p.mk.Apply(p.t, cover.ResolveClaim{Claim: again})
		return ray.Int{}
	}
	return left
}
