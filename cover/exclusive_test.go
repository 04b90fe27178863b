package cover

import (
	"bytes"
	"reflect"
	"testing"

	"pgregory.net/rapid"
)

// TestExclusiveSameResults drives a plain market and an Exclusive twin
// with the same random commands: the twin's views keep the refresh they
// compute for the next command, and it must still give the same results,
// errors, state and views, whatever it read before.
func TestExclusiveSameResults(t *testing.T) {
	propRapidChecks(t, 20)
	rapid.Check(t, func(rt *rapid.T) {
		h := newPropHarness(rt, propRapid{rt}, nil, false)
		h.twin = New()
		h.twin.Exclusive()
		h.run(rapid.IntRange(100, 300).Draw(rt, "commands"))
	})
}

// checkTwin reads the twin's rates at `at` (as the simulator does before
// a command), or at a later time, or nothing, then applies cmd to it:
// result, error and state must be the plain market's.
func (h *propHarness) checkTwin(at uint64, cmd Command, res any, err error) {
	h.t.Helper()
	tw := h.twin
	if view := h.u(0, 2, "twin.views"); view > 0 {
		t := at
		if view == 2 {
			t += h.delta(false)
		}
		for i := range tw.pools {
			_, _ = tw.PoolRates(i, t)
		}
		for i := range tw.positions {
			_, _ = tw.PositionAPY(i, t)
		}
	}
	tres, terr := tw.Apply(at, cmd)
	if (err == nil) != (terr == nil) || err != nil && err.Error() != terr.Error() || !reflect.DeepEqual(res, tres) {
		h.fatalf("the exclusive twin gave (%+v, %v), the market (%+v, %v)", tres, terr, res, err)
	}
	if !bytes.Equal(tw.AppendCanonical(nil), h.m.AppendCanonical(nil)) {
		h.fatalf("the exclusive twin's state differs after %s", describeCmd(cmd))
	}
	if now := h.m.Now(); !reflect.DeepEqual(tw.ViewAt(now), h.m.ViewAt(now)) {
		h.fatalf("the exclusive twin's view at %d differs after %s", now, describeCmd(cmd))
	}
}
