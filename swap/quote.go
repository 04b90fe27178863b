package swap

// Quote is op quote as a view: it prices q at time at (through q.Route,
// or the best route) and changes nothing, not even Now, so a reader can
// price trades between commands. Like every dry run it writes and undoes,
// so it must not run concurrently with anything else on the market.
func (m *Market) Quote(at uint64, q QuoteSwap) (*RouteResult, error) {
	res, err := m.dryRun(func() (any, error) { return q.apply(m, at) })
	if err != nil {
		return nil, err
	}
	return res.(*RouteResult), nil
}
