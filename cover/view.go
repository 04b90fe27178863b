package cover

import (
	"slices"
	"sort"
	"strconv"

	"github.com/vpool/vpool/ray"
)

// PoolView is a pool as seen at a time (docs/scenario.md state object).
type PoolView struct {
	ID                 int               `json:"id"`
	Paused             bool              `json:"paused"`
	Strategy           int               `json:"strategy"`
	PaymentAsset       string            `json:"paymentAsset"`
	TotalLiquidity     string            `json:"totalLiquidity"`
	AvailableLiquidity string            `json:"availableLiquidity"`
	CoveredCapital     string            `json:"coveredCapital"`
	Utilization        string            `json:"utilization"`
	PremiumRate        string            `json:"premiumRate"`
	SecondsPerTick     string            `json:"secondsPerTick"`
	Tick               uint32            `json:"tick"`
	LiquidityIndex     string            `json:"liquidityIndex"`
	LastUpdateTime     uint64            `json:"lastUpdateTimestamp"`
	Overlaps           map[string]string `json:"overlaps"`
	OngoingClaims      int               `json:"ongoingClaims"`
	Compensations      []int             `json:"compensations"`
}

// CoverView is a cover as seen at a time.
type CoverView struct {
	ID           int    `json:"id"`
	Pool         int    `json:"pool"`
	Owner        string `json:"owner"`
	CoverAmount  string `json:"coverAmount"`
	PremiumsLeft string `json:"premiumsLeft"`
	DailyCost    string `json:"dailyCost"`
	PremiumRate  string `json:"premiumRate"`
	LastTick     uint32 `json:"lastTick"`
	Active       bool   `json:"active"`
}

// PositionView is a position as seen at a time, compensations applied.
type PositionView struct {
	ID              int      `json:"id"`
	Owner           string   `json:"owner"`
	Pools           []int    `json:"pools"`
	Supplied        string   `json:"supplied"`
	Capital         string   `json:"capital"`
	CommitTimestamp uint64   `json:"commitTimestamp"`
	CoverRewards    []string `json:"coverRewards"`
	StrategyRewards string   `json:"strategyRewards"`
}

// CustodyView is what the market holds: unspent premiums per asset and
// capital per strategy, plus premium rewards owed beyond custody.
type CustodyView struct {
	Premiums   map[string]string `json:"premiums"`
	Strategies map[string]string `json:"strategies"`
	Shortfall  map[string]string `json:"shortfall,omitempty"`
}

// View is the cover market's part of the state object at a time.
type View struct {
	Pools     []PoolView                   `json:"pools"`
	Covers    []CoverView                  `json:"covers"`
	Positions []PositionView               `json:"positions"`
	Balances  map[string]map[string]string `json:"balances"`
	Custody   CustodyView                  `json:"custody"`
}

// slot0At is pool p's slot0 brought to time t without storing it; a pool
// that cannot be refreshed (an arithmetic limit) shows its stored slot0.
func slot0At(p *Pool, t uint64) Slot0 {
	s, _, err := p.look(t)
	if err != nil {
		return p.Slot0
	}
	return s
}

// ViewAt returns the state object as of time t, changing nothing.
func (m *Market) ViewAt(t uint64) View {
	slots := make([]Slot0, len(m.pools))
	v := View{Pools: make([]PoolView, len(m.pools)), Covers: make([]CoverView, len(m.covers)),
		Positions: make([]PositionView, len(m.positions))}
	for i, p := range m.pools {
		slots[i] = slot0At(p, t)
		v.Pools[i] = m.poolView(p, &slots[i])
	}
	for i, cv := range m.covers {
		v.Covers[i] = coverView(m.pools[cv.Pool], cv, &slots[cv.Pool])
	}
	var indexes []Int
	for i, pos := range m.positions {
		indexes = indexes[:0]
		for _, id := range pos.Pools {
			indexes = append(indexes, slots[id].LiquidityIndex)
		}
		v.Positions[i] = m.positionView(pos, indexes)
	}
	v.Balances, v.Custody = m.booksView()
	return v
}

// PoolAt is one pool's view at time t.
func (m *Market) PoolAt(id int, t uint64) (PoolView, error) {
	p, err := m.pool(id)
	if err != nil {
		return PoolView{}, err
	}
	s := slot0At(p, t)
	return m.poolView(p, &s), nil
}

func (m *Market) poolView(p *Pool, s *Slot0) PoolView {
	var c ray.Calc
	u, rate := p.curveAt(&c, s.CoveredCapital)
	avail := p.available(s)
	overlaps := map[string]string{strconv.Itoa(p.ID): p.Liquidity.Dec()}
	for _, other := range p.Overlapped {
		if shared := m.overlap(p.ID, other); other != p.ID && !shared.IsZero() {
			overlaps[strconv.Itoa(other)] = shared.Dec()
		}
	}
	return PoolView{
		ID: p.ID, Paused: p.Paused, Strategy: p.Strategy, PaymentAsset: p.PaymentAsset,
		TotalLiquidity: p.Liquidity.Dec(), AvailableLiquidity: avail.Dec(), CoveredCapital: s.CoveredCapital.Dec(),
		Utilization: u.Dec(), PremiumRate: rate.Dec(), SecondsPerTick: s.SecondsPerTick.Dec(), Tick: s.Tick,
		LiquidityIndex: s.LiquidityIndex.Dec(), LastUpdateTime: s.LastUpdate, Overlaps: overlaps,
		OngoingClaims: p.OngoingClaims, Compensations: append([]int{}, p.Compensations...),
	}
}

// coverView shows cv at slot0 s; a cover whose premiums cannot be
// computed (an arithmetic limit) is still shown active by its ticks.
func coverView(p *Pool, cv *Cover, s *Slot0) CoverView {
	info, err := coverInfo(p, cv, s)
	if err != nil {
		info.Active = s.Tick < cv.LastTick
	}
	return CoverView{ID: cv.ID, Pool: cv.Pool, Owner: cv.Owner, CoverAmount: cv.Amount.Dec(),
		PremiumsLeft: info.PremiumsLeft.Dec(), DailyCost: info.DailyCost.Dec(), PremiumRate: info.PremiumRate.Dec(),
		LastTick: cv.LastTick, Active: info.Active}
}

// positionView shows pos with indexes[i] the liquidity index of its i-th
// pool at the view time.
func (m *Market) positionView(pos *Position, indexes []Int) PositionView {
	v := PositionView{ID: pos.ID, Owner: pos.Owner, Pools: append([]int{}, pos.Pools...), Supplied: pos.Supplied.Dec(),
		Capital: pos.Supplied.Dec(), CommitTimestamp: pos.CommitTimestamp, CoverRewards: make([]string, len(pos.Pools)),
		StrategyRewards: "0"}
	for i, id := range pos.Pools {
		a, err := m.accrue(m.pools[id], pos, i, pos.Supplied, indexes[i])
		if err != nil {
			v.CoverRewards[i] = "0"
			continue
		}
		v.Capital, v.CoverRewards[i], v.StrategyRewards = a.capital.Dec(), a.coverRewards.Dec(), a.strategyRewards.Dec()
	}
	return v
}

func (m *Market) booksView() (map[string]map[string]string, CustodyView) {
	balances := map[string]map[string]string{}
	for h, a := range m.books.balances {
		if a.IsZero() {
			continue
		}
		if balances[h.owner] == nil {
			balances[h.owner] = map[string]string{}
		}
		balances[h.owner][h.asset] = a.Dec()
	}
	strategies := map[string]string{}
	for id, a := range m.books.strategy {
		if !a.IsZero() {
			strategies[strconv.Itoa(id)] = a.Dec()
		}
	}
	return balances, CustodyView{Premiums: decimals(m.books.premiums), Strategies: strategies, Shortfall: decimals(m.books.shortfall)}
}

func decimals(book map[string]Int) map[string]string {
	out := map[string]string{}
	for k, a := range book {
		if !a.IsZero() {
			out[k] = a.Dec()
		}
	}
	return out
}

// sortedKeys returns a map's keys in ascending order.
func sortedKeys[K int | string, V any](mp map[K]V) []K {
	keys := make([]K, 0, len(mp))
	for k := range mp {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}

func sortedPairs[V any](mp map[[2]int]V) [][2]int {
	keys := make([][2]int, 0, len(mp))
	for k := range mp {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return keys[i][0] < keys[j][0] || keys[i][0] == keys[j][0] && keys[i][1] < keys[j][1]
	})
	return keys
}

func sortHoldings(h []holding) {
	sort.Slice(h, func(i, j int) bool {
		return h[i].owner < h[j].owner || h[i].owner == h[j].owner && h[i].asset < h[j].asset
	})
}

// CoverAt is one cover's view at time t.
func (m *Market) CoverAt(id int, t uint64) (CoverView, error) {
	cv, err := m.cover(id)
	if err != nil {
		return CoverView{}, err
	}
	p := m.pools[cv.Pool]
	s := slot0At(p, t)
	return coverView(p, cv, &s), nil
}

// PositionAt is one position's view at time t.
func (m *Market) PositionAt(id int, t uint64) (PositionView, error) {
	pos, err := m.position(id, "")
	if err != nil {
		return PositionView{}, err
	}
	indexes := make([]Int, len(pos.Pools))
	for i, pid := range pos.Pools {
		indexes[i] = slot0At(m.pools[pid], t).LiquidityIndex
	}
	return m.positionView(pos, indexes), nil
}

// Capital is PositionAt(id, t).Capital as an integer: the position's
// capital at time t, compensations applied.
func (m *Market) Capital(id int, t uint64) (Int, error) {
	pos, err := m.position(id, "")
	if err != nil {
		return Int{}, err
	}
	capital := pos.Supplied
	for i, pid := range pos.Pools {
		p := m.pools[pid]
		if a, err := m.accrue(p, pos, i, pos.Supplied, slot0At(p, t).LiquidityIndex); err == nil {
			capital = a.capital
		}
	}
	return capital, nil
}

// Available is PoolAt(id, t).AvailableLiquidity as an integer: the
// liquidity of pool id not covering anything at time t.
func (m *Market) Available(id int, t uint64) (Int, error) {
	p, err := m.pool(id)
	if err != nil {
		return Int{}, err
	}
	s := slot0At(p, t)
	return p.available(&s), nil
}

// Assets returns the assets the market knows, in the order they were added.
func (m *Market) Assets() []Asset { return slices.Clone(m.assets) }

// Counts tells how many of each kind of object the market holds.
type Counts struct {
	Assets, Strategies, Pools, Positions, Covers, Claims, Compensations int
}

// Counts returns the number of objects of each kind (the next ids).
func (m *Market) Counts() Counts {
	return Counts{len(m.assets), len(m.strategies), len(m.pools), len(m.positions), len(m.covers), len(m.claims), len(m.comps)}
}

// ClaimView is a claim as it stands.
type ClaimView struct {
	ID     int    `json:"id"`
	Cover  int    `json:"cover"`
	Pool   int    `json:"pool"`
	Owner  string `json:"owner"`
	Amount string `json:"amount"`
	// Status is open, accepted or rejected.
	Status string `json:"status"`
	// Compensation is the payout's id once accepted, else -1.
	Compensation int `json:"compensation"`
}

var claimStatusNames = [...]string{ClaimOpen: "open", ClaimAccepted: "accepted", ClaimRejected: "rejected"}

// ClaimAt is one claim's view.
func (m *Market) ClaimAt(id int) (ClaimView, error) {
	if id < 0 || id >= len(m.claims) {
		return ClaimView{}, fail(CodeNotFound, "no claim %d", id)
	}
	cl := m.claims[id]
	cv := m.covers[cl.Cover]
	return ClaimView{ID: cl.ID, Cover: cl.Cover, Pool: cv.Pool, Owner: cv.Owner, Amount: cl.Amount.Dec(),
		Status: claimStatusNames[cl.Status], Compensation: cl.Compensation}, nil
}
