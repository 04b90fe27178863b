package covergen

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/scenario"
)

// Times are Unix seconds; shares are basis points.
const (
	startTime   = 1_704_067_200 // 2024-01-01T00:00:00Z
	hour        = 3600
	day         = cover.Day
	year        = cover.Year
	basisPoints = 10_000 // basis points in 100%
)

// errEnoughSteps stops an action once the last step has been written.
var errEnoughSteps = errors.New("covergen: generated enough steps")

// weightedAction is something the generator may do, drawn with odds in
// proportion to weight; do returns false when it finds nothing to do.
type weightedAction struct {
	weight int
	do     func() bool
}

// generator is one run: the random source, the market every step is
// applied to, the output, and what it tracks of the market's objects to
// choose arguments that fit them.
type generator struct {
	opt   Options
	r     *rand.Rand
	m     *cover.Market
	out   *bufio.Writer
	werr  error
	yaml  bool
	a     opArgs
	args  []byte
	stats Stats

	now, prev uint64
	emitted   int
	meanGap   uint64
	delay     uint64
	maxLev    int
	frozen    int // steps left while frozen; 0 = not frozen
	nextClaim uint64

	assets     []trackedAsset
	strategies []trackedStrategy
	pools      []trackedPool
	poolAt     []int // step counts at which the remaining pools are created
	compat     [][]bool
	used       [][]bool
	lps        []string
	buyers     []string
	positions  []trackedPosition
	livePos    []int
	covers     []trackedCover
	liveCovers []int
	claims     []trackedClaim
	resolved   []int
	commitQ    []queuedCommit

	actions, failures []weightedAction
	totalW, failW     int
	marketArgs        opArgs
	assetArgs         []opArgs
	strategyArgs      []opArgs
	file              scenario.File
}

// newGenerator checks opt, draws the market's setup and plans the run.
func newGenerator(w io.Writer, opt Options) (*generator, error) {
	if opt.Steps < 0 {
		return nil, fmt.Errorf("covergen: steps must not be negative")
	}
	if opt.Pools == 0 {
		opt.Pools = 8
	}
	if opt.Pools < 1 || opt.Pools > 256 {
		return nil, fmt.Errorf("covergen: pools must be 1 to 256")
	}
	g := &generator{opt: opt, r: rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x5eedc0de_f00dcafe)), out: bufio.NewWriterSize(w, 1<<16)}
	switch opt.Format {
	case "", "json":
	case "yaml", "yml":
		g.yaml = true
	default:
		return nil, fmt.Errorf("covergen: format %q is not json or yaml", opt.Format)
	}
	if g.opt.Name == "" {
		g.opt.Name = fmt.Sprintf("generated cover market, seed %d, %d steps", opt.Seed, opt.Steps)
	}
	g.stats = Stats{Unplanned: map[cover.Code]int{}, Ops: map[string]int{}, Errors: map[cover.Code]int{}}
	g.a.yaml, g.marketArgs.yaml = g.yaml, g.yaml
	g.now, g.prev = startTime, startTime
	n := uint64(max(opt.Steps, 1))
	g.meanGap = min(max(3*year/n, 60), 6*hour)
	g.configure()
	m, err := scenario.Setup(&g.file)
	if err != nil {
		return nil, err
	}
	g.m = m
	g.plan()
	return g, nil
}

// run writes steps until there are opt.Steps of them or a write fails.
func (g *generator) run() {
	for i := 0; g.emitted < g.opt.Steps && g.werr == nil; i++ {
		if g.emitted > 0 && (len(g.poolAt) == 0 || g.poolAt[0] > 0) {
			g.advance()
		}
		g.step()
		if i&255 == 255 {
			g.sweepCovers()
		}
	}
}

// advance moves time forward: often not at all (several operations in
// one block), mostly minutes to hours, sometimes days.
func (g *generator) advance() {
	if g.chance(2000) {
		return
	}
	gap := g.logUniform(max(g.meanGap/40, 1), 6*g.meanGap)
	if g.r.Uint64N(10*day) < g.meanGap/2 {
		gap += g.logUniform(day, 4*day)
	}
	g.now += gap
}

// step writes one step: a pool that is due, an unpause that is due, now
// and then a failure on purpose, else a drawn action (a check if none fits).
func (g *generator) step() {
	if g.frozen > 0 {
		g.whileFrozen()
		return
	}
	if len(g.poolAt) > 0 && g.emitted >= g.poolAt[0] {
		g.poolAt = g.poolAt[1:]
		if g.createPool() {
			return
		}
	}
	for i := range g.pools {
		if p := &g.pools[i]; p.paused && g.now >= p.unpauseAt {
			g.a.reset()
			g.a.uint("pool", uint64(i))
			g.a.boolean("paused", false)
			if _, err := g.emit("pausePool", false); err == nil {
				p.paused = false
			}
			return
		}
	}
	if g.chance(300) {
		for range 4 {
			if pick(g.r, g.failures, g.failW)() {
				return
			}
		}
	}
	for range 8 {
		if pick(g.r, g.actions, g.totalW)() {
			return
		}
	}
	g.check()
}

// pick draws one of actions with odds in proportion to their weights.
func pick(r *rand.Rand, actions []weightedAction, total int) func() bool {
	n := r.IntN(total)
	for _, a := range actions {
		if n < a.weight {
			return a.do
		}
		n -= a.weight
	}
	return actions[len(actions)-1].do
}

// sweepCovers drops from the live list the covers expected to have expired.
func (g *generator) sweepCovers() {
	for i := 0; i < len(g.liveCovers); {
		if id := g.liveCovers[i]; g.covers[id].end < g.now {
			g.dropCover(id)
			continue
		}
		i++
	}
}
