package cover

import (
	"math/rand/v2"
	"testing"

	"github.com/vpool/vpool/ray"
)

// specRefresh is the refresh loop of spec §4.2 transcribed literally,
// walking every segment with next(): the reference for the skip.
func specRefresh(t *testing.T, p *Pool, T uint64) Slot0 {
	t.Helper()
	S := p.Slot0
	s := S
	remaining := T - s.LastUpdate
	spt := s.SecondsPerTick.Uint64()
	if remaining < spt {
		return s
	}
	var c ray.Calc
	u := Utilization(&c, s.CoveredCapital, p.Liquidity)
	rate := p.Formula.PremiumRate(&c, u)
	leftover := remaining
	tick := uint64(s.Tick)
	for spt <= remaining {
		leftover = 0
		n, init := p.ticks.next(tick)
		seg := spt * (n - tick)
		if seg <= remaining {
			remaining -= seg
			s.LiquidityIndex = c.Add(s.LiquidityIndex, IndexDelta(&c, u, rate, ray.U64(seg)))
			if init {
				covered := c.Sub(s.CoveredCapital, p.ticks.at(uint32(n)))
				rate, s.SecondsPerTick, u = p.Formula.marketMove(&c, S.SecondsPerTick, p.Liquidity, S.CoveredCapital, p.Liquidity, covered)
				s.CoveredCapital = covered
				spt = s.SecondsPerTick.Uint64()
			}
			tick = n
		} else {
			leftover = remaining % spt
			parsed := remaining - leftover
			tick += parsed / spt
			s.LiquidityIndex = c.Add(s.LiquidityIndex, IndexDelta(&c, u, rate, ray.U64(parsed)))
			remaining = 0
		}
	}
	if c.Err != nil {
		t.Fatal(c.Err)
	}
	s.Tick = uint32(tick)
	s.LastUpdate = T - leftover
	return s
}

// testPool is a pool at time 0 with liquidity l, covered capital spread
// over the given expiry ticks, and seconds per tick spt.
func testPool(l uint64, spt uint64, expiries map[uint32]uint64) *Pool {
	p := &Pool{Formula: specCurve(),
		Liquidity: ray.U64(l), ticks: newTickLine(),
		Slot0: Slot0{Tick: 1, SecondsPerTick: ray.U64(spt)}}
	for t, a := range expiries {
		p.ticks.set(t, ray.U64(a))
		p.Slot0.CoveredCapital.Add(&p.Slot0.CoveredCapital, ptr(ray.U64(a)))
	}
	return p
}

func ptr(a Int) *Int { return &a }

func TestRefreshSkipMatchesSegmentWalk(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 2000; i++ {
		expiries := map[uint32]uint64{}
		for k := rng.IntN(6); k > 0; k-- {
			expiries[uint32(2+rng.IntN(40_000))] = 1 + rng.Uint64N(1_000_000)
		}
		spt := 7513 + rng.Uint64N(86400-7513)
		p := testPool(10_000_000, spt, expiries)
		T := rng.Uint64N(40 * Year)
		want := specRefresh(t, p, T)
		got, err := p.refresh(T)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("case %d (spt %d, T %d, expiries %v):\n got %+v\nwant %+v", i, spt, T, expiries, got, want)
		}
	}
}

func TestRefreshThirtyIdleYearsSkipsWords(t *testing.T) {
	p := testPool(1_000_000, 7513, nil)
	p.Slot0.CoveredCapital = ray.U64(1_000_000)
	T := 30 * Year
	want := specRefresh(t, p, T)
	got, err := p.refresh(T)
	if err != nil || got != want {
		t.Fatalf("got %+v, %v; want %+v", got, err, want)
	}
	if got.Tick < uint32(T/7513)-1 {
		t.Fatalf("tick %d, want about %d", got.Tick, T/7513)
	}
}

// BenchmarkPurgeThirtyIdleYears is the figure: a pool at minimum
// tick spacing (100% utilization) idle for 30 years, brought up to date.
func BenchmarkPurgeThirtyIdleYears(b *testing.B) {
	p := testPool(1_000_000, 7513, nil)
	p.Slot0.CoveredCapital = ray.U64(1_000_000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.refresh(30 * Year); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPurgeCrossingTicks brings a pool across 100 initialized ticks.
func BenchmarkPurgeCrossingTicks(b *testing.B) {
	expiries := map[uint32]uint64{}
	for i := uint32(0); i < 100; i++ {
		expiries[10+i*37] = 1000
	}
	p := testPool(1_000_000, 20000, expiries)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.refresh(Year); err != nil {
			b.Fatal(err)
		}
	}
}
