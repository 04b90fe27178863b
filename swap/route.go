package swap

import (
	"fmt"
	"strings"
)

// RouteKind is how a route trades: through one native pair, through two
// native pairs by way of a common token, or through a virtual pool.
type RouteKind uint8

// The kinds of route.
const (
	NativeKind RouteKind = iota
	TwoHopKind
	VirtualKind
)

// String is the kind as the API writes it: native, twoHop or virtual.
func (k RouteKind) String() string {
	switch k {
	case TwoHopKind:
		return "twoHop"
	case VirtualKind:
		return "virtual"
	}
	return "native"
}

// Route names one way to trade tokenIn for tokenOut. It is written
// {"native": id}, {"hops": [first, second]} or {"jk": id, "ik": id}.
type Route struct {
	Kind RouteKind
	// Pair is the native pair (NativeKind).
	Pair int
	// JK and IK are the active and reference pairs of a virtual pool
	// (VirtualKind). A two-hop route (TwoHopKind) through token K trades
	// on IK = {in, K} first, then on JK = {K, out}: the same two pairs as
	// the virtual pool through K.
	JK, IK int
}

// NativeRoute is the route through pair id.
func NativeRoute(id int) Route { return Route{Pair: id} }

// TwoHopRoute is the route through pair first, then pair second.
func TwoHopRoute(first, second int) Route { return Route{Kind: TwoHopKind, IK: first, JK: second} }

// VirtualRoute is the route through the virtual pool (jk, ik).
func VirtualRoute(jk, ik int) Route { return Route{Kind: VirtualKind, JK: jk, IK: ik} }

// MarshalJSON writes {"native": id}, {"hops": [first, second]} or
// {"jk": id, "ik": id}.
func (r Route) MarshalJSON() ([]byte, error) { return []byte(r.String()), nil }

// String is the route as in JSON.
func (r Route) String() string {
	switch r.Kind {
	case VirtualKind:
		return fmt.Sprintf(`{"jk":%d,"ik":%d}`, r.JK, r.IK)
	case TwoHopKind:
		return fmt.Sprintf(`{"hops":[%d,%d]}`, r.IK, r.JK)
	}
	return fmt.Sprintf(`{"native":%d}`, r.Pair)
}

// id is the pair id that breaks ties between routes: the native pair or jk.
func (r Route) id() int {
	if r.Kind == NativeKind {
		return r.Pair
	}
	return r.JK
}

// Words describes the route for a person, with the pairs by their tokens
// (token0–token1): "C → A native (pair A–C)", "C → B → A two-hop (pairs
// B–C, A–B)", "C → A virtual via B (active A–B, reference B–C)". The route
// must be one of the market's candidates for tokenIn → tokenOut.
func (m *Market) Words(r Route, tokenIn, tokenOut string) string {
	name := func(id int) string {
		if id < 0 || id >= len(m.pairs) {
			return fmt.Sprintf("#%d", id)
		}
		return strings.Replace(m.pairs[id].name(), "/", "–", 1)
	}
	switch r.Kind {
	case VirtualKind:
		via := "?"
		if jk, ik, err := m.pairs2(r.JK, r.IK); err == nil {
			via, _ = commonToken(jk, ik)
		}
		return fmt.Sprintf("%s → %s virtual via %s (active %s, reference %s)", tokenIn, tokenOut, via, name(r.JK), name(r.IK))
	case TwoHopKind:
		via := "?"
		if first, err := m.pair(r.IK); err == nil && first.has(tokenIn) {
			via = first.other(tokenIn)
		}
		return fmt.Sprintf("%s → %s → %s two-hop (pairs %s, %s)", tokenIn, via, tokenOut, name(r.IK), name(r.JK))
	}
	return fmt.Sprintf("%s → %s native (pair %s)", tokenIn, tokenOut, name(r.Pair))
}
