package server

import "sync"

// broker fans outcomes out to subscribers. A subscriber that falls more
// than its buffer behind is dropped (its channel closed), so a slow client
// never holds up the writer; it can resume from the log with ?after=SEQ.
type broker struct {
	mu     sync.Mutex
	subs   map[chan Outcome]struct{}
	closed bool
}

const subscriberBuffer = 4096

func newBroker() *broker { return &broker{subs: map[chan Outcome]struct{}{}} }

func (b *broker) subscribe() (<-chan Outcome, func()) {
	ch := make(chan Outcome, subscriberBuffer)
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		close(ch)
		return ch, func() {}
	}
	b.subs[ch] = struct{}{}
	return ch, func() { b.drop(ch) }
}

func (b *broker) drop(ch chan Outcome) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.subs[ch]; ok {
		delete(b.subs, ch)
		close(ch)
	}
}

func (b *broker) publish(out Outcome) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs {
		select {
		case ch <- out:
		default:
			delete(b.subs, ch)
			close(ch)
		}
	}
}

func (b *broker) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	for ch := range b.subs {
		delete(b.subs, ch)
		close(ch)
	}
}
