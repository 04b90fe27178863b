package cover

import (
	"math"
	"slices"
)

// tickLine holds the cover amount expiring at each tick and the set of
// initialized ticks (spec §4.1). A tick is initialized exactly while its
// amount is non-zero; the sorted slice stands in for the 256-bit bitmap
// words and answers next() in O(log n).
type tickLine struct {
	amount map[uint32]Int
	inited []uint32
	gen    uint64 // counts the sets, so that a kept walk sees a change
}

func newTickLine() tickLine { return tickLine{amount: map[uint32]Int{}} }

// next is next(t) of spec §4.1: the lowest initialized tick in the word of
// t+1 at or after t+1, else the last tick of that word, not initialized.
func (l *tickLine) next(t uint64) (n uint64, initialized bool) {
	from := t + 1
	word := from >> 8
	if i := l.firstAtOrAfter(from); i < len(l.inited) && uint64(l.inited[i])>>8 == word {
		return uint64(l.inited[i]), true
	}
	return word<<8 | 255, false
}

// emptyWordsAfter counts the whole 256-tick words that follow tick t (which
// ends a word) before the word of the next initialized tick; MaxUint64
// when no initialized tick lies ahead.
func (l *tickLine) emptyWordsAfter(t uint64) uint64 {
	i := l.firstAtOrAfter(t + 1)
	if i == len(l.inited) {
		return math.MaxUint64
	}
	return uint64(l.inited[i])>>8 - (t+1)>>8
}

func (l *tickLine) firstAtOrAfter(t uint64) int {
	if t > math.MaxUint32 {
		return len(l.inited)
	}
	i, _ := slices.BinarySearch(l.inited, uint32(t))
	return i
}

// at returns the amount registered at tick t.
func (l *tickLine) at(t uint32) Int { return l.amount[t] }

// set stores the amount at tick t; a non-zero amount initializes the tick
// and zero clears it.
func (l *tickLine) set(t uint32, a Int) {
	l.gen++
	i, found := slices.BinarySearch(l.inited, t)
	if a.IsZero() {
		if found {
			l.inited = slices.Delete(l.inited, i, i+1)
		}
		delete(l.amount, t)
		return
	}
	if !found {
		l.inited = slices.Insert(l.inited, i, t)
	}
	l.amount[t] = a
}
