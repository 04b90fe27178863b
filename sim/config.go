package sim

// Config is a simulation file: the market, its agents, its incidents, the
// horizon and step, and an optional sweep (docs/sim.md explains every field).
type Config struct {
	Name        string `yaml:"name"`
	HorizonDays Whole  `yaml:"horizonDays"`
	StepDays    Whole  `yaml:"stepDays"`
	WarmupDays  Whole  `yaml:"warmupDays"`
	RecordDays  Whole  `yaml:"recordEveryDays"`
	// StartMarket is perPath (each path draws its own LPs and warm-up) or
	// fixed (one start market, drawn from the seed, shared by every path).
	StartMarket string         `yaml:"startMarket"`
	Market      MarketConfig   `yaml:"market"`
	Agents      AgentsConfig   `yaml:"agents"`
	Incidents   IncidentsConf  `yaml:"incidents"`
	Tails       TailsConfig    `yaml:"tails"`
	Stress      []StressConfig `yaml:"stress"`
	History     *HistoryConfig `yaml:"history"`
	Sweep       *SweepConfig   `yaml:"sweep"`
	// fitted is what the history's fit found, if the file fits one.
	fitted *HistoryFit
}

// MarketConfig is the market the paths start from.
type MarketConfig struct {
	Asset              *AssetConfig     `yaml:"asset"`
	WithdrawDelayDays  Whole            `yaml:"withdrawDelayDays"`
	MaxLeverage        Whole            `yaml:"maxLeverage"`
	LeverageFeePerPool Percent          `yaml:"leverageFeePerPool"`
	Strategies         []StrategyConfig `yaml:"strategies"`
	Pools              []PoolConfig     `yaml:"pools"`
}

// AssetConfig is the market's one token.
type AssetConfig struct {
	Symbol   string `yaml:"symbol"`
	Decimals Whole  `yaml:"decimals"`
}

// StrategyConfig is a yield strategy; its reward index grows by
// YieldPerYear, compounded every step.
type StrategyConfig struct {
	Name             string  `yaml:"name"`
	YieldPerYear     Percent `yaml:"yieldPerYear"`
	Compounds        bool    `yaml:"compounds"`
	FeeRate          Percent `yaml:"feeRate"`
	PayoutDeductible Percent `yaml:"payoutDeductible"`
	// YieldVolatility (percentage points per √year, default 0) makes the
	// yield a mean-reverting random process around YieldPerYear, pulled
	// back at YieldMeanReversion per year (default 2).
	YieldVolatility    Percent `yaml:"yieldVolatility"`
	YieldMeanReversion float64 `yaml:"yieldMeanReversion"`
	// Failure is the risk that the venue holding the capital fails.
	Failure *VenueFailureConfig `yaml:"failure"`
}

// VenueFailureConfig is a strategy venue's failure risk: at most once a
// year, with ProbabilityPerYear, it loses a share Loss of the capital.
type VenueFailureConfig struct {
	ProbabilityPerYear Probability `yaml:"probabilityPerYear"`
	Loss               Dist        `yaml:"loss"`
}

// PoolConfig is one cover pool.
type PoolConfig struct {
	Name       string      `yaml:"name"`
	Strategy   string      `yaml:"strategy"`
	FeeRate    Percent     `yaml:"feeRate"`
	Curve      CurveConfig `yaml:"curve"`
	Compatible []string    `yaml:"compatible"`
}

// CurveConfig is a pool's premium curve.
type CurveConfig struct {
	UOptimal Percent `yaml:"uOptimal"`
	R0       Percent `yaml:"r0"`
	RSlope1  Percent `yaml:"rSlope1"`
	RSlope2  Percent `yaml:"rSlope2"`
}

// AgentsConfig lists who acts in the market.
type AgentsConfig struct {
	Buyers []BuyerConfig `yaml:"buyers"`
	LPs    []LPConfig    `yaml:"lps"`
}

// BuyerConfig is the cover demand of each listed pool (each pool gets its
// own independent arrivals).
type BuyerConfig struct {
	Pools              []string    `yaml:"pools"`
	ArrivalsPerDay     float64     `yaml:"arrivalsPerDay"`
	Size               Dist        `yaml:"size"`
	DurationDays       Dist        `yaml:"durationDays"`
	RenewalProbability Probability `yaml:"renewalProbability"`
	// PriceElasticity scales arrivals and renewals, and SizeElasticity
	// cover sizes, by (quoted rate / referenceRate)^−elasticity; 0 (the
	// default) ignores the price.
	PriceElasticity float64 `yaml:"priceElasticity"`
	SizeElasticity  float64 `yaml:"sizeElasticity"`
	// ReferenceRate is the premium rate at which arrivalsPerDay and size
	// hold (default: each pool's rate at its optimal utilization).
	ReferenceRate Percent `yaml:"referenceRate"`
}

// LPConfig is a group of liquidity providers.
type LPConfig struct {
	Name             string     `yaml:"name"`
	Count            int        `yaml:"count"`
	ArrivalsPerDay   float64    `yaml:"arrivalsPerDay"`
	Deposit          Dist       `yaml:"deposit"`
	Baskets          [][]string `yaml:"baskets"`
	WithdrawBelowAPY Percent    `yaml:"withdrawBelowAPY"`
	ReviewEveryDays  Whole      `yaml:"reviewEveryDays"`
	// ExitOnIncident LPs commit to withdraw when an incident hits a pool
	// of their basket, and then try every step.
	ExitOnIncident bool `yaml:"exitOnIncident"`
	// RequiredAPY, when set, is drawn by each arriving LP: it enters only
	// if the engine quotes its position at least that APY (percent).
	RequiredAPY Dist `yaml:"requiredAPY"`
}

// IncidentsConf lists the hacks that may happen, and how their claims
// are handled.
type IncidentsConf struct {
	Pools  []PoolHackConfig   `yaml:"pools"`
	Shared []SharedHackConfig `yaml:"shared"`
	// ClaimFilingDays is how long after an incident its claims are
	// opened, and AssessmentDays how long after that they are resolved
	// (both 0: on the incident's step). Open claims block withdrawals.
	ClaimFilingDays Whole `yaml:"claimFilingDays"`
	AssessmentDays  Whole `yaml:"assessmentDays"`
}

// PoolHackConfig is an independent hack risk for each listed pool.
type PoolHackConfig struct {
	Pools              []string    `yaml:"pools"`
	ProbabilityPerYear Probability `yaml:"probabilityPerYear"`
	Severity           Dist        `yaml:"severity"`
}

// SharedHackConfig is a shared dependency whose failure can hit several
// pools on the same day.
type SharedHackConfig struct {
	Name               string       `yaml:"name"`
	Pools              []string     `yaml:"pools"`
	ProbabilityPerYear Probability  `yaml:"probabilityPerYear"`
	HitProbability     *Probability `yaml:"hitProbability"`
	Severity           Dist         `yaml:"severity"`
	// SeverityCorrelation (0 to 1, default 0) correlates the severities
	// of the pools hit by one incident (a Gaussian copula).
	SeverityCorrelation float64 `yaml:"severityCorrelation"`
}

// TailsConfig tunes the tail figures.
type TailsConfig struct {
	// LossThreshold is X in "the probability that a pool's LPs lose more
	// than X% of their capital" (default 10%).
	LossThreshold Percent `yaml:"lossThreshold"`
}

// SweepConfig is a grid of parameter values, each point a full run.
type SweepConfig struct {
	Objective string       `yaml:"objective"`
	Grid      []SweepParam `yaml:"grid"`
}

// SweepParam is one axis of a sweep: a path into the file and its values.
type SweepParam struct {
	Param  string   `yaml:"param"`
	Values []string `yaml:"values"`
}
