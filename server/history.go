package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/vpool/vpool/cover"
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

// history keeps each pool's series. It starts on the first request that
// needs it: it replays the log from the latest snapshot into a private
// market, sampling every pool after each command, then samples the live
// market as commands become durable.
type history struct {
	once       sync.Once
	backfilled chan struct{}

	mu     sync.Mutex
	series map[int][]HistoryPoint
}

func newHistory() *history {
	return &history{backfilled: make(chan struct{}), series: map[int][]HistoryPoint{}}
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
		log.Warn("pool history: replaying the log", "err", err)
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
		h.sample(shadow.m, shadow.lastAt, shadow.seq)
	}
	err := n.Store().Records(ctx, shadow.seq, 0, func(r store.Record) error {
		if r.Seq > through {
			return errEnough
		}
		if _, err := shadow.replay(r); err != nil {
			return err
		}
		h.sample(shadow.m, r.At, r.Seq)
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
				n.Read(func(m *cover.Market, now, seq uint64) { h.sample(m, now, seq) })
				pending, last = false, time.Now()
			}
		}
	}
}

// sample records every pool of m at time at, after command seq, where it
// changed since its last point.
func (h *history) sample(m *cover.Market, at, seq uint64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for id := range m.Counts().Pools {
		v, err := m.PoolAt(id, at)
		if err != nil {
			continue
		}
		pt := HistoryPoint{Seq: seq, At: at, Utilization: v.Utilization, PremiumRate: v.PremiumRate,
			CoveredCapital: v.CoveredCapital, TotalLiquidity: v.TotalLiquidity}
		s := h.series[id]
		if k := len(s); k > 0 {
			prev := s[k-1]
			prev.Seq, prev.At = seq, at
			if prev == pt {
				continue
			}
		}
		if len(s) >= maxHistoryPoints {
			s = thin(s)
		}
		h.series[id] = append(s, pt)
	}
}

// thin keeps every other point of s, and its last.
func thin(s []HistoryPoint) []HistoryPoint {
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

// PoolHistory is the answer of GET /v1/pools/{id}/history.
type PoolHistory struct {
	Pool   int            `json:"pool"`
	Points []HistoryPoint `json:"points"`
}

// getPoolHistory is GET /v1/pools/{id}/history: the pool's series in h,
// once the log has been replayed (the first request waits for it).
func (a *api) getPoolHistory(w http.ResponseWriter, r *http.Request, h *history) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.read(w, func(m *cover.Market, now uint64) error {
		if _, err := m.PoolAt(id, now); err != nil {
			return engineError(err)
		}
		return nil
	}); err != nil {
		return err
	}
	h.start(a.n, a.log)
	select {
	case <-h.backfilled:
	case <-time.After(historyWait):
		return errorf(http.StatusServiceUnavailable, codeUnavailable, "the pool history is still being built; ask again")
	case <-r.Context().Done():
		return r.Context().Err()
	}
	writeJSON(w, http.StatusOK, PoolHistory{Pool: id, Points: h.points(id)})
	return nil
}
