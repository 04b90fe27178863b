package sim

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Whole is a whole number a file may leave out. Unlike a plain int it
// tells an explicit 0 from an absent field, so that only an absent field
// takes its default and a 0 the user wrote is checked like any value.
type Whole struct {
	N   int
	set bool
}

// UnmarshalYAML reads a whole number.
func (w *Whole) UnmarshalYAML(n *yaml.Node) error {
	v, err := strconv.Atoi(strings.TrimSpace(n.Value))
	if n.Kind != yaml.ScalarNode || err != nil {
		return fmt.Errorf("line %d: %q is not a whole number", n.Line, n.Value)
	}
	w.N, w.set = v, true
	return nil
}

// orDefault gives an absent field its default.
func (w *Whole) orDefault(v int) {
	if !w.set {
		w.N, w.set = v, true
	}
}

func whole(v int) Whole { return Whole{N: v, set: true} }
