package sim

// runStress runs each stress scenario of c over the paths of the main
// run (paths of them, with the main run's seed) and adds its figures to
// s; a stop ends it early, marking s interrupted.
func runStress(c *Config, opt Options, s *Summary) error {
	for i := range c.Stress {
		o := stressOptions(c, opt, i, s.Paths)
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
		s.Stress = append(s.Stress, stressSummary(c, i, agg, opt.Seed))
	}
	return nil
}

// stressOptions are the options of stress scenario i of c over runs paths
// of a run made with opt.
func stressOptions(c *Config, opt Options, i, runs int) Options {
	o := opt
	o.Runs, o.Target, o.PathRows, o.Progress, o.scenario = runs, nil, nil, nil, &c.Stress[i]
	return o
}

// stressSummary is the summary of stress scenario i of c, whose paths agg
// holds.
func stressSummary(c *Config, i int, agg *aggregate, seed uint64) StressSummary {
	sc := &c.Stress[i]
	run := agg.summary(seed)
	ss := StressSummary{Name: sc.Name, Paths: run.Paths, Overall: run.Overall, Tails: run.Tails}
	for _, sh := range sc.shocks() {
		ss.Shocks = append(ss.Shocks, ShockSummary{Day: sh.Day, Pools: c.shockPools(sh), Severity: *sh.Severity})
	}
	return ss
}
