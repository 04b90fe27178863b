package cover

import "github.com/vpool/vpool/ray"

// Int is the 256-bit unsigned integer of every amount, rate and index.
type Int = ray.Int

// Time constants of docs/formulas.md §1.
const (
	Year uint64 = 31_536_000
	Day  uint64 = 86_400
	// MaxSecondsPerTick is the seconds per tick of a new pool.
	MaxSecondsPerTick = Day
)

var (
	yearInt   = ray.U64(Year)
	dayInt    = ray.U64(Day)
	ten4      = ray.U64(10_000)
	hundred   = ray.U64(100)
	days365   = ray.U64(365)
	zero      Int
	hundredRY = ray.Hundred
)

// Formula is a pool's premium curve (ray percent): the premium rate is r0 at
// 0% utilization, r0+rSlope1 at uOptimal and r0+rSlope1+rSlope2 at 100%.
type Formula struct {
	UOptimal, R0, RSlope1, RSlope2 Int
}

// validate reports invalid_argument unless 0 < uOptimal < 100% and r0 > 0.
func (f Formula) validate() error {
	if f.UOptimal.IsZero() || !f.UOptimal.Lt(&hundredRY) || f.R0.IsZero() {
		return fail(CodeInvalidArgument, "formula needs 0 < uOptimal < 100 and r0 > 0")
	}
	return nil
}

// Utilization is U(covered, liquidity) of spec §2, in ray percent.
func Utilization(c *ray.Calc, covered, liquidity Int) Int {
	switch {
	case liquidity.IsZero():
		return zero
	case liquidity.Lt(&covered):
		return hundredRY
	}
	return c.Div(c.MulInt(covered, hundred), liquidity)
}

// PremiumRate is P(U) of spec §2, in ray percent.
func (f Formula) PremiumRate(c *ray.Calc, u Int) Int {
	if u.Lt(&f.UOptimal) {
		return c.Add(f.R0, c.Mul(f.RSlope1, c.Div(u, f.UOptimal)))
	}
	top := c.Add(f.R0, f.RSlope1)
	if u.Lt(&hundredRY) {
		return c.Add(top, c.Mul(f.RSlope2, c.Div(c.Sub(u, f.UOptimal), c.Sub(hundredRY, f.UOptimal))))
	}
	return c.Add(top, f.RSlope2)
}

// marketMove is market() of spec §2: the premium rate, seconds per tick and
// utilization after liquidity moves l→l2 and covered capital c→c2.
func (f Formula) marketMove(c *ray.Calc, spt, l, cov, l2, cov2 Int) (p2, spt2, u2 Int) {
	pOld := f.PremiumRate(c, Utilization(c, cov, l))
	u2 = Utilization(c, cov2, l2)
	p2 = f.PremiumRate(c, u2)
	spt2 = c.Div(c.Mul(spt, pOld), p2)
	return p2, spt2, u2
}

// IndexDelta is the liquidity index increment for t seconds at (u, p).
func IndexDelta(c *ray.Calc, u, p, t Int) Int {
	return indexStep(c, c.Mul(u, p), t)
}

// indexStep is IndexDelta from up = rayMul(u, p).
func indexStep(c *ray.Calc, up, t Int) Int {
	return c.Div(c.Mul(up, t), yearInt)
}

// CoverRewards is the premium reward of capital between indexes a ≤ b.
func CoverRewards(c *ray.Calc, capital, a, b Int) Int {
	return c.DivInt(c.Sub(c.Mul(capital, b), c.Mul(capital, a)), ten4)
}

// StrategyRewards is the strategy reward of amount between strategy
// indexes s ≤ e.
func StrategyRewards(c *ray.Calc, amount, s, e Int) Int {
	return c.Sub(c.Div(c.Mul(amount, e), s), amount)
}
