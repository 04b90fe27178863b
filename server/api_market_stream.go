package server

import (
	"encoding/json"
	"io"
	"net/http"
	"time"
)

const (
	// marketStreamEvery is the shortest time between two market events.
	marketStreamEvery = 300 * time.Millisecond
	// marketStreamIdle is how often the market is sent while no command
	// comes: views are as of now, and time alone moves them.
	marketStreamIdle = 5 * time.Second
)

// getMarketStream is GET /v1/market/stream: Server-Sent Events, each a
// `market` event whose data is the whole MarketInfo. One is sent at once,
// then one after new commands (at most every marketStreamEvery) and one
// every marketStreamIdle while idle. It names no account, so every role
// may follow it.
func (a *api) getMarketStream(w http.ResponseWriter, r *http.Request, _ *principal) error {
	rc := startEventStream(w)
	events, cancel := a.n.Events()
	defer func() { cancel() }()
	if !a.sendMarket(w, rc) {
		return nil
	}
	tick := time.NewTicker(marketStreamEvery)
	defer tick.Stop()
	heartbeat := time.NewTicker(a.opt.Heartbeat)
	defer heartbeat.Stop()
	pending, last := false, time.Now()
	for {
		select {
		case <-r.Context().Done():
			return nil
		case _, ok := <-events:
			if !ok { // dropped as too slow, or the node closed
				cancel()
				if nodeUp(a.n) != nil {
					return nil
				}
				events, cancel = a.n.Events()
			}
			pending = true
		case <-tick.C:
			if pending || time.Since(last) >= marketStreamIdle {
				if !a.sendMarket(w, rc) {
					return nil
				}
				pending, last = false, time.Now()
			}
		case <-heartbeat.C:
			if !sendHeartbeat(w, rc) {
				return nil
			}
		}
	}
}

// sendMarket writes one market event; false when the stream must end.
func (a *api) sendMarket(w io.Writer, rc *http.ResponseController) bool {
	if nodeUp(a.n) != nil {
		return false
	}
	info, err := a.market()
	if err != nil {
		a.log.Warn("market stream", "err", err)
		return false
	}
	data, err := json.Marshal(info)
	if err != nil {
		return false
	}
	return sendEvent(w, rc, info.Seq, "market", data)
}
