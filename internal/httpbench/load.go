package httpbench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Mix is what a load sends.
type Mix struct {
	// ReadRatio is the share of requests that are reads (0 to 1).
	ReadRatio float64
	// BadRatio is the share of mutations built to fail in the engine
	// (zero amounts, unknown ids, another account's cover, covers above
	// capacity); they are durable all the same.
	BadRatio float64
	// BatchRatio is the share of mutation requests carrying two or three
	// commands in one array.
	BatchRatio float64
}

// Observer is told every acknowledged request: the commands sent and the
// durable outcomes the server answered, in order. It may be called from
// several goroutines at once.
type Observer func(cmds []Command, outs []Outcome)

// Load drives a market with a number of clients, each acting as one of
// the market's users in turn. Its clients keep what they learn (the covers
// they opened) from one Run to the next, so a load can be run again
// against a restarted server.
type Load struct {
	mix     Mix
	market  *Market
	clients []*worker
	// Observe, when set, is told every acknowledged command.
	Observe Observer
}

// NewLoad prepares clients for m; seed makes their choices reproducible.
func NewLoad(m *Market, clients int, mix Mix, seed uint64) (*Load, error) {
	if len(m.Users) == 0 || len(m.Pools) == 0 {
		return nil, errors.New("httpbench: the market has no user or no pool")
	}
	l := &Load{mix: mix, market: m}
	for i := 0; i < max(clients, 1); i++ {
		u := m.Users[i%len(m.Users)]
		w := &worker{load: l, user: u, other: m.Users[(i+1)%len(m.Users)],
			rng: rand.New(rand.NewPCG(seed, uint64(i)))}
		// The clients of one account start from its covers; when one of
		// them closes a cover the others learn it from cover_expired.
		w.covers = append([]int(nil), u.Covers...)
		l.clients = append(l.clients, w)
	}
	return l, nil
}

// Stats is what one Run did. Latencies are per request.
type Stats struct {
	Elapsed time.Duration
	// Mutations is the number of commands acknowledged durable;
	// MutationsFailed those of them the engine refused.
	Mutations, MutationsFailed int64
	// MutationRequests is the number of acknowledged POST requests.
	MutationRequests int64
	// Reads is the number of reads answered 200.
	Reads int64
	// Errors counts requests that failed at the HTTP level (transport
	// errors, non-200 answers); FirstError is the first of them.
	Errors     int64
	FirstError error
	// MutationLatency and ReadLatency count the successful requests'
	// times.
	MutationLatency, ReadLatency *Histogram
}

// Run sends requests to c's server until ctx ends or, when positive,
// until duration has passed, and returns what was done.
func (l *Load) Run(ctx context.Context, c *Client, duration time.Duration) Stats {
	if duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, duration)
		defer cancel()
	}
	began := time.Now()
	mutLat, readLat := new(Histogram), new(Histogram)
	xs := make([]exchanger, len(l.clients))
	for i, w := range l.clients {
		w.stats = Stats{MutationLatency: mutLat, ReadLatency: readLat}
		xs[i] = w
	}
	t, err := newTarget(c.Base())
	if err == nil {
		err = drive(ctx, t, xs)
	}
	total := Stats{Elapsed: time.Since(began), MutationLatency: mutLat, ReadLatency: readLat}
	if err != nil {
		total.Errors, total.FirstError = 1, err
	}
	for _, w := range l.clients {
		s := &w.stats
		total.Mutations += s.Mutations
		total.MutationsFailed += s.MutationsFailed
		total.MutationRequests += s.MutationRequests
		total.Reads += s.Reads
		total.Errors += s.Errors
		if total.FirstError == nil {
			total.FirstError = s.FirstError
		}
	}
	return total
}

// worker is one client: it acts as one user, on that user's positions and
// on the covers it opened itself. It is an exchanger: the driver sends
// what next draws and tells done the answer.
type worker struct {
	load   *Load
	user   *User
	other  *User // whose covers a bad updateCover names
	rng    *rand.Rand
	covers []int
	stats  Stats
	// cmds are the commands of the mutation in flight, nil for a read.
	cmds []Command
	body []byte
	// accountJSON is user.Account encoded as a JSON string.
	accountJSON []byte
}

// next draws a read or a mutation.
func (w *worker) next() request {
	if w.rng.Float64() < w.load.mix.ReadRatio {
		w.cmds = nil
		return request{method: "GET", path: w.readPath(), key: w.user.Key}
	}
	n := 1
	if w.rng.Float64() < w.load.mix.BatchRatio {
		n = 2 + w.rng.IntN(2)
	}
	w.cmds = make([]Command, n)
	for i := range w.cmds {
		w.cmds[i] = w.command()
	}
	w.body = appendBody(w.body[:0], w.cmds)
	return request{method: "POST", path: "/v1/commands", key: w.user.Key, body: w.body}
}

// readPath draws a pool list, a pool, one of the client's covers or one
// of its user's positions.
func (w *worker) readPath() string {
	m := w.load.market
	switch k := w.rng.IntN(10); {
	case k < 2:
		return "/v1/pools"
	case k < 5:
		return "/v1/pools/" + strconv.Itoa(pick(w.rng, m.Pools))
	case k < 8 && len(w.covers) > 0:
		return "/v1/covers/" + strconv.Itoa(pick(w.rng, w.covers))
	case len(w.user.Positions) > 0:
		return "/v1/positions/" + strconv.Itoa(pick(w.rng, w.user.Positions))
	default:
		return "/v1/pools/" + strconv.Itoa(pick(w.rng, m.Pools))
	}
}

// done counts a read, or learns from the outcomes of a mutation.
func (w *worker) done(body []byte, latency time.Duration) error {
	if w.cmds == nil {
		w.stats.ReadLatency.Add(latency)
		w.stats.Reads++
		return nil
	}
	cmds := w.cmds
	outs, err := DecodeOutcomes(body)
	if err != nil || len(outs) != len(cmds) {
		return fmt.Errorf("POST /v1/commands: %d outcomes for %d commands (%v): %.200s", len(outs), len(cmds), err, body)
	}
	w.stats.MutationLatency.Add(latency)
	w.stats.MutationRequests++
	for i, o := range outs {
		if o.Seq == 0 {
			return fmt.Errorf("POST /v1/commands: %s answered without a seq", o.Op)
		}
		w.stats.Mutations++
		if !o.OK {
			w.stats.MutationsFailed++
		}
		w.learn(cmds[i], o)
	}
	if w.load.Observe != nil {
		w.load.Observe(cmds, outs)
	}
	return nil
}

// fail counts a request that failed.
func (w *worker) fail(err error) {
	w.stats.Errors++
	if w.stats.FirstError == nil {
		w.stats.FirstError = err
	}
}

// command draws one mutation: 40% openCover, 30% updateCover, 20%
// takeInterests, 10% addLiquidity, or, BadRatio of the time, one the
// engine refuses.
func (w *worker) command() Command {
	if w.rng.Float64() < w.load.mix.BadRatio {
		return w.bad()
	}
	m := w.load.market
	switch k := w.rng.IntN(10); {
	case k >= 4 && k < 7 && len(w.covers) > 0:
		return w.updateCover()
	case k >= 7 && k < 9 && len(w.user.Positions) > 0:
		return w.args().num("position", pick(w.rng, w.user.Positions)).cmd("takeInterests")
	case k == 9 && len(w.user.Positions) > 0:
		return w.args().num("position", pick(w.rng, w.user.Positions)).
			amount("amount", 1_000+w.rng.Uint64N(10_000)).cmd("addLiquidity")
	default:
		size := 1_000 + w.rng.Uint64N(5_000)
		days := 30 + w.rng.Uint64N(335)
		return w.owner().num("pool", pick(w.rng, m.Pools)).amount("amount", size).
			amount("premiums", max(1, size*days/365/10)).cmd("openCover")
	}
}

// updateCover tops a cover up (mostly), grows it, shrinks it, or closes it.
func (w *worker) updateCover() Command {
	a := w.args().num("cover", pick(w.rng, w.covers))
	switch k := w.rng.IntN(20); {
	case k < 14:
		a = a.amount("premiumsToAdd", 1+w.rng.Uint64N(10))
	case k < 17:
		a = a.amount("coverToAdd", 100+w.rng.Uint64N(500)).amount("premiumsToAdd", 10+w.rng.Uint64N(20))
	case k < 19:
		a = a.amount("coverToRemove", 1+w.rng.Uint64N(100))
	default:
		a = a.str("premiumsToRemove", "max")
	}
	return a.cmd("updateCover")
}

// unknownID names no position or cover.
const unknownID = 1 << 30

// bad draws a mutation the engine refuses with a known code.
func (w *worker) bad() Command {
	m := w.load.market
	switch w.rng.IntN(5) {
	case 0: // zero_amount
		return w.owner().num("pool", pick(w.rng, m.Pools)).str("amount", "0").amount("premiums", 1).cmd("openCover")
	case 1: // not_found
		return w.args().num("position", unknownID).cmd("takeInterests")
	case 2: // insufficient_capacity: more than any pool holds
		return w.owner().num("pool", pick(w.rng, m.Pools)).str("amount", "1"+strings.Repeat("0", 40)).
			amount("premiums", 1).cmd("openCover")
	case 3: // not_owner (the other user's cover), or not_found
		id := unknownID
		if w.other != w.user && len(w.other.Covers) > 0 {
			id = pick(w.rng, w.other.Covers)
		}
		return w.args().num("cover", id).amount("premiumsToAdd", 1).cmd("updateCover")
	default: // not_found
		return w.args().num("position", unknownID).amount("amount", 1).cmd("addLiquidity")
	}
}

// args starts the args of an op acting on something the user holds.
func (w *worker) args() args { return newArgs().raw("as", w.account()) }

// owner starts the args of an op opening something for the user.
func (w *worker) owner() args { return newArgs().raw("owner", w.account()) }

// account is the user's account as a JSON string.
func (w *worker) account() []byte {
	if w.accountJSON == nil {
		w.accountJSON, _ = json.Marshal(w.user.Account)
	}
	return w.accountJSON
}

// args is a JSON object being built: the load's commands are encoded
// without reflection, so that the bench spends its CPU on requests.
type args []byte

func newArgs() args { return append(make(args, 0, 160), '{') }

func (a args) key(k string) args {
	if len(a) > 1 {
		a = append(a, ',')
	}
	a = append(a, '"')
	a = append(a, k...)
	return append(a, '"', ':')
}

// raw adds k with an encoded JSON value.
func (a args) raw(k string, v []byte) args { return append(a.key(k), v...) }

// str adds k with a plain ASCII string value.
func (a args) str(k, v string) args {
	a = append(a.key(k), '"')
	a = append(a, v...)
	return append(a, '"')
}

func (a args) num(k string, v int) args { return strconv.AppendInt(a.key(k), int64(v), 10) }

// amount adds k with whole tokens in base units, as a decimal string.
func (a args) amount(k string, whole uint64) args {
	a = append(a.key(k), '"')
	a = strconv.AppendUint(a, whole, 10)
	return append(a, `000000"`...) // 6 decimals
}

func (a args) cmd(op string) Command { return Command{Op: op, Args: json.RawMessage(append(a, '}'))} }

// learn keeps the covers the client opened and forgets the ones it closed
// or found closed.
func (w *worker) learn(c Command, o Outcome) {
	if c.Op == "openCover" && o.OK {
		var r struct {
			Cover *int `json:"cover"`
		}
		if json.Unmarshal(o.Result, &r) == nil && r.Cover != nil {
			w.covers = append(w.covers, *r.Cover)
		}
		return
	}
	if c.Op != "updateCover" {
		return
	}
	var a struct {
		Cover  int             `json:"cover"`
		Remove json.RawMessage `json:"premiumsToRemove"`
	}
	if json.Unmarshal(c.Args, &a) != nil {
		return
	}
	if o.Error == "cover_expired" || o.OK && string(a.Remove) == `"max"` {
		for i, cv := range w.covers {
			if cv == a.Cover {
				w.covers = append(w.covers[:i], w.covers[i+1:]...)
				break
			}
		}
	}
}

func pick(rng *rand.Rand, ids []int) int { return ids[rng.IntN(len(ids))] }
