package scenario

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/failure"
)

// Line is one line of replay output: a step's outcome, or the final line.
type Line struct {
	Step      *int         `json:"step,omitempty"`
	Final     bool         `json:"final,omitempty"`
	At        uint64       `json:"at"`
	Op        string       `json:"op,omitempty"`
	OK        *bool        `json:"ok,omitempty"`
	Result    any          `json:"result,omitempty"`
	Error     failure.Code `json:"error,omitempty"`
	Message   string       `json:"message,omitempty"`
	State     *State       `json:"state,omitempty"`
	StateHash string       `json:"stateHash,omitempty"`
}

// Options tune a replay.
type Options struct {
	// States adds the state object to every step line.
	States bool
}

// Setup builds a fresh market from a file's market, assets and strategies
// sections, applied at the time of the first step.
func Setup(f *File) (*cover.Market, error) {
	m := cover.New()
	var at uint64
	if len(f.Steps) > 0 {
		at = f.Steps[0].At
	}
	if len(f.Market) > 0 {
		ma, err := setMarketArgs.decode(f.Market)
		if err != nil {
			return nil, fmt.Errorf("scenario: market: %s", cleanJSONError(err))
		}
		if _, err := m.Apply(at, ma.command()); err != nil {
			return nil, fmt.Errorf("scenario: market: %w", err)
		}
	}
	for _, a := range f.Assets {
		if _, err := m.Apply(at, cover.AddAsset{Symbol: a.Symbol, Decimals: a.Decimals}); err != nil {
			return nil, fmt.Errorf("scenario: asset %q: %w", a.Symbol, err)
		}
	}
	for i, s := range f.Strategies {
		if s.ID != nil && *s.ID != i {
			return nil, fmt.Errorf("scenario: strategy ids must be 0, 1, 2… in order; entry %d has id %d", i, *s.ID)
		}
		cmd := cover.AddStrategy{Name: s.Name, Asset: s.Asset, Compounds: s.Compounds, FeeRate: s.FeeRate.Int, PayoutDeductible: s.PayoutDeductible.Int}
		if _, err := m.Apply(at, cmd); err != nil {
			return nil, fmt.Errorf("scenario: strategy %d: %w", i, err)
		}
	}
	return m, nil
}

// ApplyStep decodes and applies one step; prev is the previous step's time.
func ApplyStep(m *cover.Market, s Step, prev uint64) (any, error) {
	if s.At < prev {
		return nil, &cover.Error{Code: cover.CodeTimeWentBackwards, Msg: fmt.Sprintf("step at %d comes after a step at %d", s.At, prev)}
	}
	cmd, err := Decode(s.Op, s.Args)
	if err != nil {
		return nil, err
	}
	return m.Apply(s.At, cmd)
}

// Replay applies every step of f to fresh markets and writes one JSON line
// per step and a final line with the state and its hash. It returns the
// cover market; ReplayEngines returns both.
func Replay(f *File, w io.Writer, opt Options) (*cover.Market, error) {
	e, err := ReplayEngines(f, w, opt)
	if e == nil {
		return nil, err
	}
	return e.Cover, err
}

// ReplayEngines is Replay returning both markets.
func ReplayEngines(f *File, w io.Writer, opt Options) (*Engines, error) {
	r, err := newReplayer(f, w, opt)
	if err != nil {
		return nil, err
	}
	for _, s := range f.Steps {
		if err := r.step(s); err != nil {
			return r.e, err
		}
	}
	return r.e, r.finish()
}

// replayer applies steps one at a time and writes their lines.
type replayer struct {
	e    *Engines
	out  *bufio.Writer
	enc  *json.Encoder
	opt  Options
	n    int
	prev uint64
}

func newReplayer(f *File, w io.Writer, opt Options) (*replayer, error) {
	e, err := NewEngines(f)
	if err != nil {
		return nil, err
	}
	out := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	return &replayer{e: e, out: out, enc: enc, opt: opt}, nil
}

func (r *replayer) step(s Step) error {
	res, err := r.e.Apply(s, r.prev)
	r.prev = max(r.prev, s.At)
	ok := err == nil
	i := r.n
	r.n++
	line := Line{Step: &i, At: s.At, Op: s.Op, OK: &ok, Result: res}
	if err != nil {
		line.Error, line.Message = CodeAndMessage(err)
	}
	if r.opt.States {
		v := r.e.ViewAt(s.At)
		line.State = &v
	}
	return r.enc.Encode(line)
}

func (r *replayer) finish() error {
	v := r.e.ViewAt(r.prev)
	if err := r.enc.Encode(Line{Final: true, At: r.prev, State: &v, StateHash: r.e.StateHash()}); err != nil {
		return err
	}
	return r.out.Flush()
}

// CodeAndMessage splits an engine error into its stable code and its
// human message; any other error is invalid_argument.
func CodeAndMessage(err error) (failure.Code, string) {
	var e *failure.Error
	if errors.As(err, &e) {
		return e.Code, e.Msg
	}
	return failure.CodeInvalidArgument, err.Error()
}

// StateHash is the hex SHA-256 of the market's canonical encoding.
func StateHash(m *cover.Market) string {
	sum := sha256.Sum256(m.AppendCanonical(nil))
	return hex.EncodeToString(sum[:])
}
