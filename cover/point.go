package cover

import "github.com/vpool/vpool/ray"

// curvePoint is a pool's utilization u and premium rate at one covered
// capital, liquidity and formula (its key), and once computed up, the
// rayMul(u, rate) every liquidity index increment at that point starts
// with. A pool keeps the point its last command priced: reads with the
// same key take the same values instead of recomputing them.
type curvePoint struct {
	known, hasUp       bool
	covered, liquidity Int
	formula            Formula
	u, rate, up        Int
}

// pointAt is pool p's curve point at covered capital cov with its current
// liquidity and formula: p.point when the key matches, else computed.
func (p *Pool) pointAt(c *ray.Calc, cov Int) curvePoint {
	if pt := &p.point; pt.known && pt.covered == cov && pt.liquidity == p.Liquidity && pt.formula == p.Formula {
		return *pt
	}
	u := Utilization(c, cov, p.Liquidity)
	return curvePoint{covered: cov, liquidity: p.Liquidity, formula: p.Formula, u: u, rate: p.Formula.PremiumRate(c, u)}
}

// pointNow is pool p's curve point at time t, at the covered capital of
// slot0At(p, t): the walk's own point when it computed one.
func (p *Pool) pointNow(c *ray.Calc, t uint64) curvePoint {
	if _, pt, err := p.look(t); err == nil && pt.known {
		return pt
	}
	return p.pointAt(c, p.Slot0.CoveredCapital)
}

// curveAt is U and P(U) of pool p at covered capital cov (spec §2).
func (p *Pool) curveAt(c *ray.Calc, cov Int) (u, rate Int) {
	pt := p.pointAt(c, cov)
	return pt.u, pt.rate
}

// factor is pt.up, computed on first use.
func (pt *curvePoint) factor(c *ray.Calc) Int {
	if !pt.hasUp {
		pt.up, pt.hasUp = c.Mul(pt.u, pt.rate), true
	}
	return pt.up
}

// remember makes (u, rate), computed without error at covered capital
// cov and p's current liquidity and formula, p's point, with their product
// when it fits. Only commands write p.point (here and in purge): views
// never do, so readers may share a market.
func (p *Pool) remember(cov, u, rate Int) {
	pt := curvePoint{known: true, covered: cov, liquidity: p.Liquidity, formula: p.Formula, u: u, rate: rate}
	var c ray.Calc
	if up := c.Mul(u, rate); c.Err == nil {
		pt.up, pt.hasUp = up, true
	}
	p.point = pt
}

// coverMove is marketMove at constant liquidity (covered capital cov→cov2),
// with the curve read through curveAt.
func (p *Pool) coverMove(c *ray.Calc, spt, cov, cov2 Int) (p2, spt2, u2 Int) {
	_, pOld := p.curveAt(c, cov)
	u2, p2 = p.curveAt(c, cov2)
	return p2, c.Div(c.Mul(spt, pOld), p2), u2
}

// walkMemo is a walk's result (slot0 s and curve point pt at time t) with
// everything it was computed from: the stored slot0, the tick line (by its
// count of sets), and the liquidity and formula (pt's key holds them).
type walkMemo struct {
	known   bool
	t       uint64
	from, s Slot0
	gen     uint64
	pt      curvePoint
}

// walked tells whether w is the walk from p's current state to time t.
func (p *Pool) walked(w *walkMemo, t uint64) bool {
	return w.known && w.t == t && w.from == p.Slot0 && w.gen == p.ticks.gen &&
		w.pt.liquidity == p.Liquidity && w.pt.formula == p.Formula
}

// look is walk for a view: in an exclusive market it keeps a successful
// walk, so that the command at the same time (which purges) reuses it.
func (p *Pool) look(t uint64) (Slot0, curvePoint, error) {
	if w := &p.last; p.walked(w, t) {
		return w.s, w.pt, nil
	}
	s, pt, err := p.walk(t)
	if p.keepWalks && err == nil && pt.known {
		p.last = walkMemo{known: true, t: t, from: p.Slot0, s: s, gen: p.ticks.gen, pt: pt}
	}
	return s, pt, err
}

// Exclusive tells the market that one goroutine alone uses it, for all
// its reads and commands: views may then keep the refresh they compute
// for the next command, which saves recomputing it. The results are the
// same; never call it on a market that readers share.
func (m *Market) Exclusive() {
	m.exclusive = true
	for _, p := range m.pools {
		p.keepWalks = true
	}
}
