package cover

// journal records how to undo each write of the command being applied, so
// that a failing command leaves the market exactly as it found it. The
// writes every command makes (ledger entries, amounts and indexes, pool
// time grids, position bookmarks, covers and the cover list, ticks) are
// recorded as typed values in their own stacks, the rest as closures;
// order lists the kind of every write, so that rollback undoes them all in
// reverse order. Nothing is allocated once the stacks have grown.
type journal struct {
	order []undoKind
	funcs []func()
	ints  []intUndo
	u64s  []u64Undo
	lps   []lpUndo
	books []bookUndo
	named []namedUndo
	pools []poolUndo
	cover []coverUndo
	added []addedUndo
	ticks []tickUndo
}

type undoKind uint8

const (
	undoFunc undoKind = iota
	undoInt
	undoU64
	undoLP
	undoBook
	undoNamed
	undoPool
	undoCover
	undoAdded
	undoTick
)

type intUndo struct {
	p   *Int
	old Int
}

type u64Undo struct {
	p   *uint64
	old uint64
}

type lpUndo struct {
	p   *LPInfo
	old LPInfo
}

// bookUndo and namedUndo restore a balance or a per-asset book entry (or
// its absence).
type bookUndo struct {
	m   map[holding]Int
	k   holding
	old Int
	had bool
}

type namedUndo struct {
	m   map[string]Int
	k   string
	old Int
	had bool
}

type poolUndo struct {
	p         *Pool
	slot0     Slot0
	liquidity Int
}

type coverUndo struct {
	cv  *Cover
	old Cover
}

// addedUndo cuts a cover list back to its length n before an append.
type addedUndo struct {
	s *[]*Cover
	n int
}

type tickUndo struct {
	p   *Pool
	t   uint32
	old Int
}

func (j *journal) push(f func()) {
	j.funcs = append(j.funcs, f)
	j.order = append(j.order, undoFunc)
}

func (j *journal) rollback() {
	for i := len(j.order) - 1; i >= 0; i-- {
		switch j.order[i] {
		case undoFunc:
			pop(&j.funcs)()
		case undoInt:
			u := pop(&j.ints)
			*u.p = u.old
		case undoU64:
			u := pop(&j.u64s)
			*u.p = u.old
		case undoLP:
			u := pop(&j.lps)
			*u.p = u.old
		case undoBook:
			u := pop(&j.books)
			restoreKey(u.m, u.k, u.old, u.had)
		case undoNamed:
			u := pop(&j.named)
			restoreKey(u.m, u.k, u.old, u.had)
		case undoPool:
			u := pop(&j.pools)
			u.p.Slot0, u.p.Liquidity = u.slot0, u.liquidity
		case undoCover:
			u := pop(&j.cover)
			*u.cv = u.old
		case undoAdded:
			u := pop(&j.added)
			clear((*u.s)[u.n:])
			*u.s = (*u.s)[:u.n]
		case undoTick:
			u := pop(&j.ticks)
			u.p.ticks.set(u.t, u.old)
		}
	}
	j.reset()
}

// pop removes and returns the last element of *s.
func pop[T any](s *[]T) T {
	n := len(*s) - 1
	v := (*s)[n]
	*s = (*s)[:n]
	return v
}

// reset forgets the writes (clearing what the stacks point to).
func (j *journal) reset() {
	j.order = j.order[:0]
	j.funcs = cleared(j.funcs)
	j.ints = cleared(j.ints)
	j.u64s = cleared(j.u64s)
	j.lps = cleared(j.lps)
	j.books = cleared(j.books)
	j.named = cleared(j.named)
	j.pools = cleared(j.pools)
	j.cover = cleared(j.cover)
	j.added = cleared(j.added)
	j.ticks = cleared(j.ticks)
}

func cleared[T any](s []T) []T {
	clear(s)
	return s[:0]
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
	m.j.pools = append(m.j.pools, poolUndo{p, p.Slot0, p.Liquidity})
	m.j.order = append(m.j.order, undoPool)
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
	m.j.cover = append(m.j.cover, coverUndo{cv, *cv})
	m.j.order = append(m.j.order, undoCover)
}

// set writes v to *p, recording the old value.
func set[T any](j *journal, p *T, v T) {
	switch q := any(p).(type) {
	case *Int:
		j.ints = append(j.ints, intUndo{q, *q})
		j.order = append(j.order, undoInt)
	case *uint64:
		j.u64s = append(j.u64s, u64Undo{q, *q})
		j.order = append(j.order, undoU64)
	case *LPInfo:
		j.lps = append(j.lps, lpUndo{q, *q})
		j.order = append(j.order, undoLP)
	default:
		old := *p
		j.push(func() { *p = old })
	}
	*p = v
}

// setKey writes m[k] = v, recording the old entry (or its absence).
func setKey[K comparable, V any](j *journal, m map[K]V, k K, v V) {
	old, had := m[k]
	writeKey(j, m, k, old, had, v)
}

// writeKey is setKey for a caller that has read m[k] already: old, had.
func writeKey[K comparable, V any](j *journal, m map[K]V, k K, old V, had bool, v V) {
	switch b := any(m).(type) {
	case map[holding]Int:
		j.books = append(j.books, bookUndo{b, any(k).(holding), any(old).(Int), had})
		j.order = append(j.order, undoBook)
	case map[string]Int:
		j.named = append(j.named, namedUndo{b, any(k).(string), any(old).(Int), had})
		j.order = append(j.order, undoNamed)
	default:
		j.push(func() { restoreKey(m, k, old, had) })
	}
	m[k] = v
}

// restoreKey puts back m[k] as it was: old, or absent.
func restoreKey[K comparable, V any](m map[K]V, k K, old V, had bool) {
	if had {
		m[k] = old
	} else {
		delete(m, k)
	}
}

// appendTo appends v to *s, recording the old length.
func appendTo[T any](j *journal, s *[]T, v T) {
	n := len(*s)
	if covers, ok := any(s).(*[]*Cover); ok {
		j.added = append(j.added, addedUndo{covers, n})
		j.order = append(j.order, undoAdded)
	} else {
		j.push(func() { clear((*s)[n:]); *s = (*s)[:n] })
	}
	*s = append(*s, v)
}

// setTick writes the amount at tick t of p's tick line, recording the old.
func (j *journal) setTick(p *Pool, t uint32, a Int) {
	j.ticks = append(j.ticks, tickUndo{p, t, p.ticks.at(t)})
	j.order = append(j.order, undoTick)
	p.ticks.set(t, a)
}
