package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/store"
)

const (
	defaultEventsLimit = 100
	maxEventsLimit     = 1000
	// replayPage is how many log records the stream reads at a time.
	replayPage = 500
)

// EventsPage is an answer of GET /v1/events: the outcomes after a seq, as
// stored in the log; next is the seq to ask after for the following page.
type EventsPage struct {
	Events []json.RawMessage `json:"events"`
	Next   uint64            `json:"next"`
	More   bool              `json:"more"`
}

// getEvents is GET /v1/events?after=SEQ&limit=N.
func (a *api) getEvents(w http.ResponseWriter, r *http.Request, _ *principal) error {
	after, err := a.cursor(r, "")
	if err != nil {
		return err
	}
	limit, err := queryLimit(r, defaultEventsLimit, maxEventsLimit)
	if err != nil {
		return err
	}
	recs, err := a.records(r.Context(), after, limit+1)
	if err != nil {
		return err
	}
	page := EventsPage{Events: []json.RawMessage{}, Next: after}
	if len(recs) > limit {
		recs, page.More = recs[:limit], true
	}
	for _, rec := range recs {
		page.Events = append(page.Events, rec.Outcome)
		page.Next = rec.Seq
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// records reads up to limit log records after seq.
func (a *api) records(ctx context.Context, after uint64, limit int) ([]store.Record, error) {
	var recs []store.Record
	err := a.n.Store().Records(ctx, after, limit, func(rec store.Record) error {
		recs = append(recs, rec)
		return nil
	})
	if err != nil {
		return nil, errorf(http.StatusServiceUnavailable, codeUnavailable, "reading the log: %v", err)
	}
	return recs, nil
}

// getEventStream is GET /v1/events/stream: Server-Sent Events, one per
// durable command (id: its seq, data: its outcome). It resumes after the
// Last-Event-ID header or ?after= (the header wins: a reconnecting
// browser sends it): first the log after that seq, then live outcomes,
// without gaps or repeats. A client too slow for the live feed is fed
// from the log again until it catches up.
func (a *api) getEventStream(w http.ResponseWriter, r *http.Request, _ *principal) error {
	after, err := a.cursor(r, r.Header.Get("Last-Event-ID"))
	if err != nil {
		return err
	}
	rc := startEventStream(w)
	if _, err := io.WriteString(w, "retry: 2000\n\n"); err != nil {
		return nil
	}
	rc.Flush()
	s := &stream{a: a, w: w, rc: rc, ctx: r.Context(), last: after}
	s.run()
	return nil
}

// cursor is the seq a read of the log starts after: lastEventID when
// given, else ?after= (default 0). A seq beyond the last one applied
// cannot come from this log and is refused.
func (a *api) cursor(r *http.Request, lastEventID string) (uint64, error) {
	after, err := queryUint(r, "after", 0)
	if err != nil {
		return 0, err
	}
	if lastEventID != "" {
		if after, err = strconv.ParseUint(lastEventID, 10, 64); err != nil {
			return 0, badRequest("Last-Event-ID %q is not a seq", lastEventID)
		}
	}
	var head uint64
	a.n.Read(func(_ *cover.Market, _, seq uint64) { head = seq })
	if after > head {
		return 0, badRequest("the cursor %d is beyond the log, whose last seq is %d", after, head)
	}
	return after, nil
}

// stream is one client of the event stream; last is the seq it has.
type stream struct {
	a    *api
	w    http.ResponseWriter
	rc   *http.ResponseController
	ctx  context.Context
	last uint64
}

// run alternates: subscribe, catch up from the log, follow the live feed
// until it is dropped (the client fell behind), and again; it ends when
// the client goes or the node stops.
func (s *stream) run() {
	heartbeat := time.NewTicker(s.a.opt.Heartbeat)
	defer heartbeat.Stop()
	for nodeUp(s.a.n) == nil {
		// Subscribe first, then read the log: whatever becomes durable
		// after the read is in the feed; what is in both is skipped.
		events, cancel := s.a.n.Events()
		if !s.catchUp() {
			cancel()
			return
		}
		live := s.follow(events, heartbeat.C)
		cancel()
		if !live {
			return
		}
	}
}

// catchUp sends every logged outcome after s.last; false when the stream
// must end.
func (s *stream) catchUp() bool {
	for {
		recs, err := s.a.records(s.ctx, s.last, replayPage)
		if err != nil {
			return false
		}
		for _, rec := range recs {
			if !s.send(rec.Seq, rec.Outcome) {
				return false
			}
		}
		if len(recs) < replayPage {
			return true
		}
	}
}

// follow sends live outcomes; it returns true when the feed was dropped
// (resubscribe and catch up) and false when the stream must end.
func (s *stream) follow(events <-chan Outcome, heartbeat <-chan time.Time) bool {
	for {
		select {
		case <-s.ctx.Done():
			return false
		case <-heartbeat:
			if !sendHeartbeat(s.w, s.rc) {
				return false
			}
		case out, ok := <-events:
			if !ok {
				return true
			}
			if out.Seq <= s.last {
				continue
			}
			if out.Seq > s.last+1 && !s.catchUp() { // never expected: fill from the log
				return false
			}
			if out.Seq <= s.last {
				continue
			}
			data, _ := json.Marshal(out)
			if !s.send(out.Seq, data) {
				return false
			}
		}
	}
}

func (s *stream) send(seq uint64, data []byte) bool {
	if !sendEvent(s.w, s.rc, seq, "outcome", data) {
		return false
	}
	s.last = seq
	return true
}

// queryUint parses an optional non-negative integer query parameter.
func queryUint(r *http.Request, name string, def uint64) (uint64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, badRequest("%s %q is not a non-negative integer", name, s)
	}
	return v, nil
}

// queryLimit parses the optional ?limit=N of a paged read: def when
// absent, and from 1 to most.
func queryLimit(r *http.Request, def, most uint64) (int, error) {
	limit, err := queryUint(r, "limit", def)
	if err != nil {
		return 0, err
	}
	if limit < 1 || limit > most {
		return 0, badRequest("limit must be between 1 and %d", most)
	}
	return int(limit), nil
}
