package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/ray"
	"github.com/vpool/vpool/scenario"
	"github.com/vpool/vpool/store"
)

// The demo market: one asset, one strategy, four pools, a few LPs (one of
// them leveraged over three pools) and their buyers. It runs through
// Node.Submit like any client, so everything it does is in the log and
// replays exactly.

// DemoAsset is the demo market's only asset; it has 6 decimals.
const DemoAsset = "USDC"

// DemoUserAccount is the account seeded with DemoUserFunds for a
// newcomer's user key; the demo itself never acts as it.
const DemoUserAccount = "newcomer"

// DemoUserFunds is what the seed mints to DemoUserAccount (10,000 USDC).
const DemoUserFunds = 10_000 * usdc

// DemoInterval is the default pause between two demo steps; a step
// submits one or two commands.
const DemoInterval = 400 * time.Millisecond

// ErrNotDemoMarket reports a data directory whose log does not begin with
// the demo seed: the demo will not act on a market it did not build.
var ErrNotDemoMarket = errors.New("server: the log does not start with the demo seed")

const usdc = 1_000_000 // base units per USDC

var (
	demoLPs    = []string{"alice", "bob", "carol", "dave", "oscar", "peggy"}
	demoBuyers = []string{"erin", "frank", "grace", "heidi", "ivan", "judy", "mike", "nina", "olga", "trent"}
	// demoBaskets are the pool sets an LP may back: pools 0, 1 and 3 are
	// pairwise compatible, and so are 2 and 3.
	demoBaskets = [][]int{{0}, {1}, {2}, {3}, {0, 1}, {0, 3}, {1, 3}, {2, 3}, {0, 1, 3}}
)

// Demo drives a small, living cover market. Its choices depend only on
// its seed and on the market it reads, so with a fixed clock two demos
// with the same seed submit the same commands; only the pacing of Run
// follows the wall clock. A Demo is not safe for concurrent use.
type Demo struct {
	rng       *rand.Rand
	srng      *rand.Rand // the swap market's draws
	positions []demoPosition
	covers    []demoCover
	claims    []demoClaim // open claims, oldest first
	index     ray.Int     // strategy 0's reward index
	indexAt   uint64      // when it was set (or the strategy added)
	indexSeq  uint64      // the seq that set it
	steps     int
}

type demoPosition struct {
	id    int
	owner string
}

type demoCover struct {
	id    int
	owner string
	pool  int
}

type demoClaim struct {
	id, cover int
	openedAt  int // the demo step it was opened at
}

// NewDemo returns a demo whose choices follow seed.
func NewDemo(seed uint64) *Demo {
	return &Demo{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), srng: rand.New(rand.NewPCG(seed^0x5eed, seed)), index: ray.RAY}
}

// RunDemo seeds the demo market on an empty node (or picks up the demo
// market a previous run left in the log) and then drives activity every
// DemoInterval until ctx is cancelled, when it returns nil.
func RunDemo(ctx context.Context, n *Node, logger *slog.Logger) error {
	d := NewDemo(1)
	if _, err := d.Prepare(ctx, n); err != nil {
		return err
	}
	return d.Run(ctx, n, logger, DemoInterval)
}

// Prepare seeds the demo market when the node's log is empty and reports
// seeded = true. On a node whose log already holds a demo market it reads
// the log back to learn its positions, covers and open claims (and seeds
// the swap market now if the log is of a demo from before it had one); on
// any other market it returns ErrNotDemoMarket. Call it before the node
// takes other commands, so the seed is the start of the log.
func (d *Demo) Prepare(ctx context.Context, n *Node) (seeded bool, err error) {
	var seq uint64
	n.Read(func(_ *cover.Market, _ uint64, s uint64) { seq = s })
	coverSeed, swapSeed := demoSeed(), demoSwapSeed()
	if seq == 0 {
		return true, d.seed(ctx, n, append(coverSeed, swapSeed...))
	}
	seed := append(coverSeed, swapSeed...)
	i, withoutSwap := 0, false
	err = n.Store().Records(ctx, 0, 0, func(r store.Record) error {
		switch {
		case i == len(coverSeed) && !withoutSwap && r.Op != seed[i].Op:
			withoutSwap = true
		case i < len(seed) && !withoutSwap && r.Op != seed[i].Op:
			return ErrNotDemoMarket
		}
		i++
		var out Outcome
		if err := json.Unmarshal(r.Outcome, &out); err != nil {
			return fmt.Errorf("server: log record %d: %w", r.Seq, err)
		}
		d.observe(Command{Op: r.Op, Args: r.Args}, out)
		return nil
	})
	switch {
	case err != nil:
		return false, err
	case (withoutSwap || i == len(coverSeed)) && !hasPairs(n):
		return false, d.seed(ctx, n, swapSeed)
	case withoutSwap: // an older demo whose swap market was seeded since
	case i < len(seed):
		return false, ErrNotDemoMarket
	}
	return false, nil
}

// hasPairs reports whether the node's swap market has pairs.
func hasPairs(n *Node) (has bool) {
	n.ReadEngines(func(e *scenario.Engines, _ uint64, _ uint64) { has = e.Swap.Pairs() > 0 })
	return has
}

// seed submits seed commands, every one of which must succeed.
func (d *Demo) seed(ctx context.Context, n *Node, seed []Command) error {
	outs, err := n.Submit(ctx, seed)
	if err != nil {
		return err
	}
	for i, out := range outs {
		if !out.OK {
			return fmt.Errorf("server: demo seed command %d (%s) failed: %s %s", i, out.Op, out.Error, out.Message)
		}
		d.observe(seed[i], out)
	}
	return nil
}

// Run calls Step every interval until ctx is cancelled (it then returns
// nil) or the node closes (ErrClosed). It logs a summary every minute.
func (d *Demo) Run(ctx context.Context, n *Node, logger *slog.Logger, interval time.Duration) error {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	report := time.NewTicker(time.Minute)
	defer report.Stop()
	var ok, failed int
	for {
		select {
		case <-ctx.Done():
			logger.Info("demo stopped", "steps", d.steps)
			return nil
		case <-report.C:
			logger.Info("demo activity", "steps", d.steps, "commands_ok", ok, "commands_failed", failed,
				"covers", len(d.covers), "positions", len(d.positions), "open_claims", len(d.claims))
			continue
		case <-tick.C:
		}
		outs, err := d.Step(ctx, n)
		if err != nil {
			if ctx.Err() != nil {
				logger.Info("demo stopped", "steps", d.steps)
				return nil
			}
			return err
		}
		for _, out := range outs {
			if out.OK {
				ok++
				continue
			}
			failed++
			logger.Debug("demo command failed", "seq", out.Seq, "op", out.Op, "error", out.Error, "message", out.Message)
		}
	}
}

// Step chooses the next action, submits its commands and learns from
// their outcomes, which it returns.
func (d *Demo) Step(ctx context.Context, n *Node) ([]Outcome, error) {
	d.steps++
	var cmds []Command
	n.DryRun(func(e *scenario.Engines, now uint64, _ uint64) {
		cmds = append(d.next(e.Cover, now), d.nextSwap(e, now)...)
	})
	if len(cmds) == 0 {
		cmds = []Command{demoCmd("check", nil)}
	}
	// Once handed to the node a command is applied even if ctx ends, so
	// wait for its outcome: when Run returns, nothing of the demo's is
	// still in flight.
	outs, err := n.Submit(context.WithoutCancel(ctx), cmds)
	if err != nil {
		return nil, err
	}
	for i, out := range outs {
		d.observe(cmds[i], out)
		if out.Op == "setStrategyIndex" && !out.OK {
			// An admin moved the index since: learn it from the log.
			if err := d.resyncIndex(ctx, n); err != nil {
				return outs, err
			}
		}
	}
	return outs, nil
}

// resyncIndex reads the strategy index the log last set after the one
// the demo knows.
func (d *Demo) resyncIndex(ctx context.Context, n *Node) error {
	return n.Store().Records(ctx, d.indexSeq, 0, func(r store.Record) error {
		if r.Op == "setStrategyIndex" {
			var out Outcome
			if json.Unmarshal(r.Outcome, &out) == nil {
				d.observe(Command{Op: r.Op, Args: r.Args}, out)
			}
		}
		return nil
	})
}

// next chooses an action: a claim that has waited long enough is resolved
// first; otherwise a weighted draw, falling back to taking interests when
// the action drawn has nothing to act on.
func (d *Demo) next(m *cover.Market, now uint64) []Command {
	if len(d.claims) > 0 && d.steps-d.claims[0].openedAt >= 8 {
		return []Command{demoCmd("resolveClaim", map[string]any{"claim": d.claims[0].id, "accept": d.rng.IntN(10) < 6})}
	}
	act := drawAction(d.rng, []weighted[func(*cover.Market, uint64) []Command]{
		{14, d.openCover}, {18, d.updateCover}, {5, d.openPosition}, {10, d.addLiquidity},
		{15, d.takeInterests}, {8, d.raiseStrategyIndex}, {1, d.openClaim},
	})
	if cmds := act(m, now); len(cmds) > 0 {
		return cmds
	}
	return d.takeInterests(m, now)
}

func (d *Demo) openCover(m *cover.Market, now uint64) []Command {
	pool := d.rng.IntN(4)
	v, err := m.PoolAt(pool, now)
	if err != nil || v.Paused {
		return nil
	}
	avail := parseUint(v.AvailableLiquidity)
	amount := wholeUSDC(avail * uint64(d.between(2, 8)) / 100)
	if amount < 1_000*usdc {
		return nil
	}
	premiums := wholeUSDC(amount * uint64(d.between(50, 300)) / 10_000)
	owner := demoBuyers[d.rng.IntN(len(demoBuyers))]
	return append(d.fund(m, owner, premiums),
		demoCmd("openCover", map[string]any{"owner": owner, "pool": pool, "amount": dec(amount), "premiums": dec(premiums)}))
}

// updateCover tops up, resizes or closes an active cover.
func (d *Demo) updateCover(m *cover.Market, now uint64) []Command {
	i, v := d.activeCover(m, now)
	if i < 0 {
		return nil
	}
	c := d.covers[i]
	amount, daily := parseUint(v.CoverAmount), parseUint(v.DailyCost)
	args := map[string]any{"cover": c.id, "as": c.owner}
	var cost uint64
	switch k := d.rng.IntN(20); {
	case k < 8: // keep it running longer
		cost = max(daily*uint64(d.between(7, 60)), usdc)
		args["premiumsToAdd"] = dec(cost)
	case k < 12 && !d.claimed(c.id): // more cover
		pv, err := m.PoolAt(c.pool, now)
		add := wholeUSDC(min(amount*uint64(d.between(10, 30))/100, parseUint(pv.AvailableLiquidity)/2))
		if err != nil || pv.Paused || add == 0 {
			return nil
		}
		cost = max(wholeUSDC(add*uint64(d.between(50, 200))/10_000), usdc)
		args["coverToAdd"], args["premiumsToAdd"] = dec(add), dec(cost)
	case k < 15 && !d.claimed(c.id): // less cover
		cut := wholeUSDC(amount * uint64(d.between(10, 40)) / 100)
		if cut == 0 || cut >= amount {
			return nil
		}
		args["coverToRemove"] = dec(cut)
	case !d.claimed(c.id): // done: the unspent premiums come back
		args["premiumsToRemove"] = "max"
	default:
		return nil
	}
	return append(d.fund(m, c.owner, cost), demoCmd("updateCover", args))
}

func (d *Demo) openPosition(m *cover.Market, _ uint64) []Command {
	owner := demoLPs[d.rng.IntN(len(demoLPs))]
	basket := demoBaskets[d.rng.IntN(len(demoBaskets))]
	amount := uint64(d.between(20, 200)) * 1_000 * usdc
	return append(d.fund(m, owner, amount),
		demoCmd("openPosition", map[string]any{"owner": owner, "amount": dec(amount), "pools": basket}))
}

func (d *Demo) addLiquidity(m *cover.Market, _ uint64) []Command {
	if len(d.positions) == 0 {
		return nil
	}
	p := d.positions[d.rng.IntN(len(d.positions))]
	amount := uint64(d.between(5, 50)) * 1_000 * usdc
	return append(d.fund(m, p.owner, amount),
		demoCmd("addLiquidity", map[string]any{"position": p.id, "amount": dec(amount), "as": p.owner}))
}

func (d *Demo) takeInterests(*cover.Market, uint64) []Command {
	if len(d.positions) == 0 {
		return nil
	}
	p := d.positions[d.rng.IntN(len(d.positions))]
	return []Command{demoCmd("takeInterests", map[string]any{"position": p.id, "as": p.owner})}
}

// raiseStrategyIndex moves strategy 0's reward index up as a strategy
// yielding 3% to 6% a year would have since its last move.
func (d *Demo) raiseStrategyIndex(_ *cover.Market, now uint64) []Command {
	if now <= d.indexAt {
		return nil
	}
	bps := uint64(d.between(300, 600))
	growth, num, den := d.index, ray.U64(bps*(now-d.indexAt)), ray.U64(10_000*365*24*3600)
	growth.Mul(&growth, &num)
	growth.Div(&growth, &den)
	if growth.IsZero() {
		return nil
	}
	var next ray.Int
	next.Add(&d.index, &growth)
	return []Command{demoCmd("setStrategyIndex", map[string]any{"strategy": 0, "index": next.Dec()})}
}

func (d *Demo) openClaim(m *cover.Market, now uint64) []Command {
	i, v := d.activeCover(m, now)
	if i < 0 || d.claimed(d.covers[i].id) {
		return nil
	}
	c := d.covers[i]
	amount := wholeUSDC(parseUint(v.CoverAmount) * uint64(d.between(1, 8)) / 100)
	if amount == 0 {
		return nil
	}
	return []Command{demoCmd("openClaim", map[string]any{"cover": c.id, "amount": dec(amount), "as": c.owner})}
}

// activeCover picks a tracked cover that is still active, forgetting the
// ones it finds expired; it returns -1 when none is found in a few tries.
func (d *Demo) activeCover(m *cover.Market, now uint64) (int, cover.CoverView) {
	for range 4 {
		if len(d.covers) == 0 {
			break
		}
		i := d.rng.IntN(len(d.covers))
		v, err := m.CoverAt(d.covers[i].id, now)
		if err == nil && v.Active {
			return i, v
		}
		if !d.claimed(d.covers[i].id) {
			d.covers = append(d.covers[:i], d.covers[i+1:]...)
		}
	}
	return -1, cover.CoverView{}
}

// fund mints what owner lacks to pay need, plus a margin.
func (d *Demo) fund(m *cover.Market, owner string, need uint64) []Command {
	bal := m.Balance(owner, DemoAsset)
	if bal.IsUint64() && bal.Uint64() >= need {
		return nil
	}
	return []Command{demoCmd("mint", map[string]any{"to": owner, "asset": DemoAsset, "amount": dec(need + 10_000*usdc)})}
}

func (d *Demo) claimed(coverID int) bool {
	for _, c := range d.claims {
		if c.cover == coverID {
			return true
		}
	}
	return false
}

// weighted is an action and how often the demo draws it.
type weighted[A any] struct {
	weight int
	act    A
}

// drawAction draws one of actions, each with a probability in proportion
// to its weight.
func drawAction[A any](rng *rand.Rand, actions []weighted[A]) A {
	total := 0
	for _, a := range actions {
		total += a.weight
	}
	draw := rng.IntN(total)
	for _, a := range actions {
		if draw -= a.weight; draw < 0 {
			return a.act
		}
	}
	return actions[len(actions)-1].act
}

// between is a uniform integer in [lo, hi].
func (d *Demo) between(lo, hi int) int { return lo + d.rng.IntN(hi-lo+1) }

// observe learns from a command's outcome what the demo tracks: the
// positions and covers of its own accounts, their open claims and the
// strategy index. Objects of other accounts (opened through the API) are
// left alone.
func (d *Demo) observe(c Command, out Outcome) {
	var a struct {
		Owner    string          `json:"owner"`
		Pool     int             `json:"pool"`
		Cover    int             `json:"cover"`
		Claim    int             `json:"claim"`
		Strategy int             `json:"strategy"`
		Index    string          `json:"index"`
		Remove   json.RawMessage `json:"premiumsToRemove"`
	}
	var r struct {
		Position, Cover, Claim int
	}
	if len(c.Args) > 0 && json.Unmarshal(c.Args, &a) != nil {
		return
	}
	if len(out.Result) > 0 && json.Unmarshal(out.Result, &r) != nil {
		return
	}
	switch {
	case c.Op == "resolveClaim" && (out.OK || out.Error == cover.CodeClaimNotOpen || out.Error == cover.CodeNotFound):
		d.dropClaim(a.Claim)
	case !out.OK:
	case c.Op == "openPosition" && slices.Contains(demoLPs, a.Owner):
		d.positions = append(d.positions, demoPosition{id: r.Position, owner: a.Owner})
	case c.Op == "openCover" && slices.Contains(demoBuyers, a.Owner):
		d.covers = append(d.covers, demoCover{id: r.Cover, owner: a.Owner, pool: a.Pool})
	case c.Op == "openClaim" && d.tracked(a.Cover):
		d.claims = append(d.claims, demoClaim{id: r.Claim, cover: a.Cover, openedAt: d.steps})
	case c.Op == "updateCover" && string(a.Remove) == `"max"`:
		for i, cv := range d.covers {
			if cv.id == a.Cover {
				d.covers = append(d.covers[:i], d.covers[i+1:]...)
				break
			}
		}
	case c.Op == "addStrategy" && d.indexAt == 0:
		d.indexAt = out.At
	case c.Op == "setStrategyIndex" && a.Strategy == 0:
		if idx, err := ray.ParseAmount(a.Index); err == nil {
			d.index, d.indexAt, d.indexSeq = idx, out.At, out.Seq
		}
	}
}

// tracked says whether the demo acts on cover id (its own buyers' covers,
// not the ones people open through the API).
func (d *Demo) tracked(coverID int) bool {
	return slices.ContainsFunc(d.covers, func(c demoCover) bool { return c.id == coverID })
}

func (d *Demo) dropClaim(id int) {
	for i, c := range d.claims {
		if c.id == id {
			d.claims = append(d.claims[:i], d.claims[i+1:]...)
			return
		}
	}
}

// demoSeed is the demo market as one batch of commands.
func demoSeed() []Command {
	pool := func(fee, uOpt, r0, s1, s2 string, compatible []int) Command {
		return demoCmd("createPool", map[string]any{"paymentAsset": DemoAsset, "strategy": 0, "feeRate": fee,
			"uOptimal": uOpt, "r0": r0, "rSlope1": s1, "rSlope2": s2, "compatiblePools": compatible})
	}
	mint := func(to string, whole uint64) Command {
		return demoCmd("mint", map[string]any{"to": to, "asset": DemoAsset, "amount": dec(whole * usdc)})
	}
	position := func(owner string, whole uint64, pools []int) Command {
		return demoCmd("openPosition", map[string]any{"owner": owner, "amount": dec(whole * usdc), "pools": pools})
	}
	buy := func(owner string, pool int, whole, premiums uint64) Command {
		return demoCmd("openCover", map[string]any{"owner": owner, "pool": pool, "amount": dec(whole * usdc), "premiums": dec(premiums * usdc)})
	}
	seed := []Command{
		demoCmd("addAsset", map[string]any{"symbol": DemoAsset, "decimals": 6}),
		demoCmd("addStrategy", map[string]any{"name": DemoAsset + " lending", "asset": DemoAsset, "compounds": false, "feeRate": "10", "payoutDeductible": "0"}),
		pool("10", "80", "1", "4", "30", []int{}),       // 0: a lending protocol
		pool("10", "75", "2", "6", "20", []int{0}),      // 1: a DEX
		pool("15", "70", "3", "8", "40", []int{}),       // 2: a bridge
		pool("10", "85", "1.5", "5", "25", []int{0, 1}), // 3: a stablecoin depeg
		demoCmd("setCompatibility", map[string]any{"pairs": [][3]any{{2, 3, true}}}),
		mint("alice", 1_000_000), mint("bob", 600_000), mint("carol", 400_000), mint("dave", 300_000),
		position("alice", 800_000, []int{0}),
		position("bob", 500_000, []int{0, 1}),
		position("carol", 300_000, []int{0, 1, 3}), // leveraged: the same capital backs three pools
		position("dave", 250_000, []int{2, 3}),
	}
	for _, b := range demoBuyers {
		seed = append(seed, mint(b, 50_000))
	}
	return append(seed,
		mint(DemoUserAccount, DemoUserFunds/usdc),
		buy("erin", 0, 400_000, 8_000),
		buy("frank", 1, 200_000, 5_000),
		buy("grace", 2, 100_000, 3_000),
		buy("heidi", 3, 150_000, 3_000),
		buy("ivan", 0, 250_000, 6_000),
	)
}

func demoCmd(op string, args any) Command {
	if args == nil {
		return Command{Op: op}
	}
	raw, _ := json.Marshal(args) // maps of strings, numbers and slices: never fails
	return Command{Op: op, Args: raw}
}

func dec(x uint64) string { return strconv.FormatUint(x, 10) }

// parseUint reads a decimal amount, saturating at 2^64-1 and reading
// anything malformed as 0.
func parseUint(s string) uint64 {
	x, err := strconv.ParseUint(s, 10, 64)
	if errors.Is(err, strconv.ErrRange) {
		return ^uint64(0)
	}
	return x
}

// wholeUSDC rounds down to whole USDC.
func wholeUSDC(x uint64) uint64 { return x / usdc * usdc }
