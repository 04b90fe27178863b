package cover

// Slot0 is a pool's time grid at its last purge (spec §3).
type Slot0 struct {
	Tick           uint32
	SecondsPerTick Int
	CoveredCapital Int
	LastUpdate     uint64
	LiquidityIndex Int
}

// Pool is one cover pool (spec §3).
type Pool struct {
	ID                 int
	PaymentAsset       string
	Strategy           int
	FeeRate            Int
	LeverageFeePerPool Int
	Formula            Formula
	Paused             bool
	Slot0              Slot0
	// Liquidity is L, the pool's total liquidity, i.e. overlap(p, p).
	Liquidity Int
	// Overlapped lists, ascending, every pool that ever shared liquidity
	// with this one, its own id included.
	Overlapped    []int
	Compensations []int
	OngoingClaims int
	ticks         tickLine
	// baskets lists every basket containing this pool.
	baskets []*Basket
	savedIn uint64
	// point is the curve at the covered capital a command last priced.
	point curvePoint
	// last is the last walk a view computed, kept (keepWalks) only in an
	// exclusive market, for the command that follows at that time.
	last      walkMemo
	keepWalks bool
}

// Available is L − coveredCapital at slot0 s, or 0 when L ≤ coveredCapital.
func (p *Pool) available(s *Slot0) Int {
	if !s.CoveredCapital.Lt(&p.Liquidity) {
		return zero
	}
	var a Int
	a.Sub(&p.Liquidity, &s.CoveredCapital)
	return a
}

// Strategy is where a pool's liquidity is deployed (spec §3).
type Strategy struct {
	ID int
	// Name is what people call the strategy ("USDC lending"); optional.
	Name             string
	Asset            string
	Compounds        bool
	FeeRate          Int
	PayoutDeductible Int
	RewardIndex      Int
	// IndexAt is when RewardIndex was last set; PrevIndex and PrevIndexAt
	// are the setting before it (the strategy's creation: RAY). The two
	// give the strategy's yearly rate.
	IndexAt, PrevIndexAt uint64
	PrevIndex            Int
}

// LPInfo is a position's bookmark in one pool.
type LPInfo struct {
	BeginLiquidityIndex Int
	BeginClaimIndex     int
}

// Position is an LP's capital spread over one or more pools.
type Position struct {
	ID                  int
	Owner               string
	Pools               []int
	Supplied            Int
	Committed           bool
	CommitTimestamp     uint64
	StrategyRewardIndex Int
	// LP holds the position's lpInfo in Pools[i].
	LP     []LPInfo
	basket *Basket
}

// Cover is a buyer's protection in one pool.
type Cover struct {
	ID               int
	Pool             int
	Owner            string
	Amount           Int
	BeginPremiumRate Int
	LastTick         uint32
	// OpenClaim is the id of the claim under review, or -1.
	OpenClaim int
	savedIn   uint64
}

// ClaimStatus is where a claim stands.
type ClaimStatus uint8

// The claim statuses.
const (
	ClaimOpen ClaimStatus = iota
	ClaimAccepted
	ClaimRejected
)

// Claim is a request for payout on a cover.
type Claim struct {
	ID           int
	Cover        int
	Amount       Int
	Status       ClaimStatus
	Compensation int
}

// Compensation is an accepted claim's cut through the pools sharing
// liquidity with its pool.
type Compensation struct {
	ID                  int
	FromPool            int
	Ratio               Int
	StrategyIndexBefore Int
	// IndexBefore maps each affected pool to its liquidity index then.
	IndexBefore map[int]Int
}

// Basket is the liquidity of every position over exactly one set of pools.
type Basket struct {
	Pools  []int
	Amount Int
}

// Asset is a token the market knows.
type Asset struct {
	Symbol   string
	Decimals uint8
}

// Config holds the market-wide settings of setMarket.
type Config struct {
	WithdrawDelay      uint64
	MaxLeverage        int
	LeverageFeePerPool Int
}
