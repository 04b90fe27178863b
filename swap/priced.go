package swap

// pricedRoute is a candidate route priced on the market as it stands: it
// reads the pairs (and forms the virtual pool) once, and out gives what
// executing the route for an exact amount in would pay, failing exactly
// where the execution would fail, without writing anything. Split
// routing evaluates it many times.
type pricedRoute struct {
	route Route
	// path and hops are a native or two-hop route's tokens and pairs, in
	// pathRoom and hopRoom; amounts is scratch space for its quote.
	path     []string
	hops     []*pair
	pathRoom [3]string
	hopRoom  [2]*pair
	amounts  [3]Int
	// vp is a virtual route's pool.
	vp vpool
}

// priceRoute prepares pr to price r (one of allCandidates) in block. A
// virtual pool that cannot be formed (locked, not allowed) or whose
// active pair is closed fails here, whatever the amount. pr must not be
// copied afterwards (its path lives in it).
func (m *Market) priceRoute(pr *pricedRoute, r Route, tokenIn, tokenOut string, block uint64) error {
	pr.route = r
	if r.Kind != VirtualKind {
		pr.path, pr.hops = m.pathInto(r, tokenIn, tokenOut, pr.pathRoom[:], pr.hopRoom[:])
		return nil
	}
	jk, ik := m.pairs[r.JK], m.pairs[r.IK]
	vp, err := m.vpool(jk, ik, block)
	if err != nil {
		return err
	}
	if jk.closed {
		return fail(CodePairClosed, "pair %d is closed", jk.id)
	}
	pr.vp = vp
	return nil
}

// out is the amount out of an exact-in trade of in through the route, as
// runRoute would execute it on the market as it stands, or the error it
// would fail with (the same failure, though where several checks fail
// the code may differ). Without full it skips the checks that in covers
// getAmountIn of each hop's out (trap T1 of docs/deviations.md), so it may pay where
// the execution fails, never the other way round; the amount is the same.
func (pr *pricedRoute) out(in Int, full bool) (Int, error) {
	t := Trade{Amount: in}
	if pr.route.Kind == VirtualKind {
		in, out, err := quoteVirtual(&pr.vp, t)
		if err != nil {
			return out, err
		}
		e, err := pr.vp.effect(in, out, full)
		if err != nil {
			return out, err
		}
		if !belowLimit(&e.cache0) {
			return out, errOverflow("virtual pool cache value reaches 2^112")
		}
		return out, nil
	}
	amounts := pr.amounts[:len(pr.path)]
	if err := quoteNativeTo(amounts, pr.path, pr.hops, t); err != nil {
		return Int{}, err
	}
	for i, p := range pr.hops {
		newIn, err := p.hop(pr.path[i], pr.path[i+1], amounts[i], amounts[i+1], full)
		if err != nil {
			return Int{}, err
		}
		if !belowLimit(&newIn) {
			return Int{}, errOverflow("pair balance reaches 2^112")
		}
	}
	return amounts[len(amounts)-1], nil
}

// bound is at least what the route pays for in: the amount out of its
// quote with none of the execution's checks (0 when the quote itself
// fails, as the route then pays nothing).
func (pr *pricedRoute) bound(in Int) Int {
	var out Int
	var err error
	if pr.route.Kind == VirtualKind {
		_, out, err = quoteVirtual(&pr.vp, Trade{Amount: in})
	} else {
		amounts := pr.amounts[:len(pr.path)]
		err = quoteNativeTo(amounts, pr.path, pr.hops, Trade{Amount: in})
		out = amounts[len(amounts)-1]
	}
	if err != nil {
		return Int{}
	}
	return out
}
