package sim

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vpool/vpool/ray"
	"gopkg.in/yaml.v3"
)

// Percent is an exact rate written in percent ("1.5%", "1.5" or 1.5), kept
// as the engine's ray-percent integer.
type Percent struct {
	ray.Int
	set bool
}

// UnmarshalYAML reads a percent scalar exactly (at most 27 decimals).
func (p *Percent) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: a percent must be a number such as 1.5%%", n.Line)
	}
	v, err := ray.ParsePercent(strings.TrimSuffix(strings.TrimSpace(n.Value), "%"))
	if err != nil {
		return fmt.Errorf("line %d: %q is not an exact percent (digits, an optional dot, up to 27 decimals)", n.Line, n.Value)
	}
	p.Int, p.set = v, true
	return nil
}

// Float is the percent as a float, for statistics and thresholds only.
func (p Percent) Float() float64 {
	return p.Int.Float64() / 1e27
}

func percentOf(s string) Percent {
	v, err := ray.ParsePercent(s)
	if err != nil {
		return Percent{}
	}
	return Percent{Int: v, set: true}
}

// Probability is a chance written as a share (0.03) or a percent ("3%").
type Probability float64

// UnmarshalYAML reads a share or a percent.
func (p *Probability) UnmarshalYAML(n *yaml.Node) error {
	s := strings.TrimSpace(n.Value)
	scale := 1.0
	if strings.HasSuffix(s, "%") {
		s, scale = strings.TrimSpace(strings.TrimSuffix(s, "%")), 100
	}
	v, err := strconv.ParseFloat(s, 64)
	if n.Kind != yaml.ScalarNode || err != nil {
		return fmt.Errorf("line %d: %q is not a probability (a share such as 0.03 or a percent such as 3%%)", n.Line, n.Value)
	}
	*p = Probability(v / scale)
	return nil
}
