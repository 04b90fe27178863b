package sim

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/ray"
)

// venues is the strategies' side of a path over the horizon: their
// current random yields, the venue failures to come, and what failures
// have left of each venue's capital.
type venues struct {
	rng      *rand.Rand
	yields   []float64 // current yearly yield of each strategy, percent
	failures []venueFailure
	// kept is the share of a strategy's capital its venue still holds
	// after its failures (1 without any): what leaves the venue from then
	// on is worth that share of what the engine books.
	kept   []float64
	failed []bool // a failed venue pays no more yield
}

// venueFailure is a strategy venue failing on a step, losing a share of
// its capital.
type venueFailure struct {
	step, strategy int
	loss           float64
}

// startVenues draws the horizon's venue failures (each strategy at most
// once a year, like incidents) and starts each yield at its mean.
func (p *path) startVenues(rng *rand.Rand) {
	m := p.m
	v := venues{rng: rng, yields: make([]float64, len(m.strategies)), kept: make([]float64, len(m.strategies)),
		failed: make([]bool, len(m.strategies))}
	perYear := max(1, 365/m.cfg.StepDays.N)
	for i, s := range m.strategies {
		v.yields[i], v.kept[i] = s.mean, 1
		if s.failure <= 0 {
			continue
		}
		for y := 0; y*perYear < m.steps; y++ {
			if rng.Float64() < s.failure {
				v.failures = append(v.failures, venueFailure{step: y*perYear + rng.IntN(min(perYear, m.steps-y*perYear)),
					strategy: i, loss: s.loss.Sample(rng)})
			}
		}
	}
	slices.SortStableFunc(v.failures, func(a, b venueFailure) int { return a.step - b.step })
	p.venues = v
}

// growStrategies moves every strategy's reward index by a step of its
// yield: the fixed yield of the file, or over the horizon its random
// yield, drawn to a billionth of a point and then applied with the
// engine's ray arithmetic. A failed venue's index no longer moves.
func (p *path) growStrategies() error {
	for i, s := range p.m.strategies {
		if p.venues.failed != nil && p.venues.failed[i] {
			continue
		}
		growth := s.growth
		if s.volatility > 0 && p.res != nil {
			growth = p.m.stepGrowth(p.m.percentRay(p.venues.yields[i]))
			p.venues.yields[i] = s.nextYield(p.venues.rng, p.venues.yields[i], float64(p.m.cfg.StepDays.N)/365)
		}
		next, err := ray.Mul(p.indexes[i], growth)
		if err != nil {
			return err
		}
		if _, err := p.mk.Apply(p.t, cover.SetStrategyIndex{Strategy: i, Index: next}); err != nil {
			return err
		}
		p.indexes[i] = next
	}
	return nil
}

// nextYield moves a yield one step of dt years along a mean-reverting
// (Ornstein–Uhlenbeck) process: r + κ(μ − r)dt + σ√dt·Z, kept in [0, 100].
func (s strategyModel) nextYield(r *rand.Rand, y, dt float64) float64 {
	y += s.reversion*(s.mean-y)*dt + s.volatility*math.Sqrt(dt)*r.NormFloat64()
	return min(max(y, 0), 100)
}

// failVenues applies the venue failures of this step: the venue keeps
// (1 − loss) of its capital, pays no more yield, and the LPs of its pools
// who run on incidents commit to withdraw.
func (p *path) failVenues() {
	v := &p.venues
	for len(v.failures) > 0 && v.failures[0].step == p.step {
		f := v.failures[0]
		v.failures = v.failures[1:]
		v.kept[f.strategy] *= 1 - f.loss
		v.failed[f.strategy] = true
		p.res.venueFailures++
		for id, pm := range p.m.pools {
			if pm.strategy == f.strategy {
				p.alarmLPs(id)
			}
		}
	}
}

// keptOf is the share of its booked value that capital leaving pool's
// strategy is worth now.
func (p *path) keptOf(pool int) float64 {
	if p.venues.kept == nil {
		return 1
	}
	return p.venues.kept[p.m.pools[pool].strategy]
}
