package cover

// journal records how to undo each write of the command being applied, so
// that a failing command leaves the market exactly as it found it.
type journal struct {
	undo []func()
}

func (j *journal) push(f func()) { j.undo = append(j.undo, f) }

func (j *journal) rollback() {
	for i := len(j.undo) - 1; i >= 0; i-- {
		j.undo[i]()
	}
	j.reset()
}

func (j *journal) reset() {
	clear(j.undo)
	j.undo = j.undo[:0]
}

// The hot objects are saved whole, once per command, instead of field by
// field: a pool's slot0 and liquidity, and a cover. Each remembers the
// command (epoch) in which it was last saved.

// touchPool saves p's slot0 and liquidity once in the current command.
func (m *Market) touchPool(p *Pool) {
	if p.savedIn == m.epoch {
		return
	}
	p.savedIn = m.epoch
	slot0, liquidity := p.Slot0, p.Liquidity
	m.j.push(func() { p.Slot0, p.Liquidity = slot0, liquidity })
}

// setSlot0 stores p's slot0.
func (m *Market) setSlot0(p *Pool, s Slot0) {
	m.touchPool(p)
	p.Slot0 = s
}

// setLiquidity stores p's total liquidity L.
func (m *Market) setLiquidity(p *Pool, l Int) {
	m.touchPool(p)
	p.Liquidity = l
}

// touchCover saves cv once in the current command.
func (m *Market) touchCover(cv *Cover) {
	if cv.savedIn == m.epoch {
		return
	}
	cv.savedIn = m.epoch
	old := *cv
	m.j.push(func() { *cv = old })
}

// set writes v to *p, recording the old value.
func set[T any](j *journal, p *T, v T) {
	old := *p
	j.push(func() { *p = old })
	*p = v
}

// setKey writes m[k] = v, recording the old entry (or its absence).
func setKey[K comparable, V any](j *journal, m map[K]V, k K, v V) {
	old, had := m[k]
	j.push(func() {
		if had {
			m[k] = old
		} else {
			delete(m, k)
		}
	})
	m[k] = v
}

// appendTo appends v to *s, recording the old length.
func appendTo[T any](j *journal, s *[]T, v T) {
	n := len(*s)
	j.push(func() { clear((*s)[n:]); *s = (*s)[:n] })
	*s = append(*s, v)
}

// setTick writes the amount at tick t of p's tick line, recording the old.
func (j *journal) setTick(p *Pool, t uint32, a Int) {
	old := p.ticks.at(t)
	j.push(func() { p.ticks.set(t, old) })
	p.ticks.set(t, a)
}
