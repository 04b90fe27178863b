package server

import (
	"encoding/json"
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
	feed := a.n.Events()
	defer feed.Close()
	es := a.startEventStream(w)
	if !a.sendMarket(es) {
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
		case _, ok := <-feed.Wake():
			if !ok { // the node closed
				return nil
			}
			pending = true
		case <-tick.C:
			if pending || time.Since(last) >= marketStreamIdle {
				if !a.sendMarket(es) {
					return nil
				}
				pending, last = false, time.Now()
			}
		case <-heartbeat.C:
			if !es.heartbeat() {
				return nil
			}
		}
	}
}

// sendMarket writes one market event; false when the stream must end.
func (a *api) sendMarket(es *eventStream) bool {
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
	return es.event(info.Seq, "market", data)
}
