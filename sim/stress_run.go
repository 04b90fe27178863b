package sim

// runStress runs each stress scenario of c over the paths of the main
// run (paths of them, with the main run's seed) and adds its figures to
// s; a stop ends it early, marking s interrupted.
func runStress(c *Config, opt Options, s *Summary) error {
	for i := range c.Stress {
		sc := &c.Stress[i]
		o := opt
		o.Runs, o.Target, o.PathRows, o.scenario = s.Paths, nil, nil, sc
		if opt.Progress != nil {
			o.Progress = func(done, total int) { opt.Progress(done+(i+1)*total, (len(c.Stress)+1)*total) }
		}
		agg, err := simulate(c, o)
		if err != nil {
			return err
		}
		if agg.interrupted {
			s.Interrupted = true
			return nil
		}
		run := agg.summary(opt.Seed)
		ss := StressSummary{Name: sc.Name, Paths: run.Paths, Overall: run.Overall, Tails: run.Tails}
		for _, sh := range sc.shocks() {
			ss.Shocks = append(ss.Shocks, ShockSummary{Day: sh.Day, Pools: c.shockPools(sh), Severity: *sh.Severity})
		}
		s.Stress = append(s.Stress, ss)
	}
	return nil
}
