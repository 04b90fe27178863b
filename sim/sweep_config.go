package sim

import (
	"fmt"
	"slices"
	"strings"
)

// validate checks the grid's shape and the objective's name; each point's
// values are checked when the point's file is parsed.
func (s *SweepConfig) validate() error {
	if !slices.Contains(objectiveNames(), s.Objective) {
		return fmt.Errorf("objective %q is not one of %s", s.Objective, strings.Join(objectiveNames(), ", "))
	}
	if len(s.Grid) == 0 || len(s.Grid) > 2 {
		return fmt.Errorf("grid needs one or two parameters")
	}
	for i, g := range s.Grid {
		if g.Param == "" || len(g.Values) == 0 {
			return fmt.Errorf("grid[%d] needs a param and at least one value", i)
		}
	}
	return nil
}
