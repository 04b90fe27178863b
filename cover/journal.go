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

// saveSlot0 records p's slot0 so that rollback restores it.
func (j *journal) saveSlot0(p *Pool) {
	old := p.Slot0
	j.push(func() { p.Slot0 = old })
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
