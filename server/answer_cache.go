package server

import "sync"

// answerKey names one cacheable read: a kind and an object id.
type answerKey struct {
	kind answerKind
	id   int
}

// answerKind is the route a cached answer belongs to.
type answerKind uint8

const (
	answerPoolList answerKind = iota
	answerPool
	answerCover
	answerPosition
)

// answer is an encoded read with the account that owns its object ("" for
// pools, which every key may read). The owner travels with the bytes so
// that each request is authorized against it, cached or not.
type answer struct {
	body  []byte
	owner string
}

// answerCache keeps the encoded answers of one (seq, now). A view is a
// function of (seq, now) alone, so an answer cached for them is the answer
// for every request made at them; a newer (seq, now) replaces them all.
type answerCache struct {
	mu       sync.Mutex
	seq, now uint64
	answers  map[answerKey]answer
}

// maxCachedAnswers bounds the answers cached for one (seq, now).
const maxCachedAnswers = 8192

func (c *answerCache) get(seq, now uint64, k answerKey) (answer, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.answers == nil || c.seq != seq || c.now != now {
		return answer{}, false
	}
	a, ok := c.answers[k]
	return a, ok
}

func (c *answerCache) put(seq, now uint64, k answerKey, a answer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.answers == nil:
		c.answers = map[answerKey]answer{}
		c.seq, c.now = seq, now
	case seq > c.seq || seq == c.seq && now > c.now:
		clear(c.answers)
		c.seq, c.now = seq, now
	case seq != c.seq || now != c.now:
		return // older than what is cached
	}
	if len(c.answers) < maxCachedAnswers {
		c.answers[k] = a
	}
}
