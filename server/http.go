package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// HandlerOptions configure the HTTP API.
type HandlerOptions struct {
	// Dev allows the admin-only mint op (test and demo markets).
	Dev bool
	// Logger receives request logs; nil discards them.
	Logger *slog.Logger
	// Metrics is where the handler records requests and exposes
	// /metrics. The serve command makes it first with NewMetrics, so that
	// its OnCommit can be the node's Options.OnCommit; nil makes a new one
	// (then the commit metrics stay empty).
	Metrics *Metrics
	// MaxBodyBytes caps a request body (default 1 MiB): larger is 413.
	MaxBodyBytes int64
	// MaxCommands caps the commands of one POST /v1/commands (default 1000).
	MaxCommands int
	// KeyCacheTTL is how long an authenticated key is remembered before it
	// is looked up in the store again (default 500ms, so that a key revoked
	// by `vpool keys revoke` stops working within a second; negative:
	// never cached).
	KeyCacheTTL time.Duration
	// Heartbeat is the interval of comment lines on an idle event stream,
	// which keep proxies from closing it (default 15s). A stream client
	// that takes nothing for two heartbeats is cut off.
	Heartbeat time.Duration
	// MaxStreams caps the event streams open at once (default 1000), and
	// MaxStreamsPerKey those of one key (default 8): one more is 429
	// too_many_streams.
	MaxStreams, MaxStreamsPerKey int
	// Shutdown, once done, ends every event stream, so that connected
	// clients do not hold a graceful shutdown up (nil: never).
	Shutdown context.Context
	// MinSeqWait is how long a request with ?minSeq= waits for the node
	// to reach it (default 5s).
	MinSeqWait time.Duration
}

const (
	defaultMaxBodyBytes = 1 << 20
	defaultMaxCommands  = 1000
	defaultKeyCacheTTL  = 500 * time.Millisecond
	defaultHeartbeat    = 15 * time.Second
)

// The HTTP-level error codes; engine failures carry the engine's codes
// (docs/scenario.md).
const (
	codeUnauthorized     = "unauthorized"
	codeForbidden        = "forbidden"
	codeNotFound         = "not_found"
	codeMethodNotAllowed = "method_not_allowed"
	codeBodyTooLarge     = "body_too_large"
	codeUnavailable      = "unavailable"
	codeInternal         = "internal"
	codeInvalidArgument  = "invalid_argument"
)

// apiError is a request the API refuses: an HTTP status and a stable code.
type apiError struct {
	Status  int
	Code    string
	Message string
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func errorf(status int, code, format string, args ...any) *apiError {
	return &apiError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

func badRequest(format string, args ...any) *apiError {
	return errorf(http.StatusBadRequest, codeInvalidArgument, format, args...)
}

func forbidden(format string, args ...any) *apiError {
	return errorf(http.StatusForbidden, codeForbidden, format, args...)
}

// errorBody is every error answer: {"error": code, "message": text}.
type errorBody struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

// api is the state shared by the handlers of one NewHandler.
type api struct {
	n       *Node
	opt     HandlerOptions
	log     *slog.Logger
	keys    *authenticator
	metrics *Metrics
	owners  *ownerIndex
	streams *streamSlots
	// answers holds the encoded pool, cover and position answers of the
	// latest (seq, now).
	answers answerCache
	routes  []route
	mux     *http.ServeMux
	// registered lists every pattern given to mux (checked against the
	// OpenAPI document by the tests).
	registered []string
	docOnce    sync.Once
	doc        []byte
}

// NewHandler returns the HTTP API of node n: the routes under /v1, the
// OpenAPI document, health, readiness and metrics. Every route is in the
// table of http_routes.go, which both registers and documents it.
func NewHandler(n *Node, opt HandlerOptions) http.Handler {
	return http.HandlerFunc(newAPI(n, opt).serve)
}

// newAPI builds the handler's state and registers its routes.
func newAPI(n *Node, opt HandlerOptions) *api {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Metrics == nil {
		opt.Metrics = NewMetrics()
	}
	if opt.MaxBodyBytes <= 0 {
		opt.MaxBodyBytes = defaultMaxBodyBytes
	}
	if opt.MaxCommands <= 0 {
		opt.MaxCommands = defaultMaxCommands
	}
	if opt.KeyCacheTTL == 0 {
		opt.KeyCacheTTL = defaultKeyCacheTTL
	}
	if opt.Heartbeat <= 0 {
		opt.Heartbeat = defaultHeartbeat
	}
	if opt.MinSeqWait <= 0 {
		opt.MinSeqWait = defaultMinSeqWait
	}
	if opt.MaxStreams <= 0 {
		opt.MaxStreams = DefaultMaxStreams
	}
	if opt.MaxStreamsPerKey <= 0 {
		opt.MaxStreamsPerKey = DefaultMaxStreamsPerKey
	}
	if opt.Shutdown == nil {
		opt.Shutdown = context.Background()
	}
	a := &api{n: n, opt: opt, log: opt.Logger, metrics: opt.Metrics, owners: newOwnerIndex(),
		keys: newAuthenticator(n.Store(), opt.KeyCacheTTL), mux: http.NewServeMux(), streams: newStreamSlots(opt.MaxStreams, opt.MaxStreamsPerKey)}
	a.metrics.attach(n)
	a.routes = a.table()
	for _, rt := range a.routes {
		a.mux.Handle(rt.pattern(), a.guard(rt))
		a.registered = append(a.registered, rt.pattern())
	}
	a.mountDashboard()
	return a
}

// serve is the outermost layer: it records the request in the metrics,
// turns the mux's own 404 and 405 answers into JSON errors, recovers from
// a handler's panic and logs the request.
func (a *api) serve(w http.ResponseWriter, r *http.Request) {
	began := time.Now()
	sw := &statusWriter{ResponseWriter: w, r: r}
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			a.log.Error("handler panic", "method", r.Method, "path", r.URL.Path, "panic", v)
			if !sw.wroteHeader {
				writeError(sw, errorf(http.StatusInternalServerError, codeInternal, "internal error"))
			}
		}
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		elapsed := time.Since(began)
		a.metrics.observeRequest(route, sw.status(), elapsed)
		level := slog.LevelDebug
		if sw.status() >= 500 {
			level = slog.LevelWarn
		}
		if a.log.Enabled(r.Context(), level) {
			a.log.Log(r.Context(), level, "request", "method", r.Method, "path", r.URL.Path, "route", route,
				"status", sw.status(), "duration_ms", float64(elapsed.Microseconds())/1000)
		}
	}()
	a.mux.ServeHTTP(sw, r)
}

// statusWriter remembers the status written, and rewrites the mux's own
// plain-text 404 and 405 answers (no route matched: r.Pattern is empty)
// into JSON errors.
type statusWriter struct {
	http.ResponseWriter
	r           *http.Request
	code        int
	wroteHeader bool
	discard     bool
}

func (w *statusWriter) WriteHeader(code int) {
	if w.wroteHeader {
		return
	}
	w.wroteHeader, w.code = true, code
	if w.r.Pattern == "" && (code == http.StatusNotFound || code == http.StatusMethodNotAllowed) {
		w.discard = true
		h := w.ResponseWriter.Header()
		h.Set("Content-Type", "application/json")
		h.Del("Content-Length")
		w.ResponseWriter.WriteHeader(code)
		body := errorBody{Error: codeNotFound, Message: "no route " + w.r.URL.Path}
		if code == http.StatusMethodNotAllowed {
			body = errorBody{Error: codeMethodNotAllowed, Message: w.r.Method + " is not allowed on " + w.r.URL.Path}
		}
		json.NewEncoder(w.ResponseWriter).Encode(body)
		return
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if w.discard {
		return len(p), nil
	}
	return w.ResponseWriter.Write(p)
}

func (w *statusWriter) status() int {
	if !w.wroteHeader {
		return http.StatusOK
	}
	return w.code
}

// Unwrap lets http.ResponseController reach the connection (flushes and
// deadlines of the event stream).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// writeJSON answers status with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		writeError(w, errorf(http.StatusInternalServerError, codeInternal, "encoding the answer: %v", err))
		return
	}
	writeBody(w, status, append(body, '\n'))
}

// writeBody answers status with an encoded JSON body. It gives the length,
// so that net/http sends a large body without chunking it.
func writeBody(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// writeError answers err as a JSON error; an error that is not an
// *apiError is a 500.
func writeError(w http.ResponseWriter, err error) {
	var e *apiError
	if !errors.As(err, &e) {
		e = errorf(http.StatusInternalServerError, codeInternal, "%v", err)
	}
	if e.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="vpool"`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.Status)
	body, _ := json.Marshal(errorBody{Error: e.Code, Message: e.Message})
	w.Write(append(body, '\n'))
}
