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
	rate, ok := p.quotedRate(bm.pool)
	if !ok {
		return 1
	}
	return min(maxResponse, math.Pow(rate/bm.referenceRate, -elasticity))
}

// quoteMaxAge is how old the premium rate buyers react to may be: the
// engine's quote as of the pool's last purchase or record, or at most a
// week ago (asking the engine every step for every pool would double the
// cost of a path).
const quoteMaxAge = 7 * cover.Day

// poolQuote is the last premium rate read from the engine for a pool,
// percent a year, and when.
type poolQuote struct {
	rate float64
	at   uint64
	ok   bool
}

// quotedRate is pool's premium rate as buyers see it: the last quote read
// if it is recent enough, else a fresh one from the engine.
func (p *path) quotedRate(pool int) (float64, bool) {
	if q := p.quotes[pool]; q.ok && p.t-q.at < quoteMaxAge {
		return q.rate, true
	}
	rates, err := p.mk.PoolRates(pool, p.t)
	if err != nil {
		return 0, false
	}
	p.noteQuote(pool, rates)
	return p.quotes[pool].rate, true
}

// noteQuote keeps a premium rate read from the engine.
func (p *path) noteQuote(pool int, rates cover.PoolRates) {
	p.quotes[pool] = poolQuote{rate: rates.PremiumRate.Float64() / 1e27, at: p.t, ok: true}
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
	p.noteQuote(bm.pool, rates)
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
