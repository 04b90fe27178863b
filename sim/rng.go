package sim

import "math/rand/v2"

// The random streams of a path. Each purpose draws from its own stream,
// seeded from (seed, path index, purpose) only, never from the worker or
// the order paths run in; a behaviour that draws more or fewer numbers
// leaves the other streams' draws alone (a sweep point that changes cover
// demand still sees the same hacks).
const (
	streamStart  = iota // the start market: LP deposits and baskets, the warm-up
	streamHacks         // when and how hard incidents hit
	streamAgents        // buyers and LPs over the horizon
	streamMarket        // strategy yields and venue failures
)

// sharedStart is the path index of the one start market every path
// shares with `startMarket: fixed`.
const sharedStart = -1

// newStream is path's stream for purpose under seed.
func newStream(seed uint64, path, purpose int) *rand.Rand {
	return rand.New(rand.NewPCG(mix64(seed), mix64(uint64(path)<<3|uint64(purpose))))
}

// mix64 is SplitMix64's finalizer: nearby inputs give unrelated outputs,
// so that neighbouring paths do not start their generators side by side.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}
