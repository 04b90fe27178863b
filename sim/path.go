package sim

import (
	"math/rand/v2"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/ray"
)

// agents is the simulator's side of a market: the covers it watches and
// the LPs it acts for. The engine holds the rest.
type agents struct {
	covers []trackedCover
	lps    []lpState
	nextLP int // number of LP accounts created
}

// trackedCover is a live cover the buyers may claim on or renew.
type trackedCover struct {
	id, pool, buyer int
	amount          ray.Int
	check           int // step at which the days its buyer paid for end
}

// lpState is one LP (one position) as the simulator follows it.
type lpState struct {
	pos, group int
	owner      string
	pools      []int
	startValue float64 // balance + capital when the horizon (or the LP) started, tokens
	startCap   float64 // capital then, tokens
	startAt    uint64  // when the LP's value was startValue
	commitAt   uint64  // when it committed to withdraw, or 0
	endAt      uint64  // when it withdrew all its capital, or 0
	withdrawn  float64 // capital withdrawn since startAt, tokens (after venue losses)
	// haircut is what venue failures took from the capital it withdrew
	// (the engine paid it in full; the venue could not), tokens.
	haircut float64
	// running marks an LP that heard of an incident in one of its pools
	// and tries to withdraw every step rather than every week.
	running bool
}

// path is one run of the market over the horizon.
type path struct {
	m       *model
	mk      *cover.Market
	step    int    // negative during the warm-up
	t       uint64 // engine time of the commands being applied
	indexes []ray.Int
	res     *pathResult // nil during the warm-up
	// rng is the stream agents draw from: the start stream during the
	// opening and warm-up, the agents' stream over the horizon.
	rng    *rand.Rand
	hacks  []hackEvent
	claims []pendingClaim // filed or to file, not settled yet
	quotes []poolQuote    // the premium rates buyers react to
	venues venues
	// treasury0 and riskFund0 are the fee accounts at the horizon start;
	// claimed is what claims paid since, tokens.
	treasury0, riskFund0, claimed float64
	agents
}

// advance runs one step: strategies grow, venues fail and hacks are
// claimed (not in the warm-up), covers expire or renew, buyers arrive and LPs act; at the end
// of a recording period of the horizon, the state is recorded.
func (p *path) advance() error {
	p.t = p.m.at(p.step + 1)
	if err := p.growStrategies(); err != nil {
		return err
	}
	if p.res != nil {
		p.failVenues()
		p.claimHacks()
	}
	p.expireCovers()
	p.arriveBuyers()
	p.moveLPs()
	if p.res != nil && p.m.recording(p.step) {
		return p.record()
	}
	return nil
}
