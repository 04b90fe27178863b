package sim

import (
	"math"
	"slices"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/ray"
)

// start is the engine time of the beginning of the warm-up.
const start uint64 = 1_700_000_000

// model is a checked Config resolved for the paths: names become ids,
// rates per step, amounts base units.
type model struct {
	cfg        *Config
	unit       float64 // base units per token
	stepSecs   uint64
	steps      int // steps of the horizon
	warmup     int // steps of the warm-up
	every      int // steps between two records
	records    int // records over the horizon
	pools      []poolModel
	buyers     []buyerModel
	lps        []lpModel
	hacks      []hackSource
	strategies []strategyModel
	// lossThreshold is tails.lossThreshold, percent.
	lossThreshold float64
	// filingSteps and assessmentSteps are the claim delays in steps.
	filingSteps, assessmentSteps int
	// stress are the shocks of the stress scenario being run, if any.
	stress []hackEvent
}

type poolModel struct {
	name     string
	formula  cover.Formula
	maxRate  float64 // premium rate at 100% utilization, percent
	yield    float64 // its strategy's yearly yield, percent
	strategy int
}

type strategyModel struct {
	growth ray.Int // reward index multiplier per step at the mean yield (ray)
	// mean, volatility (percent a year, per √year) and reversion (per
	// year) of the yield's random process; volatility 0 keeps it fixed.
	mean, volatility, reversion float64
	failure                     float64 // venue failure probability per year
	loss                        Dist    // share of the venue's capital a failure takes
}

type buyerModel struct {
	pool            int
	arrivalsPerStep float64
	size, days      Dist
	renew           float64
	// elasticity (arrivals and renewals) and sizeElasticity of demand to
	// the premium rate, around referenceRate (percent a year).
	elasticity, sizeElasticity, referenceRate float64
}

type lpModel struct {
	name            string
	count           int
	arrivalsPerStep float64
	deposit         Dist
	baskets         [][]int
	threshold       ray.Int
	withdraws       bool
	reviewSteps     int
	exitOnIncident  bool
	requiredAPY     Dist // the APY an arriving LP asks for (percent), or none
}

// hackSource is one thing that can be hacked once a year: a pool alone or
// a shared dependency hitting each of its pools with probability hit.
type hackSource struct {
	pools       []int
	probability float64
	hit         float64
	severity    Dist
	correlation float64 // of the severities of the pools hit together
}

func newModel(c *Config) *model {
	m := &model{cfg: c, unit: math.Pow10(c.Market.Asset.Decimals.N), stepSecs: uint64(c.StepDays.N) * cover.Day,
		steps: c.HorizonDays.N / c.StepDays.N, warmup: c.WarmupDays.N / c.StepDays.N, every: c.RecordDays.N / c.StepDays.N}
	m.records = m.steps / m.every
	m.lossThreshold = c.Tails.LossThreshold.Float()
	m.filingSteps = ceilDiv(c.Incidents.ClaimFilingDays.N, c.StepDays.N)
	m.assessmentSteps = ceilDiv(c.Incidents.AssessmentDays.N, c.StepDays.N)
	ids := c.poolIndex()
	strategyIDs := map[string]int{}
	for i, s := range c.Market.Strategies {
		strategyIDs[s.Name] = i
		sm := strategyModel{growth: m.stepGrowth(s.YieldPerYear.Int), mean: s.YieldPerYear.Float(),
			volatility: s.YieldVolatility.Float(), reversion: s.YieldMeanReversion}
		if f := s.Failure; f != nil {
			sm.failure, sm.loss = float64(f.ProbabilityPerYear), f.Loss
		}
		m.strategies = append(m.strategies, sm)
	}
	for _, p := range c.Market.Pools {
		cv := p.Curve
		f := cover.Formula{UOptimal: cv.UOptimal.Int, R0: cv.R0.Int, RSlope1: cv.RSlope1.Int, RSlope2: cv.RSlope2.Int}
		m.pools = append(m.pools, poolModel{name: p.Name, formula: f,
			maxRate:  cv.R0.Float() + cv.RSlope1.Float() + cv.RSlope2.Float(),
			yield:    c.Market.Strategies[strategyIDs[p.Strategy]].YieldPerYear.Float(),
			strategy: strategyIDs[p.Strategy]})
	}
	perStep := float64(c.StepDays.N)
	for _, b := range c.Agents.Buyers {
		for _, name := range b.Pools {
			bm := buyerModel{pool: ids[name], arrivalsPerStep: b.ArrivalsPerDay * perStep, size: b.Size, days: b.DurationDays,
				renew: float64(b.RenewalProbability), elasticity: b.PriceElasticity, sizeElasticity: b.SizeElasticity,
				referenceRate: b.ReferenceRate.Float()}
			if !b.ReferenceRate.set {
				cv := c.Market.Pools[ids[name]].Curve
				bm.referenceRate = cv.R0.Float() + cv.RSlope1.Float()
			}
			m.buyers = append(m.buyers, bm)
		}
	}
	for _, lp := range c.Agents.LPs {
		g := lpModel{name: lp.Name, count: lp.Count, arrivalsPerStep: lp.ArrivalsPerDay * perStep, deposit: lp.Deposit,
			threshold: lp.WithdrawBelowAPY.Int, withdraws: lp.WithdrawBelowAPY.set,
			reviewSteps: max(1, lp.ReviewEveryDays.N/c.StepDays.N), exitOnIncident: lp.ExitOnIncident,
			requiredAPY: lp.RequiredAPY}
		for _, basket := range lp.Baskets {
			g.baskets = append(g.baskets, sortedIDs(basket, ids))
		}
		m.lps = append(m.lps, g)
	}
	for _, h := range c.Incidents.Pools {
		for _, name := range h.Pools {
			m.hacks = append(m.hacks, hackSource{pools: []int{ids[name]}, probability: float64(h.ProbabilityPerYear), hit: 1, severity: h.Severity})
		}
	}
	for _, h := range c.Incidents.Shared {
		m.hacks = append(m.hacks, hackSource{pools: sortedIDs(h.Pools, ids), probability: float64(h.ProbabilityPerYear),
			hit: float64(*h.HitProbability), severity: h.Severity, correlation: h.SeverityCorrelation})
	}
	return m
}

// sortedIDs are the ids of the named pools, ascending as positions need.
func sortedIDs(names []string, ids map[string]int) []int {
	out := make([]int, 0, len(names))
	for _, n := range names {
		out = append(out, ids[n])
	}
	slices.Sort(out)
	return out
}

// tokens converts a drawn number of whole tokens to base units, at least
// one unit and at most maxTokens tokens.
func (m *model) tokens(x float64) ray.Int {
	x = min(max(x, 0), maxTokens)
	dec := m.cfg.Market.Asset.Decimals.N
	if dec <= 6 {
		return ray.U64(max(1, uint64(math.Round(x*m.unit))))
	}
	v := ray.U64(max(1, uint64(math.Round(x*1e6))))
	ten := ray.U64(10)
	for range dec - 6 {
		v.Mul(&v, &ten)
	}
	return v
}

// float is an amount of base units in whole tokens, for statistics.
func (m *model) float(a ray.Int) float64 { return a.Float64() / m.unit }

// at is the engine time of step k (negative during the warm-up).
func (m *model) at(k int) uint64 { return start + uint64(k+m.warmup)*m.stepSecs }

// recording tells whether step k ends a recording period.
func (m *model) recording(k int) bool { return k >= 0 && (k+1)%m.every == 0 }

// recordDay is the day of the horizon at which record r is taken.
func (m *model) recordDay(r int) int { return (r + 1) * m.every * m.cfg.StepDays.N }

// The LP sets figures are given for: each kind (unleveraged, leveraged)
// in each pool and over all pools, then each LP group of the file.
func (m *model) lpSets() int { return lpKinds*(len(m.pools)+1) + len(m.lps) }

// lpSet is the set of LPs of kind k in pool id (id = len(pools): all).
func (m *model) lpSet(k, id int) int { return k*(len(m.pools)+1) + id }

// groupSet is the set of the LPs of group g.
func (m *model) groupSet(g int) int { return lpKinds*(len(m.pools)+1) + g }

// The LP books tail figures are given for: each kind over all pools, then
// each LP group of the file.
func (m *model) books() int { return lpKinds + len(m.lps) }

// groupBook is the book of the LPs of group g.
func (m *model) groupBook(g int) int { return lpKinds + g }

// ceilDiv is ⌈a / b⌉ for a ≥ 0 and b > 0.
func ceilDiv(a, b int) int { return (a + b - 1) / b }

// stepGrowth is the reward index multiplier of one step at a yearly
// yield (ray percent): 1 + yield × stepDays / 365, in ray.
func (m *model) stepGrowth(yield ray.Int) ray.Int {
	var g ray.Calc
	perStep := g.DivInt(g.MulInt(yield, ray.U64(uint64(m.cfg.StepDays.N))), ray.U64(36500))
	return g.Add(ray.RAY, perStep)
}

// percentRay is a drawn percent as the engine's ray percent (to a
// billionth of a point; negative draws are 0).
func (m *model) percentRay(percent float64) ray.Int {
	v := ray.U64(uint64(math.Round(max(percent, 0) * 1e9)))
	scale := ray.U64(1_000_000_000_000_000_000)
	v.Mul(&v, &scale)
	return v
}
