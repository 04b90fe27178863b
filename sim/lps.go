package sim

import (
	"slices"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/ray"
)

// openLP mints a new LP of group g its drawn deposit and opens its
// position over a basket drawn uniformly from the group's baskets. An LP
// arriving in a group with a required APY first draws its own and asks
// the engine what the position would earn; below it, it stays away.
func (p *path) openLP(g int, arriving bool) {
	lm := &p.m.lps[g]
	amount := p.m.tokens(lm.deposit.Sample(p.rng))
	basket := lm.baskets[p.rng.IntN(len(lm.baskets))]
	if arriving && lm.requiredAPY.Kind != "" && !p.attractive(basket, amount, lm.requiredAPY.Sample(p.rng)) {
		if p.res != nil {
			p.res.lpDeclined++
		}
		return
	}
	who := owner(p.nextLP)
	p.nextLP++
	asset := p.m.cfg.Market.Asset.Symbol
	if _, err := p.mk.Apply(p.t, cover.Mint{To: who, Asset: asset, Amount: amount}); err != nil {
		return
	}
	id := p.mk.Counts().Positions
	if _, err := p.mk.Apply(p.t, cover.OpenPosition{Owner: who, Amount: amount, Pools: basket}); err != nil {
		if p.res != nil {
			p.res.lpRefused++
		}
		return
	}
	v := p.m.float(amount)
	p.lps = append(p.lps, lpState{pos: id, group: g, owner: who, pools: basket, startValue: v, startCap: v, startAt: p.t})
}

// attractive tells whether a position of amount over basket would earn at
// least required percent a year, as the engine quotes it right after it
// opens (QuotePosition).
func (p *path) attractive(basket []int, amount ray.Int, required float64) bool {
	q, err := p.mk.QuotePosition(basket, amount, p.t)
	if err != nil {
		return false
	}
	apy, err := ray.ParseAmount(q.APY)
	if err != nil {
		return false
	}
	hurdle := p.m.percentRay(required)
	return !apy.Lt(&hurdle)
}

// moveLPs lets LPs arrive, review their position and withdraw.
func (p *path) moveLPs() {
	for g := range p.m.lps {
		for range poisson(p.rng, p.m.lps[g].arrivalsPerStep) {
			p.openLP(g, true)
		}
	}
	for i := range p.lps {
		lp := &p.lps[i]
		lm := &p.m.lps[lp.group]
		switch {
		case lp.endAt > 0:
		case lp.commitAt > 0:
			p.tryWithdraw(lp)
		case lm.withdraws && (p.step+i)%lm.reviewSteps == 0:
			p.review(lp, lm)
		}
	}
}

// review (for LPs with a withdrawal threshold) takes the LP's interests,
// or commits to withdraw when the position's APY, as the engine quotes it,
// is below the threshold. LPs without one hold to the end.
func (p *path) review(lp *lpState, lm *lpModel) {
	if apy, err := p.mk.PositionAPY(lp.pos, p.t); err == nil && apy.Lt(&lm.threshold) {
		if _, err := p.mk.Apply(p.t, cover.CommitRemoveLiquidity{Position: lp.pos}); err == nil {
			lp.commitAt = p.t
			return
		}
	}
	_, _ = p.mk.Apply(p.t, cover.TakeInterests{Position: lp.pos})
}

// tryWithdraw removes a committed position's capital once the withdrawal
// delay has passed: all of it, or as much as every pool of the position
// has free (the rest is committed again, for another delay). With nothing
// free, the LP looks again a week later.
func (p *path) tryWithdraw(lp *lpState) {
	if p.t < lp.commitAt+uint64(p.m.cfg.Market.WithdrawDelayDays.N)*cover.Day {
		return
	}
	capital, err := p.capital(lp.pos)
	if err != nil {
		return
	}
	amount := capital
	for _, id := range lp.pools {
		free, err := p.mk.Available(id, p.t)
		if err != nil {
			return
		}
		if free.Lt(&amount) {
			amount = free
		}
	}
	if amount.IsZero() {
		if !lp.running {
			lp.commitAt += 7 * cover.Day
		}
		return
	}
	if _, err := p.mk.Apply(p.t, cover.RemoveLiquidity{Position: lp.pos, Amount: amount}); err != nil {
		if cover.CodeOf(err) == cover.CodePoolHasOngoingClaims && p.res != nil {
			p.res.blocked++
		}
		if !lp.running {
			lp.commitAt += 7 * cover.Day
		}
		return
	}
	booked := p.m.float(amount)
	worth := booked * p.keptOf(lp.pools[0])
	lp.withdrawn += worth
	lp.haircut += booked - worth
	lp.commitAt = 0
	if amount == capital {
		lp.endAt = p.t
	} else if _, err := p.mk.Apply(p.t, cover.CommitRemoveLiquidity{Position: lp.pos}); err == nil {
		lp.commitAt = p.t
	}
}

// alarmLPs tells the LPs who run on news of an incident that pool was
// hit: each LP of that kind whose basket has the pool commits to withdraw
// (unless it already has) and from then tries every step.
func (p *path) alarmLPs(pool int) {
	for i := range p.lps {
		lp := &p.lps[i]
		if !p.m.lps[lp.group].exitOnIncident || lp.endAt > 0 || !slices.Contains(lp.pools, pool) {
			continue
		}
		lp.running = true
		if lp.commitAt == 0 {
			if _, err := p.mk.Apply(p.t, cover.CommitRemoveLiquidity{Position: lp.pos}); err == nil {
				lp.commitAt = p.t
			}
		}
	}
}

// capital is a position's capital now, compensations applied.
func (p *path) capital(pos int) (ray.Int, error) { return p.mk.Capital(pos, p.t) }

// settleLPs starts the horizon: LPs that left during the warm-up are
// dropped, every other LP takes its interests (unless it is committed to
// withdraw, which the engine then refuses) and what it holds then (its
// balance and capital) is its starting value.
func (p *path) settleLPs() error {
	p.t = p.m.at(0)
	kept := p.lps[:0]
	for _, lp := range p.lps {
		if lp.endAt > 0 {
			continue
		}
		if lp.commitAt == 0 {
			if _, err := p.mk.Apply(p.t, cover.TakeInterests{Position: lp.pos}); err != nil {
				return err
			}
		}
		capital, err := p.capital(lp.pos)
		if err != nil {
			return err
		}
		balance := p.mk.Balance(lp.owner, p.m.cfg.Market.Asset.Symbol)
		lp.startCap, lp.withdrawn = p.m.float(capital), 0
		lp.startValue, lp.startAt = lp.startCap+p.m.float(balance), p.t
		kept = append(kept, lp)
	}
	p.lps = kept
	return nil
}
