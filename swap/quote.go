package swap

// Quote is op quote as a view: it prices q at time at (through q.Route,
// or the best route) and changes nothing, not even Now, so a reader can
// price trades between commands. Like every dry run it writes and undoes,
// so it must not run concurrently with anything else on the market.
func (m *Market) Quote(at uint64, q QuoteSwap) (*RouteResult, error) {
	res, err := m.Preview(at, q)
	if err != nil {
		return nil, err
	}
	return res.(*RouteResult), nil
}

// Preview is what Apply(at, cmd) would give, the result or the error,
// with every write undone and Now unchanged: a user sees what a deposit,
// withdrawal or swap would do before making it. Like every dry run it
// must not run concurrently with anything else on the market.
func (m *Market) Preview(at uint64, cmd Command) (any, error) {
	return m.dryRun(func() (any, error) { return cmd.apply(m, at) })
}
