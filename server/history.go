package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/scenario"
	"github.com/vpool/vpool/store"
)

// HistoryPoint is a pool as it stood after a command (or, while the
// market is idle, at a later time): utilization and premium rate in ray
// percent, covered capital and liquidity in base units.
type HistoryPoint struct {
	Seq            uint64 `json:"seq"`
	At             uint64 `json:"at"`
	Utilization    string `json:"utilization"`
	PremiumRate    string `json:"premiumRate"`
	CoveredCapital string `json:"coveredCapital"`
	TotalLiquidity string `json:"totalLiquidity"`
}

const (
	// maxHistoryPoints bounds a pool's series: when full, every other
	// point is dropped, so the series always spans the whole history.
	maxHistoryPoints = 600
	// historySampleEvery is the shortest time between two live samples.
	historySampleEvery = 250 * time.Millisecond
	// historyIdleSample is how often an idle market is sampled: expiring
	// cover moves utilization without any command.
	historyIdleSample = 30 * time.Second
	// historyWait bounds how long a request waits for the backfill.
	historyWait = 10 * time.Second
)

// history keeps each pool's and each swap pair's series. It starts on
// the first request that needs it: it replays the log from the latest
// snapshot into private markets, sampling every pool and pair after each
// command, then samples the live markets as commands become durable.
type history struct {
	once       sync.Once
	backfilled chan struct{}

	mu     sync.Mutex
	series map[int][]HistoryPoint
	pairs  map[int][]PairPoint
}

func newHistory() *history {
	return &history{backfilled: make(chan struct{}), series: map[int][]HistoryPoint{}, pairs: map[int][]PairPoint{}}
}

// start runs the history of node n, once.
func (h *history) start(n *Node, log *slog.Logger) {
	h.once.Do(func() { go h.run(n, log) })
}

func (h *history) run(n *Node, log *slog.Logger) {
	// Subscribe before reading the seq: whatever follows it is sampled live.
	feed := n.Events()
	defer feed.Close()
	var through uint64
	n.Read(func(_ *cover.Market, _, seq uint64) { through = seq })
	if err := h.backfill(n, through); err != nil {
		log.Warn("history: replaying the log", "err", err)
	}
	close(h.backfilled)
	h.follow(n, feed)
}

// backfill replays the log from the latest snapshot through seq through,
// sampling every pool after each command.
func (h *history) backfill(n *Node, through uint64) error {
	ctx := context.Background()
	shadow := &Node{store: n.Store(), log: slog.New(slog.DiscardHandler)}
	if _, err := shadow.loadSnapshot(ctx); err != nil {
		return err
	}
	if shadow.seq > 0 {
		h.sample(shadow.e, shadow.lastAt, shadow.seq)
	}
	err := n.Store().Records(ctx, shadow.seq, 0, func(r store.Record) error {
		if r.Seq > through {
			return errEnough
		}
		if _, err := shadow.replay(r); err != nil {
			return err
		}
		h.sample(shadow.e, r.At, r.Seq)
		return nil
	})
	if errors.Is(err, errEnough) {
		return nil
	}
	return err
}

// follow samples the live market after commands (at most every
// historySampleEvery) and while idle, until the node closes.
func (h *history) follow(n *Node, feed *Feed) {
	tick := time.NewTicker(historySampleEvery)
	defer tick.Stop()
	pending, last := true, time.Now()
	for {
		select {
		case _, ok := <-feed.Wake():
			if !ok { // the node closed
				return
			}
			pending = true
		case <-tick.C:
			if nodeUp(n) != nil {
				return
			}
			if pending || time.Since(last) >= historyIdleSample {
				n.ReadEngines(func(e *scenario.Engines, now, seq uint64) { h.sample(e, now, seq) })
				pending, last = false, time.Now()
			}
		}
	}
}

// sample records every pool and pair of e at time at, after command seq,
// where it changed since its last point.
func (h *history) sample(e *scenario.Engines, at, seq uint64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	m := e.Cover
	for id := range m.Counts().Pools {
		v, err := m.PoolAt(id, at)
		if err != nil {
			continue
		}
		pt := HistoryPoint{Seq: seq, At: at, Utilization: v.Utilization, PremiumRate: v.PremiumRate,
			CoveredCapital: v.CoveredCapital, TotalLiquidity: v.TotalLiquidity}
		h.series[id] = record(h.series[id], pt, func(last HistoryPoint) bool {
			last.Seq, last.At = seq, at
			return last == pt
		})
	}
	for id := range e.Swap.Pairs() {
		pt := pairPoint(e, id, at, seq)
		h.pairs[id] = record(h.pairs[id], pt, func(last PairPoint) bool {
			last.Seq, last.At = seq, at
			return last == pt
		})
	}
}

// record appends pt to s unless unchanged says s's last point is the
// same but for its seq and time; a full series is thinned first.
func record[T any](s []T, pt T, unchanged func(last T) bool) []T {
	if len(s) > 0 && unchanged(s[len(s)-1]) {
		return s
	}
	if len(s) >= maxHistoryPoints {
		s = thin(s)
	}
	return append(s, pt)
}

// thin keeps every other point of s, and its last.
func thin[T any](s []T) []T {
	last := s[len(s)-1]
	out := s[:0]
	for i := 0; i < len(s)-1; i += 2 {
		out = append(out, s[i])
	}
	return append(out, last)
}

// points returns a copy of pool id's series.
func (h *history) points(id int) []HistoryPoint {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]HistoryPoint{}, h.series[id]...)
}

// pairPoints returns a copy of pair id's series.
func (h *history) pairPoints(id int) []PairPoint {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]PairPoint{}, h.pairs[id]...)
}

// PoolHistory is the answer of GET /v1/pools/{id}/history.
type PoolHistory struct {
	Pool   int            `json:"pool"`
	Points []HistoryPoint `json:"points"`
}

// getPoolHistory is GET /v1/pools/{id}/history: the pool's series in h,
// once the log has been replayed (the first request waits for it).
func (a *api) getPoolHistory(w http.ResponseWriter, r *http.Request, h *history) error {
	return a.writeHistory(w, r, h, func(e *scenario.Engines, id int, now uint64) error {
		_, err := e.Cover.PoolAt(id, now)
		return err
	}, func(id int) any { return PoolHistory{Pool: id, Points: h.points(id)} })
}

// writeHistory answers series(id) of the object {id} of the path once h
// has replayed the log; exists fails, with the engine's error, for an id
// that names nothing.
func (a *api) writeHistory(w http.ResponseWriter, r *http.Request, h *history,
	exists func(e *scenario.Engines, id int, now uint64) error, series func(id int) any) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.readEngines(w, false, func(e *scenario.Engines, now uint64) error {
		if err := exists(e, id, now); err != nil {
			return engineError(err)
		}
		return nil
	}); err != nil {
		return err
	}
	if err := a.awaitHistory(r, h); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, series(id))
	return nil
}

// awaitHistory starts h and waits for its backfill (at most historyWait).
func (a *api) awaitHistory(r *http.Request, h *history) error {
	h.start(a.n, a.log)
	select {
	case <-h.backfilled:
		return nil
	case <-time.After(historyWait):
		return errorf(http.StatusServiceUnavailable, codeUnavailable, "the history is still being built; ask again")
	case <-r.Context().Done():
		return r.Context().Err()
	}
}
