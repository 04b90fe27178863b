package cover

// The checks the property harness runs around every command it applies.

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/vpool/vpool/ray"
)

// apply applies cmd at `at` and checks: a failure is an *Error with a spec
// code and changes nothing; a success moves the clock; the invariants hold
// and views are pure afterwards.
func (h *propHarness) apply(at uint64, cmd Command) (any, error) {
	h.t.Helper()
	m := h.m
	before, digest, nowBefore := m.AppendCanonical(nil), invDigest(m), m.Now()
	mustPurge, othersFixed := purgesOf(m, cmd)
	grids := timeGrids(m)
	purged := map[int]Slot0{}
	for _, id := range mustPurge {
		if id >= 0 && id < len(m.pools) {
			purged[id], _ = m.pools[id].refresh(at)
		}
	}
	res, err := m.Apply(at, cmd)
	line := fmt.Sprintf("@%d %s", at, describeCmd(cmd))
	if err != nil {
		line += " -> " + err.Error()
	} else if r, ok := res.(*Interests); ok {
		line += fmt.Sprintf(" -> coverRewards %s (gross %v) strategyRewards %s (gross %s)",
			r.CoverRewards.Dec(), decs(r.GrossCoverRewards), r.StrategyRewards.Dec(), r.GrossStrategyRewards.Dec())
	} else if res != nil {
		line += fmt.Sprintf(" -> %+v", res)
	}
	h.trail = append(h.trail, line)
	if h.twin != nil {
		h.checkTwin(at, cmd, res, err)
	}
	h.stats.ops++
	name := propOpName(cmd)
	if err != nil {
		h.stats.failed[name]++
		var e *Error
		if !errors.As(err, &e) || e.Code == "" || !invSpecCodes[e.Code] {
			h.fatalf("%s failed with %T %v: not an *Error with a spec code", name, err, err)
		}
		h.stats.codes[e.Code]++
		h.stats.byOp[name+":"+string(e.Code)]++
		if res != nil {
			h.fatalf("%s failed but returned a result %v", name, res)
		}
		if after := m.AppendCanonical(nil); !bytes.Equal(before, after) {
			h.fatalf("%s failed (%v) but changed the canonical state (first difference at byte %d of %d)",
				name, err, invFirstDiff(before, after), len(before))
		}
		if !bytes.Equal(digest, invDigest(m)) {
			h.fatalf("%s failed (%v) but changed derived state (baskets, tick map or ids)", name, err)
		}
		if at < nowBefore && e.Code != CodeTimeWentBackwards {
			h.fatalf("%s at %d before %d failed with %s, want time_went_backwards", name, at, nowBefore, e.Code)
		}
	} else {
		h.stats.ok[name]++
		if at < nowBefore {
			h.fatalf("%s at %d succeeded though the market is at %d", name, at, nowBefore)
		}
		if m.Now() != at {
			h.fatalf("%s succeeded at %d but the market is at %d", name, at, m.Now())
		}
		for id, want := range purged {
			s := m.pools[id].Slot0
			if s.Tick != want.Tick || s.LastUpdate != want.LastUpdate || !s.LiquidityIndex.Eq(&want.LiquidityIndex) {
				h.fatalf("%s at %d succeeded without purging pool %d: its time grid is (tick %d, lastUpdate %d, index %s), refresh(%d) gives (%d, %d, %s): spec §4.2",
					name, at, id, s.Tick, s.LastUpdate, s.LiquidityIndex.Dec(), at, want.Tick, want.LastUpdate, want.LiquidityIndex.Dec())
			}
		}
		if othersFixed {
			for id, g := range grids {
				s := m.pools[id].Slot0
				if !slices.Contains(mustPurge, id) && (s.Tick != g.Tick || s.LastUpdate != g.LastUpdate || !s.LiquidityIndex.Eq(&g.LiquidityIndex)) {
					h.fatalf("%s moved the time grid of pool %d, which it does not purge (spec §4.2: nothing else writes it)", name, id)
				}
			}
		}
	}
	if ierr := checkInvariants(m); ierr != nil {
		h.fatalf("after %s: invariants broken:\n%v", line, ierr)
	}
	if verr := checkViewPurity(m, m.Now(), m.Now()+h.delta(false)); verr != nil {
		h.fatalf("after %s: %v", line, verr)
	}
	h.measure()
	return res, err
}

// timeGrids is every pool's slot0, to see which a command moved.
func timeGrids(m *Market) []Slot0 {
	out := make([]Slot0, len(m.pools))
	for i, p := range m.pools {
		out[i] = p.Slot0
	}
	return out
}

// purgesOf is what spec §4.2 says a successful cmd purges: the pools that
// must be brought to its time, and whether every other pool's time grid
// must stay as it was (not so for an accepted claim, which also purges the
// pools sharing liquidity with the claim's pool).
func purgesOf(m *Market, cmd Command) (pools []int, othersFixed bool) {
	position := func(id int) []int {
		if id < 0 || id >= len(m.positions) {
			return nil
		}
		return m.positions[id].Pools
	}
	coverPool := func(id int) []int {
		if id < 0 || id >= len(m.covers) {
			return nil
		}
		return []int{m.covers[id].Pool}
	}
	switch c := cmd.(type) {
	case OpenPosition:
		return c.Pools, true
	case AddLiquidity:
		return position(c.Position), true
	case TakeInterests:
		return position(c.Position), true
	case CommitRemoveLiquidity:
		return position(c.Position), true
	case UncommitRemoveLiquidity:
		return position(c.Position), true
	case RemoveLiquidity:
		return position(c.Position), true
	case OpenCover:
		return []int{c.Pool}, true
	case UpdateCover:
		return coverPool(c.Cover), true
	case Purge:
		return []int{c.Pool}, true
	case UpdatePoolConfig:
		return []int{c.Pool}, true
	case ResolveClaim:
		if !c.Accept {
			return nil, true
		}
		if c.Claim < 0 || c.Claim >= len(m.claims) {
			return nil, true
		}
		return coverPool(m.claims[c.Claim].Cover), false
	}
	return nil, true
}

// describeCmd prints a command with its amounts in decimal.
func describeCmd(cmd Command) string {
	v := reflect.ValueOf(cmd)
	var sb strings.Builder
	sb.WriteString(v.Type().Name())
	sb.WriteString("{")
	for i := range v.NumField() {
		if i > 0 {
			sb.WriteString(" ")
		}
		f := v.Field(i)
		sb.WriteString(v.Type().Field(i).Name + ":")
		switch x := f.Interface().(type) {
		case Int:
			sb.WriteString(x.Dec())
		case *Int:
			if x != nil {
				sb.WriteString(x.Dec())
			} else {
				sb.WriteString("nil")
			}
		case *uint64:
			if x != nil {
				fmt.Fprint(&sb, *x)
			} else {
				sb.WriteString("nil")
			}
		case *int:
			if x != nil {
				fmt.Fprint(&sb, *x)
			} else {
				sb.WriteString("nil")
			}
		case Formula:
			fmt.Fprintf(&sb, "(%s %s %s %s)", ray.FormatPercent(x.UOptimal), ray.FormatPercent(x.R0), ray.FormatPercent(x.RSlope1), ray.FormatPercent(x.RSlope2))
		default:
			fmt.Fprintf(&sb, "%v", x)
		}
	}
	sb.WriteString("}")
	return sb.String()
}

func decs(v []Int) []string {
	out := make([]string, len(v))
	for i := range v {
		out[i] = v[i].Dec()
	}
	return out
}

func propOpName(cmd Command) string { return reflect.TypeOf(cmd).Name() }
