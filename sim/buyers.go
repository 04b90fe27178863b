package sim

import (
	"math"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/ray"
)

// arriveBuyers lets each buyer group's new buyers arrive in its pool:
// Poisson arrivals at the group's rate times its price response, each
// buying a drawn size times the size's price response.
func (p *path) arriveBuyers() {
	for b := range p.m.buyers {
		bm := &p.m.buyers[b]
		for range poisson(p.rng, bm.arrivalsPerStep*p.priceResponse(b, bm.elasticity)) {
			size := bm.size.Sample(p.rng) * p.priceResponse(b, bm.sizeElasticity)
			p.buyCover(b, p.m.tokens(size))
		}
	}
}

// maxResponse bounds a price response, so that a rate far below the
// reference cannot ask for unbounded demand.
const maxResponse = 100

// priceResponse is how buyer group b's demand scales at its pool's
// quoted premium rate: (rate / reference)^−elasticity, between 0 and
// maxResponse. An elasticity of 0 is exactly 1, without asking the engine.
func (p *path) priceResponse(b int, elasticity float64) float64 {
	if elasticity == 0 {
		return 1
	}
	bm := &p.m.buyers[b]
	rates, err := p.mk.PoolRates(bm.pool, p.t)
	if err != nil {
		return 1
	}
	rate := rates.PremiumRate.Float64() / 1e27
	return min(maxResponse, math.Pow(rate/bm.referenceRate, -elasticity))
}

// buyCover opens a cover of amount in buyer b's pool, paying the
// pool's current premium rate for a drawn number of days; the engine
// decides how long it really lasts. A refused cover counts as unmet demand.
func (p *path) buyCover(b int, amount ray.Int) {
	bm := &p.m.buyers[b]
	days := bm.days.Sample(p.rng)
	if p.res != nil {
		p.res.pools[bm.pool].demand++
	}
	rates, err := p.mk.PoolRates(bm.pool, p.t)
	if err != nil {
		p.refuse(bm.pool)
		return
	}
	var c ray.Calc
	premiums := c.MulDiv(c.MulDiv(amount, rates.PremiumRate, ray.Hundred), ray.U64(uint64(days*float64(cover.Day))), ray.U64(cover.Year))
	if c.Err != nil || premiums.IsZero() {
		p.refuse(bm.pool)
		return
	}
	id := p.mk.Counts().Covers
	if _, err := p.mk.Apply(p.t, cover.OpenCover{Owner: buyersAccount, Pool: bm.pool, Amount: amount, Premium: premiums}); err != nil {
		p.refuse(bm.pool)
		return
	}
	check := p.step + int(days/float64(p.m.cfg.StepDays.N)) + 1
	p.covers = append(p.covers, trackedCover{id: id, pool: bm.pool, buyer: b, amount: amount, check: check})
}

func (p *path) refuse(pool int) {
	if p.res != nil {
		p.res.pools[pool].refused++
	}
}

// expireCovers drops the covers whose bought duration has run out and
// renews each with its buyer's renewal probability (times the price
// response of its arrivals, at most 1). The buyer goes by the
// days it paid for; the engine, which prices the cover after the purchase
// and moves its tick length with utilization, may end it a little sooner
// or later (a hack claims only on covers the engine still shows active).
func (p *path) expireCovers() {
	for i := 0; i < len(p.covers); i++ {
		if p.covers[i].check > p.step {
			continue
		}
		renewed := p.covers[i]
		p.covers[i] = p.covers[len(p.covers)-1]
		p.covers = p.covers[:len(p.covers)-1]
		i--
		renew := min(1, p.m.buyers[renewed.buyer].renew*p.priceResponse(renewed.buyer, p.m.buyers[renewed.buyer].elasticity))
		if p.rng.Float64() < renew {
			p.buyCover(renewed.buyer, renewed.amount)
		}
	}
}
