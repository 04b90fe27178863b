package server

import (
	"net/http"
	"strconv"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/scenario"
)

// stateHeaders says which state an answer reflects: the seq of the last
// command applied and the time the views are computed at.
func stateHeaders(w http.ResponseWriter, seq, now uint64) {
	h := w.Header()
	h.Set("X-Vpool-Seq", strconv.FormatUint(seq, 10))
	h.Set("X-Vpool-At", strconv.FormatUint(now, 10))
}

// readEngines runs fn on both markets as of now and, when it succeeds,
// sets the state headers; dry selects Node.DryRun.
func (a *api) readEngines(w http.ResponseWriter, dry bool, fn func(e *scenario.Engines, now uint64) error) error {
	var err error
	read := a.n.ReadEngines
	if dry {
		read = a.n.DryRun
	}
	read(func(e *scenario.Engines, now, seq uint64) {
		if err = fn(e, now); err == nil {
			stateHeaders(w, seq, now)
		}
	})
	return err
}

// read is readEngines on the cover market alone.
func (a *api) read(w http.ResponseWriter, fn func(m *cover.Market, now uint64) error) error {
	return a.readEngines(w, false, func(e *scenario.Engines, now uint64) error { return fn(e.Cover, now) })
}

// writeView answers 200 with what view reads from the markets as of now,
// with the state headers; an engine error is answered as engineError
// maps it.
func writeView[V any](a *api, w http.ResponseWriter, view func(e *scenario.Engines, now uint64) (V, error)) error {
	var v V
	if err := a.readEngines(w, false, func(e *scenario.Engines, now uint64) (err error) {
		if v, err = view(e, now); err != nil {
			return engineError(err)
		}
		return nil
	}); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, &v)
	return nil
}

// decodeBody reads the request body (at most MaxBodyBytes) and decodes it
// strictly into v; an empty or bad body is a 400.
func (a *api) decodeBody(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := readBody(w, r, a.opt.MaxBodyBytes)
	if err != nil {
		return err
	}
	return decodeStrict(body, v)
}
