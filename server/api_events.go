package server

import (
	"context"
	"encoding/json"
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
// without gaps or repeats. A client that falls more than the live feed's
// ring behind is closed; reconnecting with Last-Event-ID resumes it from
// the log, losing nothing.
func (a *api) getEventStream(w http.ResponseWriter, r *http.Request, _ *principal) error {
	after, err := a.cursor(r, r.Header.Get("Last-Event-ID"))
	if err != nil {
		return err
	}
	// Subscribe first, then read the log: whatever becomes durable after
	// the read is in the feed; what is in both is skipped.
	feed := a.n.Events()
	defer feed.Close()
	s := &stream{a: a, es: a.startEventStream(w), ctx: r.Context(), last: after}
	if s.es.write("retry: 2000\n\n") && s.catchUp() {
		s.follow(feed)
	}
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
	es   *eventStream
	ctx  context.Context
	last uint64
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

// follow sends live outcomes from feed, and heartbeats while idle, until
// the client goes, the node closes or the client falls behind.
func (s *stream) follow(feed *Feed) {
	heartbeat := time.NewTicker(s.a.opt.Heartbeat)
	defer heartbeat.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-heartbeat.C:
			if !s.es.heartbeat() {
				return
			}
		case _, ok := <-feed.Wake():
			if !ok || !s.sendLive(feed) {
				return
			}
		}
	}
}

// sendLive sends what feed holds after s.last; false when the stream
// must end. A client the feed no longer holds outcomes for is too far
// behind: the stream ends, and the client resumes from the log.
func (s *stream) sendLive(feed *Feed) bool {
	for {
		outs, missed := feed.After(s.last, replayPage)
		if missed {
			s.es.write(": too far behind the live feed: reconnect with Last-Event-ID to resume from the log\n\n")
			return false
		}
		if len(outs) == 0 {
			return true
		}
		for _, out := range outs {
			data, _ := json.Marshal(out)
			if !s.send(out.Seq, data) {
				return false
			}
		}
	}
}

func (s *stream) send(seq uint64, data []byte) bool {
	if !s.es.event(seq, "outcome", data) {
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
