package sim

import (
	"fmt"
	"slices"
)

// StressConfig is a named deterministic scenario: shocks on given days of
// the horizon, run over the same paths as the random incidents (which
// still happen) and reported apart. A scenario of one shock may write it
// inline (day, source or pools, severity) instead of under shocks.
type StressConfig struct {
	Name        string        `yaml:"name"`
	Shocks      []ShockConfig `yaml:"shocks"`
	ShockConfig `yaml:",inline"`
}

// ShockConfig is one deterministic incident: on day Day (1 to the
// horizon) it hits every pool of the shared incident Source, or the
// listed Pools, each with Severity (the share of each active cover
// claimed).
type ShockConfig struct {
	Day      int      `yaml:"day"`
	Source   string   `yaml:"source"`
	Pools    []string `yaml:"pools"`
	Severity *float64 `yaml:"severity"`
}

// given tells whether any field of the shock was written.
func (s ShockConfig) given() bool {
	return s.Day != 0 || s.Source != "" || len(s.Pools) > 0 || s.Severity != nil
}

// shocks are the scenario's shocks, the inline one first.
func (s *StressConfig) shocks() []ShockConfig {
	if s.ShockConfig.given() {
		return append([]ShockConfig{s.ShockConfig}, s.Shocks...)
	}
	return s.Shocks
}

// validateStress checks every scenario: a unique name and well-formed
// shocks.
func (c *Config) validateStress(pools map[string]int) error {
	var names []string
	for i, s := range c.Stress {
		if err := uniqueName(s.Name, names); err != nil {
			return fmt.Errorf("stress[%d].name %w", i, err)
		}
		names = append(names, s.Name)
		shocks := s.shocks()
		if len(shocks) == 0 {
			return fmt.Errorf("stress[%d] (%s) has no shock: give day, source or pools, and severity", i, s.Name)
		}
		for j, sh := range shocks {
			if err := c.checkShock(sh, pools); err != nil {
				return fmt.Errorf("stress[%d] (%s) shock %d: %w", i, s.Name, j+1, err)
			}
		}
	}
	return nil
}

func (c *Config) checkShock(sh ShockConfig, pools map[string]int) error {
	switch {
	case sh.Day < 1 || sh.Day > c.HorizonDays.N:
		return fmt.Errorf("day is %d: it must be between 1 and horizonDays (%d)", sh.Day, c.HorizonDays.N)
	case (sh.Source == "") == (len(sh.Pools) == 0):
		return fmt.Errorf("give either source (a shared incident) or pools")
	case sh.Severity == nil || !(*sh.Severity >= 0 && *sh.Severity <= 1):
		return fmt.Errorf("severity must be given, between 0 and 1")
	}
	if sh.Source != "" {
		if !slices.ContainsFunc(c.Incidents.Shared, func(h SharedHackConfig) bool { return h.Name == sh.Source }) {
			return fmt.Errorf("source %q is not a shared incident of the file", sh.Source)
		}
		return nil
	}
	return checkPools(sh.Pools, pools)
}

// stressEvents are a scenario's shocks as hack events: every pool the
// shock hits, on the step holding its day.
func (m *model) stressEvents(s *StressConfig) []hackEvent {
	ids := m.cfg.poolIndex()
	var out []hackEvent
	for _, sh := range s.shocks() {
		step := ceilDiv(sh.Day, m.cfg.StepDays.N) - 1
		for _, pool := range sortedIDs(m.cfg.shockPools(sh), ids) {
			out = append(out, hackEvent{step: step, pool: pool, severity: *sh.Severity})
		}
	}
	return out
}

// shockPools names the pools a shock hits: its pools, or its source's.
func (c *Config) shockPools(sh ShockConfig) []string {
	for _, h := range c.Incidents.Shared {
		if sh.Source != "" && h.Name == sh.Source {
			return h.Pools
		}
	}
	return sh.Pools
}
