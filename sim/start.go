package sim

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/ray"
)

// buyersAccount pays every premium and receives every claim.
const buyersAccount = "buyers"

// The two ways a file can ask paths to start (startMarket).
const (
	startPerPath = "perPath" // each path draws its own LPs and warm-up
	startFixed   = "fixed"   // one start market drawn from the seed, shared
)

// snapshot is a market paths restore: the engine state and the agents'
// side of it. With startMarket perPath it is the bare market (before any
// LP or cover), and each path runs its own opening and warm-up; with
// fixed it is the market after the shared opening and warm-up.
type snapshot struct {
	market  []byte
	agents  agents
	indexes []ray.Int // strategy reward indexes
	warm    bool      // the opening and warm-up are done
}

// buildStart is what every path of a run restores: the market of the
// file and, with startMarket fixed, the opening and warm-up drawn from
// the shared start stream.
func buildStart(m *model, seed uint64) (*snapshot, error) {
	mk := cover.New()
	mk.Exclusive() // this goroutine alone uses it
	p := &path{m: m, mk: mk, t: start, quotes: make([]poolQuote, len(m.pools))}
	p.indexes = make([]ray.Int, len(m.strategies))
	for i := range p.indexes {
		p.indexes[i] = ray.RAY
	}
	if err := p.setup(); err != nil {
		return nil, err
	}
	warm := m.cfg.StartMarket == startFixed
	if warm {
		if err := p.warmUp(newStream(seed, sharedStart, streamStart)); err != nil {
			return nil, err
		}
	}
	return &snapshot{market: p.mk.AppendCanonical(nil), agents: p.agents, indexes: p.indexes, warm: warm}, nil
}

// warmUp opens the LPs of the file and runs the warm-up, all drawn from
// rng: buyers buy and LPs arrive, review and withdraw as they will over
// the horizon, but nothing is hacked and nothing is recorded. Then every
// LP still in takes its interests, so that the horizon starts from settled
// positions.
func (p *path) warmUp(rng *rand.Rand) error {
	p.rng = rng
	for g, lp := range p.m.lps {
		for range lp.count {
			p.openLP(g, false)
		}
	}
	for p.step = -p.m.warmup; p.step < 0; p.step++ {
		if err := p.advance(); err != nil {
			return err
		}
	}
	return p.settleLPs()
}

// setup applies the market of the file: asset, strategies, settings,
// pools, compatibilities and the buyers' funds.
func (p *path) setup() error {
	c := p.m.cfg.Market
	delay := uint64(c.WithdrawDelayDays.N) * cover.Day
	fee := c.LeverageFeePerPool.Int
	cmds := []cover.Command{
		cover.AddAsset{Symbol: c.Asset.Symbol, Decimals: uint8(c.Asset.Decimals.N)},
		cover.SetMarket{WithdrawDelay: &delay, MaxLeverage: &c.MaxLeverage.N, LeverageFeePerPool: &fee},
		cover.Mint{To: buyersAccount, Asset: c.Asset.Symbol, Amount: buyersFunds()},
	}
	strategies := map[string]int{}
	for i, s := range c.Strategies {
		strategies[s.Name] = i
		cmds = append(cmds, cover.AddStrategy{Asset: c.Asset.Symbol, Compounds: s.Compounds, FeeRate: s.FeeRate.Int,
			PayoutDeductible: s.PayoutDeductible.Int})
	}
	var pairs []cover.CompatPair
	ids := p.m.cfg.poolIndex()
	for i, pc := range c.Pools {
		cmds = append(cmds, cover.CreatePool{PaymentAsset: c.Asset.Symbol, Strategy: strategies[pc.Strategy],
			FeeRate: pc.FeeRate.Int, Formula: p.m.pools[i].formula})
		for _, other := range pc.Compatible {
			pairs = append(pairs, cover.CompatPair{A: i, B: ids[other], Compatible: true})
		}
	}
	if len(pairs) > 0 {
		cmds = append(cmds, cover.SetCompatibility{Pairs: pairs})
	}
	for i, cmd := range cmds {
		if _, err := p.mk.Apply(start, cmd); err != nil {
			return fmt.Errorf("setting up the market (command %d): %w", i, err)
		}
	}
	return nil
}

// owner names the account of the n-th LP of a path.
func owner(n int) string { return "lp" + strconv.Itoa(n) }

// buyersFunds is what the buyers start with: 2^160 base units, more than
// any run can spend.
func buyersFunds() ray.Int {
	one := ray.U64(1)
	var v ray.Int
	v.Lsh(&one, 160)
	return v
}
