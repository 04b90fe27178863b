package cover

import (
	"math/rand/v2"
	"testing"
)

// fuzzDrawer reads the choices of the property harness from fuzz input:
// each draw takes as many bytes as its range needs (big-endian) and
// reduces them modulo the range. An exhausted input reads zeros, which the
// harness treats as the ordinary path.
type fuzzDrawer struct {
	b []byte
	i int
}

func (d *fuzzDrawer) draw(lo, hi int, _ string) int {
	if hi <= lo {
		return lo
	}
	span := uint64(hi-lo) + 1
	var v uint64
	for n := span - 1; n > 0; n >>= 8 {
		v <<= 8
		if d.i < len(d.b) {
			v |= uint64(d.b[d.i])
			d.i++
		}
	}
	return lo + int(v%span)
}

func (d *fuzzDrawer) done() bool { return d.i >= len(d.b) }

// fuzzMaxCommands bounds one input's run.
const fuzzMaxCommands = 300

// FuzzRandomOps decodes the input as a market setup and a sequence of
// commands (the same generator as TestPropertyRandomOps) and applies them:
// no input may panic, a failing command must change nothing, and the
// invariants of docs/formulas.md §9 must hold after every command.
//
//	go test ./cover -run '^$' -fuzz FuzzRandomOps -fuzztime 60s -fuzzminimizetime 5s
//
// One long input runs up to 300 fully checked commands (about 0.1 s), so
// the default minimization budget (60 s per new input) would take most of
// a short run: -fuzzminimizetime keeps the fuzzer fuzzing.
func FuzzRandomOps(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
	f.Add([]byte("open positions, covers, claims, then withdraw everything"))
	for _, n := range []int{64, 512, 2048, 4096} {
		r := rand.New(rand.NewPCG(uint64(n), 0x5eed))
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d := &fuzzDrawer{b: data}
		h := newPropHarness(t, d, nil, false)
		h.setup()
		for n := 0; n < fuzzMaxCommands && !d.done(); n++ {
			h.step()
		}
	})
}
