package sim

import (
	"fmt"
	"math"
	"slices"

	"github.com/vpool/vpool/ray"
)

// Limits that keep a run finite and its amounts inside the engine's range.
const (
	maxHorizonDays = 100 * 365
	maxTokens      = 1e12 // largest size or deposit, in whole tokens
	maxArrivals    = 1000 // per day
	maxCount       = 100_000
	maxElasticity  = 20
)

// validate checks every field; the error names the field by its path.
func (c *Config) validate() error {
	h, step, rec, warm := c.HorizonDays.N, c.StepDays.N, c.RecordDays.N, c.WarmupDays.N
	switch {
	case h < 1 || h > maxHorizonDays:
		return fmt.Errorf("horizonDays is %d: it must be between 1 and %d (leave it out for 365)", h, maxHorizonDays)
	case step < 1 || step > h:
		return fmt.Errorf("stepDays is %d: it must be between 1 and horizonDays (%d); leave it out for 1", step, h)
	case h%step != 0:
		return fmt.Errorf("horizonDays (%d) must be a whole number of steps of stepDays (%d)", h, step)
	case rec < step || rec > h || rec%step != 0:
		return fmt.Errorf("recordEveryDays is %d: it must be a multiple of stepDays (%d), at most horizonDays (%d)", rec, step, h)
	case warm < 0 || warm > maxHorizonDays:
		return fmt.Errorf("warmupDays is %d: it must be between 0 and %d", warm, maxHorizonDays)
	case warm%step != 0:
		return fmt.Errorf("warmupDays (%d) must be a whole number of steps of stepDays (%d)", warm, step)
	case c.StartMarket != startPerPath && c.StartMarket != startFixed:
		return fmt.Errorf("startMarket is %q: it must be %s or %s", c.StartMarket, startPerPath, startFixed)
	}
	if err := c.Market.validate(); err != nil {
		return fmt.Errorf("market.%w", err)
	}
	pools := c.poolIndex()
	for i, b := range c.Agents.Buyers {
		if err := b.validate(pools); err != nil {
			return fmt.Errorf("agents.buyers[%d].%w", i, err)
		}
	}
	for i, lp := range c.Agents.LPs {
		if err := lp.validate(c, pools); err != nil {
			return fmt.Errorf("agents.lps[%d].%w", i, err)
		}
	}
	for i, h := range c.Incidents.Pools {
		if err := checkHack(h.Pools, float64(h.ProbabilityPerYear), h.Severity, pools); err != nil {
			return fmt.Errorf("incidents.pools[%d].%w", i, err)
		}
	}
	for i, h := range c.Incidents.Shared {
		if err := checkHack(h.Pools, float64(h.ProbabilityPerYear), h.Severity, pools); err != nil {
			return fmt.Errorf("incidents.shared[%d].%w", i, err)
		}
		if p := float64(*h.HitProbability); !(p >= 0 && p <= 1) {
			return fmt.Errorf("incidents.shared[%d].hitProbability must be between 0 and 1", i)
		}
		if err := checkRate("severityCorrelation", h.SeverityCorrelation, 1); err != nil {
			return fmt.Errorf("incidents.shared[%d].%w", i, err)
		}
	}
	for field, d := range map[string]int{"claimFilingDays": c.Incidents.ClaimFilingDays.N, "assessmentDays": c.Incidents.AssessmentDays.N} {
		if d < 0 || d > maxHorizonDays {
			return fmt.Errorf("incidents.%s is %d: it must be between 0 and %d", field, d, maxHorizonDays)
		}
	}
	if err := c.validateStress(pools); err != nil {
		return err
	}
	if x := c.Tails.LossThreshold; x.IsZero() || ray.Hundred.Lt(&x.Int) {
		return fmt.Errorf("tails.lossThreshold must be above 0%% and at most 100%%")
	}
	if c.Sweep != nil {
		if err := c.Sweep.validate(); err != nil {
			return fmt.Errorf("sweep.%w", err)
		}
	}
	return nil
}

func (m *MarketConfig) validate() error {
	switch {
	case m.Asset.Symbol == "":
		return fmt.Errorf("asset.symbol is missing")
	case !m.Asset.Decimals.set:
		return fmt.Errorf("asset.decimals is missing (6 for USDC, 18 for most ERC-20 tokens)")
	case m.Asset.Decimals.N < 0 || m.Asset.Decimals.N > 27:
		return fmt.Errorf("asset.decimals must be between 0 and 27")
	case m.WithdrawDelayDays.N < 0 || m.WithdrawDelayDays.N > maxHorizonDays:
		return fmt.Errorf("withdrawDelayDays must be between 0 and %d", maxHorizonDays)
	case m.MaxLeverage.N < 1:
		return fmt.Errorf("maxLeverage must be at least 1")
	case ray.Hundred.Lt(&m.LeverageFeePerPool.Int):
		return fmt.Errorf("leverageFeePerPool must be at most 100%%")
	case len(m.Strategies) == 0:
		return fmt.Errorf("strategies: at least one strategy is needed")
	case len(m.Pools) == 0:
		return fmt.Errorf("pools: at least one pool is needed")
	}
	var names []string
	for i, s := range m.Strategies {
		if err := uniqueName(s.Name, names); err != nil {
			return fmt.Errorf("strategies[%d].name %w", i, err)
		}
		names = append(names, s.Name)
		for field, p := range map[string]Percent{"feeRate": s.FeeRate, "payoutDeductible": s.PayoutDeductible, "yieldPerYear": s.YieldPerYear,
			"yieldVolatility": s.YieldVolatility} {
			if ray.Hundred.Lt(&p.Int) {
				return fmt.Errorf("strategies[%d].%s must be at most 100%%", i, field)
			}
		}
		if err := checkRate("yieldMeanReversion", s.YieldMeanReversion, 365); err != nil {
			return fmt.Errorf("strategies[%d].%w", i, err)
		}
		if f := s.Failure; f != nil {
			if err := checkRate("probabilityPerYear", float64(f.ProbabilityPerYear), 1); err != nil {
				return fmt.Errorf("strategies[%d].failure.%w", i, err)
			}
			if err := f.Loss.check(0, 1); err != nil {
				return fmt.Errorf("strategies[%d].failure.loss %w", i, err)
			}
		}
	}
	var pools []string
	for i, p := range m.Pools {
		if err := p.validate(names, pools); err != nil {
			return fmt.Errorf("pools[%d].%w", i, err)
		}
		pools = append(pools, p.Name)
	}
	for i, p := range m.Pools {
		for _, other := range p.Compatible {
			if !slices.Contains(pools, other) || other == p.Name {
				return fmt.Errorf("pools[%d].compatible: %q is not another pool of the market", i, other)
			}
		}
	}
	return nil
}

func (p *PoolConfig) validate(strategies, earlier []string) error {
	if err := uniqueName(p.Name, earlier); err != nil {
		return fmt.Errorf("name %w", err)
	}
	if !slices.Contains(strategies, p.Strategy) {
		return fmt.Errorf("strategy %q is not a strategy of the market", p.Strategy)
	}
	if ray.Hundred.Lt(&p.FeeRate.Int) {
		return fmt.Errorf("feeRate must be at most 100%%")
	}
	c := p.Curve
	if !c.UOptimal.set || !c.R0.set || !c.RSlope1.set || !c.RSlope2.set {
		return fmt.Errorf("curve needs uOptimal, r0, rSlope1 and rSlope2")
	}
	if c.UOptimal.IsZero() || !c.UOptimal.Lt(&ray.Hundred) || c.R0.IsZero() {
		return fmt.Errorf("curve needs 0%% < uOptimal < 100%% and r0 > 0%%")
	}
	for _, r := range []Percent{c.R0, c.RSlope1, c.RSlope2} {
		if ray.Hundred.Lt(&r.Int) {
			return fmt.Errorf("curve rates must be at most 100%%")
		}
	}
	return nil
}

func uniqueName(name string, taken []string) error {
	if name == "" {
		return fmt.Errorf("is missing")
	}
	if slices.Contains(taken, name) {
		return fmt.Errorf("%q is used twice", name)
	}
	return nil
}

// poolIndex maps pool names to ids (creation order).
func (c *Config) poolIndex() map[string]int {
	ids := map[string]int{}
	for i, p := range c.Market.Pools {
		ids[p.Name] = i
	}
	return ids
}

func checkPools(names []string, pools map[string]int) error {
	if len(names) == 0 {
		return fmt.Errorf("pools: at least one pool is needed")
	}
	for _, n := range names {
		if _, ok := pools[n]; !ok {
			return fmt.Errorf("pools: %q is not a pool of the market", n)
		}
	}
	return nil
}

func checkRate(field string, v, hi float64) error {
	if !(v >= 0 && v <= hi) || math.IsInf(v, 0) {
		return fmt.Errorf("%s must be between 0 and %g", field, hi)
	}
	return nil
}

func (b *BuyerConfig) validate(pools map[string]int) error {
	if err := checkPools(b.Pools, pools); err != nil {
		return err
	}
	if err := checkRate("arrivalsPerDay", b.ArrivalsPerDay, maxArrivals); err != nil {
		return err
	}
	if err := checkRate("renewalProbability", float64(b.RenewalProbability), 1); err != nil {
		return err
	}
	if err := b.Size.check(0, math.Inf(1)); err != nil {
		return fmt.Errorf("size %w", err)
	}
	if err := b.DurationDays.check(1, maxHorizonDays); err != nil {
		return fmt.Errorf("durationDays %w", err)
	}
	if err := checkRate("priceElasticity", b.PriceElasticity, maxElasticity); err != nil {
		return err
	}
	if err := checkRate("sizeElasticity", b.SizeElasticity, maxElasticity); err != nil {
		return err
	}
	if b.ReferenceRate.set && (b.ReferenceRate.IsZero() || ray.Hundred.Lt(&b.ReferenceRate.Int)) {
		return fmt.Errorf("referenceRate must be above 0%% and at most 100%%")
	}
	return nil
}

func (lp *LPConfig) validate(c *Config, pools map[string]int) error {
	switch {
	case lp.Name == "":
		return fmt.Errorf("name is missing")
	case lp.Count < 0 || lp.Count > maxCount:
		return fmt.Errorf("count must be between 0 and %d", maxCount)
	case lp.ReviewEveryDays.N < 1:
		return fmt.Errorf("reviewEveryDays must be at least 1")
	case len(lp.Baskets) == 0:
		return fmt.Errorf("baskets: at least one basket is needed")
	}
	if err := checkRate("arrivalsPerDay", lp.ArrivalsPerDay, maxArrivals); err != nil {
		return err
	}
	if err := lp.Deposit.check(0, math.Inf(1)); err != nil {
		return fmt.Errorf("deposit %w", err)
	}
	if lp.RequiredAPY.Kind != "" {
		if err := lp.RequiredAPY.check(0, 100); err != nil {
			return fmt.Errorf("requiredAPY %w", err)
		}
	}
	for i, basket := range lp.Baskets {
		if err := c.checkBasket(basket, pools); err != nil {
			return fmt.Errorf("baskets[%d]: %w", i, err)
		}
	}
	return nil
}

// checkBasket reports a basket the engine would refuse to open a position
// over: too many pools, repeated pools, mixed strategies or incompatible
// pairs.
func (c *Config) checkBasket(basket []string, pools map[string]int) error {
	if err := checkPools(basket, pools); err != nil {
		return err
	}
	if len(basket) > c.Market.MaxLeverage.N {
		return fmt.Errorf("%d pools, above maxLeverage %d", len(basket), c.Market.MaxLeverage.N)
	}
	for i, a := range basket {
		pa := c.Market.Pools[pools[a]]
		for _, b := range basket[i+1:] {
			pb := c.Market.Pools[pools[b]]
			switch {
			case a == b:
				return fmt.Errorf("pool %q is listed twice", a)
			case pa.Strategy != pb.Strategy:
				return fmt.Errorf("pools %q and %q use different strategies", a, b)
			case !slices.Contains(pa.Compatible, b) && !slices.Contains(pb.Compatible, a):
				return fmt.Errorf("pools %q and %q are not compatible", a, b)
			}
		}
	}
	return nil
}

func checkHack(names []string, probability float64, severity Dist, pools map[string]int) error {
	if err := checkPools(names, pools); err != nil {
		return err
	}
	if err := checkRate("probabilityPerYear", probability, 1); err != nil {
		return err
	}
	if err := severity.check(0, 1); err != nil {
		return fmt.Errorf("severity %w", err)
	}
	return nil
}
