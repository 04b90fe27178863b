package server

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"strings"

	"github.com/vpool/vpool/web"
)

// dashboardCSP allows the page its own files and API only: no inline
// script, no other origin, no framing.
const dashboardCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// mountDashboard registers the web dashboard (package web) on the mux:
// GET / is its page and GET /ui/… its files. They are not API routes and
// need no key (the page asks for one and keeps it in the browser's
// session storage), so they are not in the OpenAPI document.
func (a *api) mountDashboard() {
	files := web.FS()
	etags := map[string]string{}
	fs.WalkDir(files, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, err := fs.ReadFile(files, path); err == nil {
				sum := sha256.Sum256(b)
				etags[path] = `"` + hex.EncodeToString(sum[:8]) + `"`
			}
		}
		return nil
	})
	headers := func(w http.ResponseWriter, path string) {
		h := w.Header()
		h.Set("Content-Security-Policy", dashboardCSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-cache")
		if tag, ok := etags[path]; ok {
			h.Set("ETag", tag)
		}
	}
	a.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		headers(w, "index.html")
		http.ServeFileFS(w, r, files, "index.html")
	})
	static := http.StripPrefix("/ui/", http.FileServerFS(files))
	a.mux.HandleFunc("GET /ui/", func(w http.ResponseWriter, r *http.Request) {
		path := strings.TrimPrefix(r.URL.Path, "/ui/")
		if _, ok := etags[path]; !ok { // no directory listings
			writeError(w, errorf(http.StatusNotFound, codeNotFound, "no file %s", r.URL.Path))
			return
		}
		headers(w, path)
		static.ServeHTTP(w, r)
	})
}
