package server

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// The default bounds of the event streams (HandlerOptions.MaxStreams and
// MaxStreamsPerKey).
const (
	DefaultMaxStreams       = 1000
	DefaultMaxStreamsPerKey = 8
)

// codeTooManyStreams: a stream refused because its key, or the server,
// has as many open as it allows.
const codeTooManyStreams = "too_many_streams"

// streamSlots counts the open event streams, in total and per key.
type streamSlots struct {
	max, maxPerKey int

	mu     sync.Mutex
	total  int
	perKey map[string]int
}

func newStreamSlots(max, maxPerKey int) *streamSlots {
	return &streamSlots{max: max, maxPerKey: maxPerKey, perKey: map[string]int{}}
}

// take holds a slot for a stream of key, or answers 429; release gives
// it back.
func (s *streamSlots) take(key string) (release func(), err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.perKey[key] >= s.maxPerKey:
		return nil, errorf(http.StatusTooManyRequests, codeTooManyStreams,
			"this key has %d event streams open, the most one key may; close one first", s.perKey[key])
	case s.total >= s.max:
		return nil, errorf(http.StatusTooManyRequests, codeTooManyStreams,
			"the server has %d event streams open, the most it serves; try again later", s.total)
	}
	s.total++
	s.perKey[key]++
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.total--
		if s.perKey[key]--; s.perKey[key] == 0 {
			delete(s.perKey, key)
		}
	}, nil
}

// openStream prepares an authenticated request on a stream route: it
// takes one of the key's stream slots, lifts the server's read and write
// deadlines (an event stream outlives them; each of its writes has its
// own, see eventStream) and ends the request's context when
// HandlerOptions.Shutdown is done, so that live clients do not hold
// shutdown up. done releases the slot. A stream request has no body.
func (a *api) openStream(w http.ResponseWriter, r *http.Request, p *principal) (_ *http.Request, done func(), err error) {
	if hasBody(r) {
		return r, nil, badRequest("an event stream request has no body")
	}
	release, err := a.streams.take(p.KeyID)
	if err != nil {
		w.Header().Set("Retry-After", "5")
		return r, nil, err
	}
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Time{})
	rc.SetWriteDeadline(time.Time{})
	ctx, cancel := context.WithCancel(r.Context())
	stop := context.AfterFunc(a.opt.Shutdown, cancel)
	return r.WithContext(ctx), func() { stop(); cancel(); release() }, nil
}

// hasBody says whether r announces a body.
func hasBody(r *http.Request) bool {
	return r.ContentLength != 0 && r.Body != nil && r.Body != http.NoBody
}

// refuse answers err to a request refused before its handler read the
// body. A request that announced a body is answered at once and its
// connection closed without reading the body: net/http would otherwise
// read it (up to the read deadline) to reuse the connection, and a body
// that never comes would hold the connection and a graceful shutdown.
func refuse(w http.ResponseWriter, r *http.Request, err error) {
	if hasBody(r) {
		w.Header().Set("Connection", "close")
		defer http.NewResponseController(w).SetReadDeadline(time.Now())
	}
	writeError(w, err)
}
