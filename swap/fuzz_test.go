package swap

import (
	"testing"

	"pgregory.net/rapid"
)

// FuzzRandomOps feeds the fuzzer's bytes to the random op sequences of the
// property tests: no op panics on any input, every failure carries a code
// and changes nothing (byte-identical state, cache and accounts), and the
// books balance after every op.
//
//	go test ./swap/ -run '^$' -fuzz FuzzRandomOps -fuzztime 30s
func FuzzRandomOps(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0x90, 0xa0})
	f.Fuzz(rapid.MakeFuzz(func(t *rapid.T) {
		h := newHarness(t)
		for range rapid.IntRange(1, 40).Draw(t, "steps") {
			h.advance(t)
			h.step(t, h.drawCommand(t))
		}
	}))
}
