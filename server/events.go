package server

import "sync"

// broker keeps the latest outcomes in one ring that every subscriber
// reads, so that a subscriber costs a cursor and a wake-up channel
// whatever the traffic, and never holds up the writer. A subscriber that
// falls more than the ring behind has lost outcomes from it (Feed.After
// says so) and must read them from the log.
type broker struct {
	mu sync.Mutex
	// ring holds the outcomes last−len(ring)+1 … last, outcome s at
	// (s − base) mod feedRing; it grows to feedRing and then wraps.
	ring       []Outcome
	base, last uint64
	subs       map[*Feed]struct{}
	closed     bool
}

// feedRing is how many outcomes the broker keeps: more than the largest
// batch the writer commits at once (Options.MaxBatch, 4096 by default),
// so that a subscriber reading at once never misses any.
const feedRing = 8192

func newBroker() *broker { return &broker{subs: map[*Feed]struct{}{}} }

// Feed is a subscription to the outcomes of commands as they become
// durable: Wake says when there are new ones, After reads them.
type Feed struct {
	b    *broker
	wake chan struct{}
}

func (b *broker) subscribe() *Feed {
	f := &Feed{b: b, wake: make(chan struct{}, 1)}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		close(f.wake)
		return f
	}
	b.subs[f] = struct{}{}
	return f
}

// Wake receives a value when outcomes were published since it last did,
// and is closed when the node closes.
func (f *Feed) Wake() <-chan struct{} { return f.wake }

// After returns, in order, up to most of the outcomes with a seq above
// seq that the broker still holds; missed reports that some right after
// seq are no longer held (the subscriber fell more than the ring behind:
// read them from the log).
func (f *Feed) After(seq uint64, most int) (outs []Outcome, missed bool) {
	b := f.b
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.ring) == 0 || seq >= b.last {
		return nil, false
	}
	if oldest := b.last - uint64(len(b.ring)) + 1; seq+1 < oldest {
		return nil, true
	}
	n := min(b.last-seq, uint64(most))
	outs = make([]Outcome, 0, n)
	for s := seq + 1; s <= seq+n; s++ {
		outs = append(outs, b.ring[(s-b.base)%feedRing])
	}
	return outs, false
}

// Close ends the subscription.
func (f *Feed) Close() {
	b := f.b
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.subs[f]; ok {
		delete(b.subs, f)
		close(f.wake)
	}
}

// publish adds outcomes, in seq order, and wakes every subscriber.
func (b *broker) publish(outs ...Outcome) {
	if len(outs) == 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, out := range outs {
		if len(b.ring) > 0 && out.Seq != b.last+1 { // never expected: start over
			b.ring = b.ring[:0]
		}
		if len(b.ring) == 0 {
			b.base = out.Seq
		}
		if len(b.ring) < feedRing {
			b.ring = append(b.ring, out)
		} else {
			b.ring[(out.Seq-b.base)%feedRing] = out
		}
		b.last = out.Seq
	}
	for f := range b.subs {
		select {
		case f.wake <- struct{}{}:
		default: // woken already
		}
	}
}

func (b *broker) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	for f := range b.subs {
		delete(b.subs, f)
		close(f.wake)
	}
}
