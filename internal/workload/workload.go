// Package workload builds a populated cover market and drives it with the
// mixed operation load used by `vpool bench engine` and the engine
// benchmarks. It is deterministic per seed and never reads the clock; the
// caller times it.
package workload

import (
	"fmt"
	"math/rand/v2"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/ray"
)

// Size is the market a workload starts from.
type Size struct {
	Pools, Positions, Covers int
}

// DefaultSize is the reference market: 50 pools, 5,000 positions,
// 50,000 covers.
var DefaultSize = Size{Pools: 50, Positions: 5000, Covers: 50000}

// Asset is the workload's only token.
const Asset = "USDC"

const (
	start     = 1_700_000_000
	usdc      = 1_000_000
	opSeconds = 7 // simulated seconds between two operations
)

// Load is a market under a deterministic mixed load.
type Load struct {
	M   *cover.Market
	Now uint64
	rng *rand.Rand
	// Failed counts operations the engine refused (all-or-nothing).
	Failed int
}

// New builds the market of the given size (every pool funded by its
// positions, covers filling about half of the capacity).
func New(size Size, seed uint64) (*Load, error) {
	l := &Load{M: cover.New(), Now: start, rng: rand.New(rand.NewPCG(seed, 0x5eed))}
	setup := []cover.Command{
		cover.AddAsset{Symbol: Asset, Decimals: 6},
		cover.AddStrategy{Asset: Asset, FeeRate: pct(10)},
		cover.Mint{To: "lp", Asset: Asset, Amount: units(1 << 40)},
		cover.Mint{To: "buyer", Asset: Asset, Amount: units(1 << 40)},
	}
	for i := 0; i < size.Pools; i++ {
		var compat []int
		for j := max(0, i-3); j < i; j++ {
			compat = append(compat, j)
		}
		setup = append(setup, cover.CreatePool{PaymentAsset: Asset, FeeRate: pct(uint64(5 + i%10)), CompatiblePools: compat,
			Formula: cover.Formula{UOptimal: pct(uint64(75 + i%15)), R0: pct(uint64(1 + i%3)), RSlope1: pct(uint64(4 + i%6)), RSlope2: pct(uint64(20 + i%40))}})
	}
	for _, cmd := range setup {
		if _, err := l.M.Apply(l.Now, cmd); err != nil {
			return nil, fmt.Errorf("workload setup: %w", err)
		}
	}
	for i := 0; i < size.Positions; i++ {
		if err := l.must(l.openPosition(size.Pools)); err != nil {
			return nil, err
		}
	}
	for i := 0; i < size.Covers; i++ {
		if err := l.must(l.openCover(size.Pools)); err != nil {
			return nil, err
		}
	}
	return l, nil
}

func (l *Load) must(cmd cover.Command) error {
	l.Now++
	_, err := l.M.Apply(l.Now, cmd)
	if err != nil {
		return fmt.Errorf("workload setup: %w", err)
	}
	return nil
}

func pct(p uint64) ray.Int {
	v := ray.U64(p)
	return *v.Mul(&v, &ray.RAY)
}

func units(n uint64) ray.Int {
	v := ray.U64(n)
	return *v.Mul(&v, ptr(ray.U64(usdc)))
}

func ptr(a ray.Int) *ray.Int { return &a }

// openPosition deposits into 1 to 3 neighbouring (compatible) pools.
func (l *Load) openPosition(pools int) cover.Command {
	first := l.rng.IntN(pools)
	n := 1 + l.rng.IntN(3)
	ids := []int{first}
	for k := 1; k < n && first+k < pools; k++ {
		ids = append(ids, first+k)
	}
	return cover.OpenPosition{Owner: "lp", Amount: units(50_000 + l.rng.Uint64N(200_000)), Pools: ids}
}

// openCover buys a small cover lasting one to twelve months.
func (l *Load) openCover(pools int) cover.Command {
	amount := 1_000 + l.rng.Uint64N(5_000)
	days := 30 + l.rng.Uint64N(335)
	return cover.OpenCover{Owner: "buyer", Pool: l.rng.IntN(pools), Amount: units(amount), Premium: units(amount * days / 365 / 10)}
}

// Op is one kind of operation of the mix.
type Op int

// The operations of the mix.
const (
	OpenCover Op = iota
	UpdateCover
	TakeInterests
	OpenPosition
	AddLiquidity
	View
)

// mix is the operation mix, in tenths: 30% openCover, 20%
// updateCover, 20% takeInterests, 10% openPosition, 10% addLiquidity, 10%
// a view of a pool, cover or position.
var mix = [10]Op{OpenCover, OpenCover, OpenCover, UpdateCover, UpdateCover, TakeInterests, TakeInterests, OpenPosition, AddLiquidity, View}

// Step applies one operation drawn from the mix.
func (l *Load) Step() { l.Do(mix[l.rng.IntN(len(mix))]) }

// Do applies one operation of the given kind, a few seconds after the last.
func (l *Load) Do(op Op) {
	l.Now += opSeconds
	c := l.M.Counts()
	var cmd cover.Command
	switch op {
	case OpenCover:
		cmd = l.openCover(c.Pools)
	case UpdateCover:
		cmd = cover.UpdateCover{Cover: l.rng.IntN(c.Covers), PremiumsToAdd: units(1 + l.rng.Uint64N(10))}
	case TakeInterests:
		cmd = cover.TakeInterests{Position: l.rng.IntN(c.Positions)}
	case OpenPosition:
		cmd = l.openPosition(c.Pools)
	case AddLiquidity:
		cmd = cover.AddLiquidity{Position: l.rng.IntN(c.Positions), Amount: units(1_000 + l.rng.Uint64N(10_000))}
	default:
		l.view(c)
		return
	}
	if _, err := l.M.Apply(l.Now, cmd); err != nil {
		l.Failed++
	}
}

// view reads one pool, cover or position as of now.
func (l *Load) view(c cover.Counts) {
	var err error
	switch l.rng.IntN(3) {
	case 0:
		_, err = l.M.PoolAt(l.rng.IntN(c.Pools), l.Now)
	case 1:
		_, err = l.M.CoverAt(l.rng.IntN(c.Covers), l.Now)
	default:
		_, err = l.M.PositionAt(l.rng.IntN(c.Positions), l.Now)
	}
	if err != nil {
		l.Failed++
	}
}
