package swap

// journal records how to undo each write of the command being applied, so
// that a failing command leaves the market exactly as it found it. Dry
// runs (quotes, route choice) roll back to a mark inside a command.
type journal struct {
	undo []func()
}

func (j *journal) push(f func()) { j.undo = append(j.undo, f) }

// mark is the position a later rollbackTo returns to.
func (j *journal) mark() int { return len(j.undo) }

func (j *journal) rollbackTo(mark int) {
	for i := len(j.undo) - 1; i >= mark; i-- {
		j.undo[i]()
		j.undo[i] = nil
	}
	j.undo = j.undo[:mark]
}

func (j *journal) reset() {
	clear(j.undo)
	j.undo = j.undo[:0]
}

// set writes v to *p, recording the old value.
func set[T any](j *journal, p *T, v T) {
	old := *p
	j.push(func() { *p = old })
	*p = v
}

// setKey writes m[k] = v, recording the old entry (or its absence); a
// zero amount deletes the entry, so that maps list only non-zero amounts.
func setKey[K comparable](j *journal, m map[K]Int, k K, v Int) {
	old, had := m[k]
	j.push(func() {
		if had {
			m[k] = old
		} else {
			delete(m, k)
		}
	})
	if v.IsZero() {
		delete(m, k)
	} else {
		m[k] = v
	}
}

// appendTo appends v to *s, recording the old length.
func appendTo[T any](j *journal, s *[]T, v T) {
	n := len(*s)
	j.push(func() { clear((*s)[n:]); *s = (*s)[:n] })
	*s = append(*s, v)
}
