package sim

import (
	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/ray"
)

// The pool series recorded at the end of every recording period, per pool.
const (
	seriesUtilization = iota // percent
	seriesPremiumRate        // percent per year
	seriesLPAPY              // an unleveraged LP's APY: net premium rate + strategy yield, percent
	poolSeries
)

// The money series recorded with them: income and claims since the
// horizon start, in tokens.
const (
	moneyTreasury = iota
	moneyRiskFund
	moneyClaimsPaid
	moneySeries
)

// minAPYDays is the shortest holding for an LP's APY to count: shorter
// stays annualize noise.
const minAPYDays = 30

// pathResult is what one path leaves for the aggregates.
type pathResult struct {
	index     int
	pools     []poolOutcome
	series    []float32 // [record][pool][poolSeries]
	money     []float32 // [record][moneySeries]
	lps       []lpOutcome
	lpRefused int
	// lpDeclined counts arriving LPs who found the quoted APY too low.
	lpDeclined int
	// blocked counts the withdrawals the engine refused because a pool of
	// the position had claims open.
	blocked int
	// venueFailures counts the strategy venues that failed in the path.
	venueFailures int
	// Over the horizon, tokens: treasury and risk-fund income, and the
	// engine's premium shortfall at the end.
	treasury, riskFund, shortfall float64
	err                           error
}

// poolOutcome is what happened to one pool over the path.
type poolOutcome struct {
	demand, refused, hacks int
	asked, paid            float64 // claims, tokens
}

// lpOutcome is one LP's result over the path.
type lpOutcome struct {
	group  int
	pools  []int
	apy    float64 // percent per year, simple
	hasAPY bool    // held at least minAPYDays
	// start is its capital at the horizon start (or when it arrived) and
	// lost what claims took of it, tokens.
	start, lost float64
}

// kind tells a leveraged LP (several pools) from an unleveraged one.
func (o lpOutcome) kind() int { return min(len(o.pools)-1, leveraged) }

// lossPercent is the share of its capital the LP lost to claims, in
// percent.
func (o lpOutcome) lossPercent() float64 { return lossPercent(o.lost, o.start) }

// lossPercent is lost as a share of start, in percent; a loss below
// dustPercent is rounding dust (a unit per payout) and counts as none.
func lossPercent(lost, start float64) float64 {
	const dustPercent = 1e-6
	if l := 100 * lost / start; l > dustPercent {
		return l
	}
	return 0
}

func newPathResult(m *model) *pathResult {
	return &pathResult{pools: make([]poolOutcome, len(m.pools)),
		series: make([]float32, m.records*len(m.pools)*poolSeries), money: make([]float32, m.records*moneySeries)}
}

// runPath simulates path i of a run into res: it restores the start
// snapshot, runs the path's own opening and warm-up unless the snapshot
// is already warm, then the horizon. Every draw comes from the path's
// streams (seed, i, purpose).
func runPath(m *model, snap *snapshot, seed uint64, i int, res *pathResult) error {
	mk, err := cover.Restore(snap.market)
	if err != nil {
		return err
	}
	mk.Exclusive() // this goroutine alone uses it
	p := &path{m: m, mk: mk, t: start, indexes: append([]ray.Int(nil), snap.indexes...), quotes: make([]poolQuote, len(m.pools))}
	p.agents = snap.agents
	p.covers = append([]trackedCover(nil), snap.agents.covers...)
	p.lps = append([]lpState(nil), snap.agents.lps...)
	if !snap.warm {
		if err := p.warmUp(newStream(seed, i, streamStart)); err != nil {
			return err
		}
	}
	*res = pathResult{index: i, pools: res.pools, series: res.series, money: res.money, lps: res.lps[:0]}
	clear(res.pools)
	p.res = res
	p.rng = newStream(seed, i, streamAgents)
	p.treasury0 = p.balance(cover.Treasury)
	p.riskFund0 = p.balance(cover.RiskFund)
	p.scheduleHacks(newStream(seed, i, streamHacks))
	p.startVenues(newStream(seed, i, streamMarket))
	for p.step = 0; p.step < m.steps; p.step++ {
		if err := p.advance(); err != nil {
			return err
		}
	}
	return p.finish()
}

// balance is what account holds now, in tokens.
func (p *path) balance(account string) float64 {
	return p.m.float(p.mk.Balance(account, p.m.cfg.Market.Asset.Symbol))
}

// record purges every pool (a keeper's call, so that the state read is
// stored) and records its utilization, premium rate and unleveraged LP APY
// as the engine rates them, with the money series.
func (p *path) record() error {
	r := p.step / p.m.every
	row := p.res.series[r*len(p.m.pools)*poolSeries:]
	for id := range p.m.pools {
		if _, err := p.mk.Apply(p.t, cover.Purge{Pool: id}); err != nil {
			return err
		}
		r, err := p.mk.PoolRates(id, p.t)
		if err != nil {
			return err
		}
		p.noteQuote(id, r)
		cell := row[id*poolSeries:]
		cell[seriesUtilization] = float32(r.Utilization.Float64() / 1e27)
		cell[seriesPremiumRate] = float32(r.PremiumRate.Float64() / 1e27)
		cell[seriesLPAPY] = float32(r.NetRewardRate.Float64()/1e27 + p.m.pools[id].yield)
	}
	money := p.res.money[r*moneySeries:]
	money[moneyTreasury] = float32(p.balance(cover.Treasury) - p.treasury0)
	money[moneyRiskFund] = float32(p.balance(cover.RiskFund) - p.riskFund0)
	money[moneyClaimsPaid] = float32(p.claimed)
	return nil
}

// finish settles the claims still in assessment and every LP at the
// horizon end, measures each LP's return and loss (capital in a failed
// venue counted at what the venue still holds), and reads the fee
// accounts and the engine's premium shortfall.
func (p *path) finish() error {
	p.t = p.m.at(p.m.steps)
	p.settleOpenClaims()
	for i := range p.lps {
		lp := &p.lps[i]
		end, value, capital := p.t, p.balance(lp.owner)-lp.haircut, lp.withdrawn
		if lp.endAt > 0 {
			end = lp.endAt
		} else {
			if lp.commitAt == 0 {
				_, _ = p.mk.Apply(p.t, cover.TakeInterests{Position: lp.pos})
			}
			c, err := p.capital(lp.pos)
			if err != nil {
				return err
			}
			held := p.m.float(c) * p.keptOf(lp.pools[0])
			capital += held
			value = p.balance(lp.owner) - lp.haircut + held
		}
		o := lpOutcome{group: lp.group, pools: lp.pools, start: lp.startCap, lost: max(0, lp.startCap-capital)}
		if days := float64(end-lp.startAt) / float64(cover.Day); days >= minAPYDays {
			o.apy, o.hasAPY = 100*(value/lp.startValue-1)*365/days, true
		}
		p.res.lps = append(p.res.lps, o)
	}
	p.res.treasury = p.balance(cover.Treasury) - p.treasury0
	p.res.riskFund = p.balance(cover.RiskFund) - p.riskFund0
	p.res.shortfall = p.m.float(p.mk.Shortfall(p.m.cfg.Market.Asset.Symbol))
	return nil
}
