package server

import (
	"fmt"
	"io"
	"net/http"
	"time"
)

// startEventStream answers 200 with a Server-Sent Events stream: no write
// deadline (a stream outlives the server's write timeout), no caching and
// no proxy buffering. Events go out with sendEvent.
func startEventStream(w http.ResponseWriter) *http.ResponseController {
	rc := http.NewResponseController(w)
	rc.SetWriteDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	return rc
}

// sendEvent writes one event (id: seq, event: name, data: data) and
// flushes it; false when the client is gone.
func sendEvent(w io.Writer, rc *http.ResponseController, seq uint64, name string, data []byte) bool {
	if _, err := fmt.Fprintf(w, "id: %d\nevent: %s\ndata: %s\n\n", seq, name, data); err != nil {
		return false
	}
	return rc.Flush() == nil
}

// sendHeartbeat writes a comment line that keeps idle connections open;
// false when the client is gone.
func sendHeartbeat(w io.Writer, rc *http.ResponseController) bool {
	_, err := io.WriteString(w, ": heartbeat\n\n")
	return err == nil && rc.Flush() == nil
}
