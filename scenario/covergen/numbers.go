package covergen

import (
	"fmt"
	"math/bits"
	"strconv"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/ray"
)

func (g *generator) chance(bp uint64) bool { return g.r.Uint64N(basisPoints) < bp }

func (g *generator) between(lo, hi uint64) uint64 { return lo + g.r.Uint64N(hi-lo+1) }

// logUniform draws from [lo, hi], about evenly over each doubling.
func (g *generator) logUniform(lo, hi uint64) uint64 {
	lo = max(lo, 1)
	if hi <= lo {
		return lo
	}
	v := lo << g.r.IntN(bits.Len64(hi/lo))
	return min(v+g.r.Uint64N(v), hi)
}

// pct writes basis points as a percent string: 1250 is "12.5".
func pct(bp uint64) string {
	s := strconv.FormatUint(bp/100, 10)
	switch f := bp % 100; {
	case f == 0:
		return s
	case f%10 == 0:
		return s + "." + strconv.FormatUint(f/10, 10)
	default:
		return fmt.Sprintf("%s.%02d", s, f)
	}
}

func mustPct(bp uint64) ray.Int {
	v, err := ray.ParsePercent(pct(bp))
	if err != nil {
		panic(err)
	}
	return v
}

func parseAmount(s string) ray.Int {
	v, _ := ray.ParseAmount(s)
	return v
}

// mulBP is x·bp/10,000.
func mulBP(x ray.Int, bp uint64) ray.Int {
	var y ray.Int
	b := ray.U64(bp)
	y.Mul(&x, &b)
	d := ray.U64(basisPoints)
	return *y.Div(&y, &d)
}

func minAmount(a, b ray.Int) ray.Int {
	if b.Lt(&a) {
		return b
	}
	return a
}

func (g *generator) dollars(asset int, usd uint64) ray.Int {
	var v ray.Int
	u := ray.U64(usd)
	return *v.Mul(&g.assets[asset].perDollar, &u)
}

// wholeDollars rounds x down to whole dollars of asset.
func (g *generator) wholeDollars(asset int, x ray.Int) ray.Int {
	var rest ray.Int
	rest.Mod(&x, &g.assets[asset].perDollar)
	return *x.Sub(&x, &rest)
}

func (g *generator) poolAsset(pool int) int { return g.strategies[g.pools[pool].strategy].asset }

// headroom is how much more cover pool p takes before buyers find it
// full: its target utilization of the liquidity, less what is covered.
func (g *generator) headroom(p int, v cover.PoolView) ray.Int {
	want, covered := mulBP(parseAmount(v.TotalLiquidity), g.pools[p].target), parseAmount(v.CoveredCapital)
	if !covered.Lt(&want) {
		return ray.Int{}
	}
	return *want.Sub(&want, &covered)
}

// removable is how much LPs take out of pool p before they leave it
// above its target utilization plus five points; what is covered stays.
func (g *generator) removable(p int, v cover.PoolView) ray.Int {
	liquidity, keep := parseAmount(v.TotalLiquidity), parseAmount(v.CoveredCapital)
	var c ray.Calc
	keep = c.DivInt(c.MulInt(keep, ray.U64(basisPoints)), ray.U64(min(g.pools[p].target+500, 9900)))
	if c.Err != nil || !keep.Lt(&liquidity) {
		return ray.Int{}
	}
	return minAmount(*liquidity.Sub(&liquidity, &keep), parseAmount(v.AvailableLiquidity))
}

// premiumsFor is what amount of cover costs for d seconds in pool p once
// it is opened there, at the rate the pool will then charge, plus 1%.
func (g *generator) premiumsFor(p int, v cover.PoolView, amount ray.Int, d uint64) ray.Int {
	var c ray.Calc
	covered := c.Add(parseAmount(v.CoveredCapital), amount)
	rate := g.pools[p].formula.PremiumRate(&c, cover.Utilization(&c, covered, parseAmount(v.TotalLiquidity)))
	cost := c.MulInt(c.MulInt(amount, rate), ray.U64(d))
	cost = c.DivInt(cost, c.MulInt(ray.Hundred, ray.U64(year)))
	return c.Add(mulBP(cost, 10_100), ray.U64(1))
}
