package sim

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Load reads and checks a simulation file.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseIn(data, filepath.Dir(path))
}

// Parse decodes a simulation file strictly (unknown fields, duplicate
// keys and trailing documents are errors), fills in defaults and checks
// every field; a history file is read relative to the working directory.
func Parse(data []byte) (*Config, error) { return ParseIn(data, ".") }

// ParseIn is Parse for a file in dir: its history file is read relative
// to dir.
func ParseIn(data []byte, dir string) (*Config, error) { return parseWith(data, readIn(dir, nil)) }

// opener reads a file the simulation file names (its history CSV), by the
// name the file gives it.
type opener func(name string) ([]byte, error)

// readIn opens names relative to dir (absolute ones as they are), and
// keeps what it read in seen when seen is not nil.
func readIn(dir string, seen map[string][]byte) opener {
	return func(name string) ([]byte, error) {
		path := name
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, name)
		}
		data, err := os.ReadFile(path)
		if err == nil && seen != nil {
			seen[name] = data
		}
		return data, err
	}
}

// parseWith is Parse reading the files the simulation file names through
// open.
func parseWith(data []byte, open opener) (*Config, error) {
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("sim file is empty")
		}
		return nil, fmt.Errorf("sim file: %s", cleanYAMLError(err))
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("sim file: one YAML document expected")
	}
	c.defaults()
	if c.History != nil {
		if err := c.applyHistory(open); err != nil {
			return nil, fmt.Errorf("sim file: history: %w", err)
		}
	}
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("sim file: %w", err)
	}
	return &c, nil
}

// cleanYAMLError names the fields of the file rather than Go types.
func cleanYAMLError(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.ReplaceAll(msg, "unmarshal errors:\n  ", "")
	if i := strings.Index(msg, " in type sim."); i >= 0 {
		msg = msg[:i]
	}
	return strings.ReplaceAll(msg, "!!", "")
}

// onlyKeys reports a mapping key of n that is not one of keys.
func onlyKeys(n *yaml.Node, keys ...string) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: a mapping was expected", n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; !slices.Contains(keys, k.Value) {
			return fmt.Errorf("line %d: field %s not found (expected one of %s)", k.Line, k.Value, strings.Join(keys, ", "))
		}
	}
	return nil
}

// defaults fills the fields a file leaves out; a field the file gives,
// even as 0, is kept and checked by validate.
func (c *Config) defaults() {
	c.HorizonDays.orDefault(365)
	c.StepDays.orDefault(1)
	c.WarmupDays.orDefault(0)
	if c.StartMarket == "" {
		c.StartMarket = startPerPath
	}
	if step := c.StepDays.N; step >= 1 {
		// weekly, or the whole horizon when it is shorter, in whole steps
		c.RecordDays.orDefault(max(step, min(7, c.HorizonDays.N)/step*step))
	}
	m := &c.Market
	if m.Asset == nil {
		m.Asset = &AssetConfig{Symbol: "USDC", Decimals: whole(6)}
	}
	m.WithdrawDelayDays.orDefault(14)
	m.MaxLeverage.orDefault(12)
	if !m.LeverageFeePerPool.set {
		m.LeverageFeePerPool = percentOf("1.5")
	}
	c.Incidents.ClaimFilingDays.orDefault(0)
	c.Incidents.AssessmentDays.orDefault(0)
	if !c.Tails.LossThreshold.set {
		c.Tails.LossThreshold = percentOf("10")
	}
	for i := range m.Strategies {
		if m.Strategies[i].YieldMeanReversion == 0 {
			m.Strategies[i].YieldMeanReversion = 2
		}
	}
	for i := range c.Agents.LPs {
		c.Agents.LPs[i].ReviewEveryDays.orDefault(30)
	}
	for i := range c.Incidents.Shared {
		if c.Incidents.Shared[i].HitProbability == nil {
			one := Probability(1)
			c.Incidents.Shared[i].HitProbability = &one
		}
	}
}
