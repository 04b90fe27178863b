package cover

import (
	"math"
	"math/bits"

	"github.com/vpool/vpool/ray"
)

// refresh is refresh(pool, T) of spec §4.2: the pool's slot0 brought to
// time t, without storing it.
func (p *Pool) refresh(t uint64) (Slot0, error) {
	s, _, err := p.walk(t)
	return s, err
}

// walk is refresh, with the curve at the slot0 it reaches (known when the
// walk computed it). Crossing a run of empty 256-tick words costs one
// step: every whole word adds the same index increment, so k words add k
// times it, exactly as walking them one by one would. Every expiry
// reprices from the stored slot0 (market() with its seconds per tick and
// premium rate), so stored spt × stored rate is computed once. A walk a
// view kept (look) from the same state to the same time is reused.
func (p *Pool) walk(t uint64) (Slot0, curvePoint, error) {
	stored := &p.Slot0
	s := *stored
	var pt curvePoint
	if t < s.LastUpdate || !s.SecondsPerTick.IsUint64() || s.SecondsPerTick.Uint64() > t-s.LastUpdate {
		return s, pt, nil
	}
	if w := &p.last; p.walked(w, t) {
		return w.s, w.pt, nil
	}
	remaining := t - s.LastUpdate
	spt := s.SecondsPerTick.Uint64()
	if spt == 0 {
		return s, pt, fail(CodeOverflow, "pool %d has zero seconds per tick", p.ID)
	}
	var c ray.Calc
	cur := p.pointAt(&c, s.CoveredCapital)
	storedRate := cur.rate
	var sptRate Int // stored spt × storedRate, from the first expiry on
	moved := false
	tick := uint64(s.Tick)
	leftover := remaining
	for spt <= remaining {
		leftover = 0
		n, initialized := p.ticks.next(tick)
		hi, seg := bits.Mul64(spt, n-tick)
		if hi == 0 && seg <= remaining {
			remaining -= seg
			s.LiquidityIndex = c.Add(s.LiquidityIndex, indexStep(&c, cur.factor(&c), ray.U64(seg)))
			if initialized {
				covered := c.Sub(s.CoveredCapital, p.ticks.at(uint32(n)))
				cur = p.pointAt(&c, covered)
				if !moved {
					sptRate, moved = c.Mul(stored.SecondsPerTick, storedRate), true
				}
				sptInt := c.Div(sptRate, cur.rate)
				s.CoveredCapital, s.SecondsPerTick = covered, sptInt
				if !sptInt.IsUint64() {
					spt = math.MaxUint64
				} else if spt = sptInt.Uint64(); spt == 0 {
					return s, pt, fail(CodeOverflow, "pool %d has zero seconds per tick", p.ID)
				}
			}
			tick = n
			if !initialized {
				tick, remaining = p.skipEmptyWords(&c, &s, tick, remaining, spt, &cur)
			}
		} else {
			leftover = remaining % spt
			parsed := remaining - leftover
			tick += parsed / spt
			s.LiquidityIndex = c.Add(s.LiquidityIndex, indexStep(&c, cur.factor(&c), ray.U64(parsed)))
			remaining = 0
		}
		if tick > math.MaxUint32 {
			return s, pt, fail(CodeOverflow, "pool %d tick passes 2^32-1", p.ID)
		}
		if c.Err != nil {
			return s, pt, arith(c.Err)
		}
	}
	s.Tick = uint32(tick)
	s.LastUpdate = t - leftover
	cur.known = true
	return s, cur, nil
}

// skipEmptyWords walks, from tick (the last tick of a word), every whole
// empty word that fits in remaining, in one multiplication.
func (p *Pool) skipEmptyWords(c *ray.Calc, s *Slot0, tick, remaining, spt uint64, cur *curvePoint) (uint64, uint64) {
	hi, word := bits.Mul64(spt, 256)
	if hi != 0 || word > remaining {
		return tick, remaining
	}
	k := min(p.ticks.emptyWordsAfter(tick), remaining/word, (math.MaxUint32+1)>>8)
	if k == 0 {
		return tick, remaining
	}
	step := indexStep(c, cur.factor(c), ray.U64(word))
	s.LiquidityIndex = c.Add(s.LiquidityIndex, c.MulInt(step, ray.U64(k)))
	return tick + k*256, remaining - k*word
}

// purge stores refresh(p, t), recording the old slot0 for rollback.
func (m *Market) purge(p *Pool, t uint64) error {
	if m.frozen {
		return fail(CodeFrozen, "the market is frozen")
	}
	s, pt, err := p.walk(t)
	if err != nil {
		return err
	}
	m.setSlot0(p, s)
	if pt.known {
		p.point = pt // a command: see curvePoint
	}
	return nil
}
