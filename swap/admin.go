package swap

// SetBlockTime sets the seconds per block (market field blockTime, ≥ 1).
type SetBlockTime struct{ Seconds uint64 }

func (s SetBlockTime) apply(m *Market, _ uint64) (any, error) {
	if s.Seconds < 1 {
		return nil, fail(CodeInvalidArgument, "blockTime must be at least 1")
	}
	set(&m.j, &m.blockTime, s.Seconds)
	return nil, nil
}

// SetDefaultAllowList sets the allow-list that new pairs copy.
type SetDefaultAllowList struct{ Tokens []string }

func (s SetDefaultAllowList) apply(m *Market, _ uint64) (any, error) {
	list, err := m.sortedUnique(s.Tokens)
	if err != nil {
		return nil, err
	}
	set(&m.j, &m.defaultAllowList, list)
	return nil, nil
}

// CreatePair creates the pair of two tokens with the default settings.
type CreatePair struct{ TokenA, TokenB string }

// PairResult is the result of createPair.
type PairResult struct {
	Pair int `json:"pair"`
}

func (c CreatePair) apply(m *Market, _ uint64) (any, error) {
	p, err := m.createPair(c.TokenA, c.TokenB)
	if err != nil {
		return nil, err
	}
	return PairResult{p.id}, nil
}

// SetPairFee sets a pair's native and virtual fees (parts per 1000 kept).
type SetPairFee struct {
	Pair      int
	Fee, VFee int64
}

func (s SetPairFee) apply(m *Market, _ uint64) (any, error) {
	p, err := m.pair(s.Pair)
	if err != nil {
		return nil, err
	}
	if s.Fee <= 0 || s.Fee >= FeeFactor || s.VFee <= 0 || s.VFee >= FeeFactor {
		return nil, fail(CodeInvalidFee, "fees must be in 1..999, got %d and %d", s.Fee, s.VFee)
	}
	m.touchPair(p)
	p.fee, p.vFee = uint64(s.Fee), uint64(s.VFee)
	return nil, nil
}

// SetAllowList sets the foreign tokens a pair accepts as reserves; the
// sum of base values is recomputed over the new list.
type SetAllowList struct {
	Pair   int
	Tokens []string
}

func (s SetAllowList) apply(m *Market, _ uint64) (any, error) {
	p, err := m.pair(s.Pair)
	if err != nil {
		return nil, err
	}
	list, err := m.sortedUnique(s.Tokens)
	if err != nil {
		return nil, err
	}
	list = withoutTokens(list, p.token0, p.token1)
	var sum Int
	for _, t := range list {
		bv := p.baseValues[t]
		if sum, err = add(&sum, &bv, "reserves base value sum"); err != nil {
			return nil, err
		}
	}
	m.touchPair(p)
	p.allowList, p.baseValueSum = list, sum
	return nil, nil
}

// SetMaxReserveRatio sets the ratio virtual swaps must not exceed.
type SetMaxReserveRatio struct {
	Pair  int
	Value Int
}

func (s SetMaxReserveRatio) apply(m *Market, _ uint64) (any, error) {
	p, err := m.pair(s.Pair)
	if err != nil {
		return nil, err
	}
	if s.Value.IsZero() {
		return nil, fail(CodeInvalidThreshold, "maxReserveRatio must be above 0")
	}
	m.touchPair(p)
	p.maxReserveRatio = s.Value
	return nil, nil
}

// SetWarningThreshold sets the ratio from which the admin may liquidate.
type SetWarningThreshold struct {
	Pair  int
	Value Int
}

func (s SetWarningThreshold) apply(m *Market, _ uint64) (any, error) {
	p, err := m.pair(s.Pair)
	if err != nil {
		return nil, err
	}
	if p.maxReserveRatio.Lt(&s.Value) {
		return nil, fail(CodeInvalidThreshold, "warning threshold %s is above maxReserveRatio %s", s.Value.Dec(), p.maxReserveRatio.Dec())
	}
	m.touchPair(p)
	p.warningThreshold = s.Value
	return nil, nil
}

// SetBlocksDelay sets how many blocks a pair rests after a balance change
// before it can serve as a reference pool.
type SetBlocksDelay struct {
	Pair   int
	Blocks uint64
}

func (s SetBlocksDelay) apply(m *Market, _ uint64) (any, error) {
	p, err := m.pair(s.Pair)
	if err != nil {
		return nil, err
	}
	m.touchPair(p)
	p.blocksDelay = s.Blocks
	return nil, nil
}

// SetPairClosed sets a pair's emergency flag.
type SetPairClosed struct {
	Pair   int
	Closed bool
}

func (s SetPairClosed) apply(m *Market, _ uint64) (any, error) {
	p, err := m.pair(s.Pair)
	if err != nil {
		return nil, err
	}
	m.touchPair(p)
	p.closed = s.Closed
	return nil, nil
}

// SetIncentivesLimit sets the share of an exchange's amount (0..100
// percent) that may be paid to its caller.
type SetIncentivesLimit struct{ Pct uint64 }

func (s SetIncentivesLimit) apply(m *Market, _ uint64) (any, error) {
	if s.Pct > 100 {
		return nil, fail(CodeInvalidArgument, "incentives limit %d is above 100", s.Pct)
	}
	set(&m.j, &m.incentivesPct, s.Pct)
	return nil, nil
}
