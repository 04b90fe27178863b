package server

import (
	"fmt"
	"io"
	"net/http"
	"time"
)

// eventStream is a Server-Sent Events answer being written. Its route's
// guard has lifted the server's deadlines (openStream); each write
// instead has idle to go out, so that a client that takes nothing for
// that long (it stopped reading, or is gone) is cut off.
type eventStream struct {
	w    http.ResponseWriter
	rc   *http.ResponseController
	idle time.Duration
}

// startEventStream answers 200 with a Server-Sent Events stream: no
// caching and no proxy buffering. A client that takes nothing for two
// heartbeats is cut off.
func (a *api) startEventStream(w http.ResponseWriter) *eventStream {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	return &eventStream{w: w, rc: http.NewResponseController(w), idle: 2 * a.opt.Heartbeat}
}

// write sends text and flushes it; false when the client is gone or
// took nothing for s.idle.
func (s *eventStream) write(text string) bool {
	s.rc.SetWriteDeadline(time.Now().Add(s.idle)) // not supported by a recorder in tests: no deadline
	if _, err := io.WriteString(s.w, text); err != nil {
		return false
	}
	return s.rc.Flush() == nil
}

// event writes one event (id: seq, event: name, data: data).
func (s *eventStream) event(seq uint64, name string, data []byte) bool {
	return s.write(fmt.Sprintf("id: %d\nevent: %s\ndata: %s\n\n", seq, name, data))
}

// heartbeat writes a comment line that keeps idle connections open.
func (s *eventStream) heartbeat() bool { return s.write(": heartbeat\n\n") }
