package swap

// journal records how to undo each write of the command being applied, so
// that a failing command leaves the market exactly as it found it. Dry
// runs (quotes, route choice) roll back to a mark inside a command.
type journal struct {
	undo []func()
	// pairs are pair states saved whole (inline, so that saving a pair
	// allocates nothing); they restore independently of undo.
	pairs []savedPair
}

type savedPair struct {
	p     *pair
	state pairState
}

// mark is a position of the journal that rollbackTo returns to.
type mark struct{ undo, pairs int }

func (j *journal) push(f func()) { j.undo = append(j.undo, f) }

// savePair records p's scalar state.
func (j *journal) savePair(p *pair) { j.pairs = append(j.pairs, savedPair{p, p.pairState}) }

func (j *journal) mark() mark { return mark{len(j.undo), len(j.pairs)} }

func (j *journal) rollbackTo(m mark) {
	for i := len(j.undo) - 1; i >= m.undo; i-- {
		j.undo[i]()
		j.undo[i] = nil
	}
	j.undo = j.undo[:m.undo]
	for i := len(j.pairs) - 1; i >= m.pairs; i-- {
		j.pairs[i].p.pairState = j.pairs[i].state
		j.pairs[i] = savedPair{}
	}
	j.pairs = j.pairs[:m.pairs]
}

// forget drops every entry without undoing it.
func (j *journal) forget() {
	clear(j.undo)
	j.undo = j.undo[:0]
	clear(j.pairs)
	j.pairs = j.pairs[:0]
}

// set writes v to *p, recording the old value.
func set[T any](j *journal, p *T, v T) {
	old := *p
	j.push(func() { *p = old })
	*p = v
}

// setKey writes m[k] = v, recording the old entry; a zero amount deletes
// the entry, so that maps list only non-zero amounts.
func setKey[K comparable](j *journal, m map[K]Int, k K, v Int) {
	old := m[k]
	j.push(func() { putAmount(m, k, old) })
	putAmount(m, k, v)
}

// putAmount stores m[k] = v, deleting the entry when v is zero.
func putAmount[K comparable](m map[K]Int, k K, v Int) {
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
