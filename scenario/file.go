// Package scenario reads scenario files (docs/scenario.md), turns their
// steps into engine commands, replays them and writes what happened as
// JSON Lines with the state object and a canonical state hash. It is the
// one translation between the public file format and the engines: the
// replayer, the server and the simulator all go through it.
package scenario

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"gopkg.in/yaml.v3"
)

// File is a scenario: a market configuration and timestamped steps.
type File struct {
	Name       string          `json:"name,omitempty"`
	Market     json.RawMessage `json:"market,omitempty"`
	Assets     []AssetDef      `json:"assets,omitempty"`
	Strategies []StrategyDef   `json:"strategies,omitempty"`
	Steps      []Step          `json:"steps"`
}

// AssetDef is one entry of the assets section, and addAsset's args.
type AssetDef assetFields

type assetFields struct {
	Symbol   string `json:"symbol"`
	Decimals uint8  `json:"decimals"`
}

// StrategyDef is one entry of the strategies section.
type StrategyDef strategyFields

type strategyFields struct {
	ID               *int    `json:"id" arg:"optional"`
	Name             string  `json:"name,omitempty" arg:"optional"`
	Asset            string  `json:"asset"`
	Compounds        bool    `json:"compounds"`
	FeeRate          Percent `json:"feeRate"`
	PayoutDeductible Percent `json:"payoutDeductible"`
}

// The sections' entries are checked as op args are: every field but a
// strategy's id is required, and none may be null.
var (
	assetArgs    = args(func(a assetFields) (AssetDef, error) { return AssetDef(a), nil })
	strategyArgs = args(func(a strategyFields) (StrategyDef, error) { return StrategyDef(a), nil })
)

// UnmarshalJSON decodes an entry of the assets section.
func (a *AssetDef) UnmarshalJSON(b []byte) (err error) {
	if *a, err = assetArgs.decode(b); err != nil {
		return fmt.Errorf("assets: %w", err)
	}
	return nil
}

// UnmarshalJSON decodes an entry of the strategies section.
func (s *StrategyDef) UnmarshalJSON(b []byte) (err error) {
	if *s, err = strategyArgs.decode(b); err != nil {
		return fmt.Errorf("strategies: %w", err)
	}
	return nil
}

// Step is one timestamped operation.
type Step struct {
	At   uint64          `json:"at"`
	Op   string          `json:"op"`
	Args json.RawMessage `json:"args,omitempty"`
}

// Load reads a scenario file, JSON or YAML (by content, not by name).
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(data)
}

// Parse decodes a scenario from JSON or YAML. Unknown fields are errors.
func Parse(data []byte) (*File, error) {
	jsonData, err := toJSON(data)
	if err != nil {
		return nil, err
	}
	var f File
	if err := DecodeStrict(jsonData, &f); err != nil {
		return nil, fmt.Errorf("scenario: %s", cleanJSONError(err))
	}
	return &f, nil
}

// toJSON returns JSON input as it is and converts YAML to JSON.
func toJSON(data []byte) ([]byte, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') && json.Valid(trimmed) {
		return trimmed, nil
	}
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("scenario: not JSON, and not YAML: %w", err)
	}
	doc, err := jsonCompatible(doc)
	if err != nil {
		return nil, err
	}
	return json.Marshal(doc)
}

// jsonCompatible converts YAML's generic values to ones encoding/json
// accepts (string map keys only).
func jsonCompatible(v any) (any, error) {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			c, err := jsonCompatible(e)
			if err != nil {
				return nil, err
			}
			t[k] = c
		}
		return t, nil
	case map[any]any:
		return nil, fmt.Errorf("scenario: YAML map keys must be strings")
	case []any:
		for i, e := range t {
			c, err := jsonCompatible(e)
			if err != nil {
				return nil, err
			}
			t[i] = c
		}
		return t, nil
	}
	return v, nil
}

// DecodeStrict decodes exactly one JSON value into v, rejecting unknown
// fields and trailing data; numbers stay exact (json.Number).
func DecodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("trailing data after the JSON value")
	}
	return nil
}

// cleanJSONError makes encoding/json's messages readable for users.
func cleanJSONError(err error) string {
	return strings.TrimPrefix(err.Error(), "json: ")
}
