package cover

import (
	"math"

	"github.com/vpool/vpool/ray"
)

// pricing is what registering a cover of some amount for some premiums
// at a slot0 gives (spec §5.1 steps 1-5).
type pricing struct {
	covered, u, rate, spt, duration Int
	ticks                           uint64
	lastTick                        uint32
}

// price is register()'s arithmetic and checks on pool p at slot0 s,
// without writing anything: the cover purchase and the quote share it.
func (p *Pool) price(s *Slot0, amount, premiums Int) (pricing, error) {
	var pr pricing
	avail := p.available(s)
	if avail.Lt(&amount) {
		return pr, fail(CodeInsufficientCapacity, "pool %d has %s available, cover needs %s", p.ID, avail.Dec(), amount.Dec())
	}
	var c ray.Calc
	pr.covered = c.Add(s.CoveredCapital, amount)
	pr.rate, pr.spt, pr.u = p.coverMove(&c, s.SecondsPerTick, s.CoveredCapital, pr.covered)
	pr.duration = coverDuration(&c, premiums, pr.rate, amount)
	if c.Err != nil {
		return pr, arith(c.Err)
	}
	if pr.duration.Lt(&pr.spt) {
		return pr, fail(CodeDurationBelowOneTick, "premiums buy %s s, less than one tick of %s s", pr.duration.Dec(), pr.spt.Dec())
	}
	var n Int
	n.Div(&pr.duration, &pr.spt)
	if !n.IsUint64() || n.Uint64() > math.MaxUint32 {
		return pr, fail(CodeDurationOverflow, "cover lasts %s ticks, more than 2^32-1", n.Dec())
	}
	pr.ticks = n.Uint64()
	last := uint64(s.Tick) + pr.ticks
	if last > math.MaxUint32 {
		return pr, fail(CodeOverflow, "last tick %d passes 2^32-1", last)
	}
	pr.lastTick = uint32(last)
	return pr, nil
}

// coverDuration is the seconds of cover premiums buy for amount at rate:
// rayDiv(premiums·YEAR·100, rate) / amount (spec §5.1 step 3).
func coverDuration(c *ray.Calc, premiums, rate, amount Int) Int {
	return c.DivInt(c.Div(c.MulInt(c.MulInt(premiums, yearInt), hundred), rate), amount)
}

// register is register() of spec §5.1 on pool p's stored slot0: it checks
// everything first, so a failure writes nothing.
func (m *Market) register(p *Pool, cv *Cover, amount, premiums Int) error {
	s := p.Slot0
	pr, err := p.price(&s, amount, premiums)
	if err != nil {
		return err
	}
	atTick, err := ray.Add(p.ticks.at(pr.lastTick), amount)
	if err != nil {
		return arith(err)
	}
	m.j.setTick(p, pr.lastTick, atTick)
	m.touchCover(cv)
	cv.Amount, cv.BeginPremiumRate, cv.LastTick = amount, pr.rate, pr.lastTick
	s.CoveredCapital, s.SecondsPerTick = pr.covered, pr.spt
	m.setSlot0(p, s)
	p.remember(pr.covered, pr.u, pr.rate)
	return nil
}

// closeCover is close() of spec §5.2.
func (m *Market) closeCover(p *Pool, cv *Cover) error {
	var c ray.Calc
	s := p.Slot0
	left := c.Sub(p.ticks.at(cv.LastTick), cv.Amount)
	covered := c.Sub(s.CoveredCapital, cv.Amount)
	_, spt, _ := p.coverMove(&c, s.SecondsPerTick, s.CoveredCapital, covered)
	if c.Err != nil {
		return arith(c.Err)
	}
	m.j.setTick(p, cv.LastTick, left)
	s.SecondsPerTick, s.CoveredCapital = spt, covered
	m.setSlot0(p, s)
	m.touchCover(cv)
	cv.LastTick = s.Tick - 1
	return nil
}

// CoverInfo is what a cover is worth at a given slot0 (spec §5.3).
type CoverInfo struct {
	Active       bool
	PremiumsLeft Int
	DailyCost    Int
	PremiumRate  Int
}

// coverInfo is spec §5.3 for cover cv of pool p at slot0 s.
func coverInfo(p *Pool, cv *Cover, s *Slot0) (CoverInfo, error) {
	if s.Tick >= cv.LastTick {
		return CoverInfo{}, nil
	}
	var c ray.Calc
	_, rate := p.curveAt(&c, s.CoveredCapital)
	d0 := c.Div(c.Mul(cv.Amount, cv.BeginPremiumRate), days365)
	// A 512-bit intermediate: d0·P can pass 2^256 for large covers in
	// 18-decimal tokens, although d itself fits (docs/deviations.md).
	d := c.MulDivFull(d0, rate, cv.BeginPremiumRate)
	perDay := c.MulInt(c.MulInt(dayInt, hundred), ray.RAY)
	ticksLeft := ray.U64(uint64(cv.LastTick - s.Tick))
	left := c.DivInt(c.MulInt(c.MulInt(ticksLeft, s.SecondsPerTick), d), perDay)
	daily := c.DivInt(d, c.MulInt(hundred, ray.RAY))
	if c.Err != nil {
		return CoverInfo{}, arith(c.Err)
	}
	return CoverInfo{Active: true, PremiumsLeft: left, DailyCost: daily, PremiumRate: rate}, nil
}

// OpenCover buys cover of Amount in Pool for Premiums (spec §5.4).
type OpenCover struct {
	Owner           string
	Pool            int
	Amount, Premium Int
}

func (o OpenCover) apply(m *Market, at uint64) (any, error) {
	p, err := m.pool(o.Pool)
	if err != nil {
		return nil, err
	}
	if p.Paused {
		return nil, fail(CodePoolPaused, "pool %d is paused", p.ID)
	}
	if err := m.purge(p, at); err != nil {
		return nil, err
	}
	if o.Amount.IsZero() || o.Premium.IsZero() {
		return nil, fail(CodeZeroAmount, "cover amount and premiums must be positive")
	}
	if err := m.depositPremiums(o.Owner, p.PaymentAsset, o.Premium); err != nil {
		return nil, err
	}
	cv := &Cover{ID: len(m.covers), Pool: p.ID, Owner: o.Owner, OpenClaim: -1}
	appendTo(&m.j, &m.covers, cv)
	if err := m.register(p, cv, o.Amount, o.Premium); err != nil {
		return nil, err
	}
	return map[string]int{"cover": cv.ID}, nil
}

func (m *Market) cover(id int) (*Cover, error) {
	if id < 0 || id >= len(m.covers) {
		return nil, fail(CodeNotFound, "no cover %d", id)
	}
	return m.covers[id], nil
}

// UpdateCover changes a cover's amount and premiums (spec §5.4). At most
// one of CoverToAdd/CoverToRemove and one of PremiumsToAdd/PremiumsToRemove
// may be non-zero; AllPremiums asks to remove every premium left.
type UpdateCover struct {
	As                        string
	Cover                     int
	CoverToAdd, CoverToRemove Int
	PremiumsToAdd             Int
	PremiumsToRemove          Int
	AllPremiums               bool
}

func (u UpdateCover) apply(m *Market, at uint64) (any, error) {
	removing := !u.PremiumsToRemove.IsZero() || u.AllPremiums
	if !u.CoverToAdd.IsZero() && !u.CoverToRemove.IsZero() || !u.PremiumsToAdd.IsZero() && removing {
		return nil, fail(CodeInvalidArgument, "give at most one of add/remove for cover and for premiums")
	}
	cv, err := m.cover(u.Cover)
	if err != nil {
		return nil, err
	}
	if err := owned(u.As, cv.Owner, "cover"); err != nil {
		return nil, err
	}
	p := m.pools[cv.Pool]
	if err := m.purge(p, at); err != nil {
		return nil, err
	}
	info, err := coverInfo(p, cv, &p.Slot0)
	if err != nil {
		return nil, err
	}
	if !info.Active {
		return nil, fail(CodeCoverExpired, "cover %d has expired", cv.ID)
	}
	premiums := info.PremiumsLeft
	if err := m.closeCover(p, cv); err != nil {
		return nil, err
	}
	amount := cv.Amount
	switch {
	case !u.CoverToAdd.IsZero():
		if p.Paused {
			return nil, fail(CodePoolPaused, "pool %d is paused", p.ID)
		}
		if amount, err = ray.Add(amount, u.CoverToAdd); err != nil {
			return nil, arith(err)
		}
	case !u.CoverToRemove.IsZero():
		if !u.CoverToRemove.Lt(&amount) {
			return nil, fail(CodeZeroAmount, "removing %s would leave no cover", u.CoverToRemove.Dec())
		}
		amount.Sub(&amount, &u.CoverToRemove)
	}
	switch {
	case removing:
		out := u.PremiumsToRemove
		if u.AllPremiums {
			out = premiums
		}
		if premiums.Lt(&out) {
			return nil, fail(CodeNotEnoughPremiums, "cover has %s premiums left, asked %s", premiums.Dec(), out.Dec())
		}
		premiums.Sub(&premiums, &out)
		if err := m.payFromPremiums(cv.Owner, p.PaymentAsset, out); err != nil {
			return nil, err
		}
	case !u.PremiumsToAdd.IsZero():
		if p.Paused {
			return nil, fail(CodePoolPaused, "pool %d is paused", p.ID)
		}
		if err := m.depositPremiums(cv.Owner, p.PaymentAsset, u.PremiumsToAdd); err != nil {
			return nil, err
		}
		if premiums, err = ray.Add(premiums, u.PremiumsToAdd); err != nil {
			return nil, arith(err)
		}
	}
	if premiums.IsZero() {
		return nil, nil
	}
	return nil, m.register(p, cv, amount, premiums)
}
