package sim

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// HistoryConfig is a CSV of historical hack losses (columns date,
// protocol, lossShare) that the file's incidents are fitted to, or that a
// stress scenario replays.
type HistoryConfig struct {
	// File is the CSV, relative to the simulation file.
	File string `yaml:"file"`
	// Protocols maps the CSV's protocols to the pools that stand for
	// them; rows of other protocols are left out.
	Protocols map[string]string `yaml:"protocols"`
	// YearsObserved is the period the CSV covers (default: from its first
	// to its last date, at least a year).
	YearsObserved float64 `yaml:"yearsObserved"`
	// Fit adds, for every pool the protocols map to, an incident with the
	// frequency and severity fitted to the rows; Replay adds a stress
	// scenario "history" replaying the rows day for day from ReplayFrom
	// (YYYY-MM-DD, day 1 of the horizon; default the first date).
	Fit        bool   `yaml:"fit"`
	Replay     bool   `yaml:"replay"`
	ReplayFrom string `yaml:"replayFrom"`
}

// HistoryFit is what a fit of the history found, reported in summary.json.
type HistoryFit struct {
	File          string    `json:"file"`
	Events        int       `json:"events"`
	YearsObserved float64   `json:"yearsObserved"`
	Pools         []PoolFit `json:"pools"`
	// Severity is the loss-share distribution fitted to every event of a
	// mapped protocol: {dist, alpha, beta} or {dist: fixed, value}.
	Severity map[string]any `json:"severity"`
}

// PoolFit is one pool's fitted incident frequency.
type PoolFit struct {
	Pool               string  `json:"pool"`
	Events             int     `json:"events"`
	ProbabilityPerYear float64 `json:"probabilityPerYear"`
}

// hackRecord is one row of a history CSV.
type hackRecord struct {
	date     time.Time
	protocol string
	loss     float64
}

// applyHistory reads the history CSV (through open) and adds what it
// asks for: fitted incidents, a replay scenario, or both.
func (c *Config) applyHistory(open opener) error {
	h := c.History
	if !h.Fit && !h.Replay {
		return fmt.Errorf("set fit, replay or both")
	}
	if len(h.Protocols) == 0 {
		return fmt.Errorf("protocols must map at least one protocol of the file to a pool")
	}
	pools := c.poolIndex()
	for _, protocol := range slices.Sorted(maps.Keys(h.Protocols)) {
		if _, ok := pools[h.Protocols[protocol]]; !ok {
			return fmt.Errorf("protocols.%s: %q is not a pool of the market", protocol, h.Protocols[protocol])
		}
	}
	data, err := open(h.File)
	if err != nil {
		return err
	}
	records, err := readHistory(bytes.NewReader(data), h.File)
	if err != nil {
		return err
	}
	years := h.YearsObserved
	if years == 0 {
		years = max(1, records[len(records)-1].date.Sub(records[0].date).Hours()/24/365)
	}
	if !(years > 0) || math.IsInf(years, 0) {
		return fmt.Errorf("yearsObserved must be a positive number of years")
	}
	var mapped []hackRecord
	for _, r := range records {
		if _, ok := h.Protocols[r.protocol]; ok {
			mapped = append(mapped, r)
		}
	}
	if len(mapped) == 0 {
		return fmt.Errorf("no row of %s is of a protocol in protocols", h.File)
	}
	if h.Fit {
		c.fitHistory(mapped, years)
	}
	if !h.Replay {
		return nil
	}
	from := records[0].date
	if h.ReplayFrom != "" {
		if from, err = time.Parse(time.DateOnly, h.ReplayFrom); err != nil {
			return fmt.Errorf("replayFrom %q is not YYYY-MM-DD", h.ReplayFrom)
		}
	}
	return c.replayHistory(from, mapped)
}

// fitHistory adds an incident per mapped pool: its yearly rate is
// (events + ½) / years observed (Jeffreys' estimate, so that a pool with
// no event yet keeps a small rate), hit at most once a year with
// probability 1 − e^(−rate); the severity is a beta fitted by moments to
// every mapped event's loss share (a fixed share when there are fewer
// than two or they do not vary).
func (c *Config) fitHistory(events []hackRecord, years float64) {
	h := c.History
	counts := map[string]int{}
	for _, r := range events {
		counts[h.Protocols[r.protocol]]++
	}
	severity := fitSeverity(events)
	fit := &HistoryFit{File: h.File, Events: len(events), YearsObserved: round(years), Severity: map[string]any{"dist": severity.Kind}}
	if severity.Kind == "beta" {
		fit.Severity["alpha"], fit.Severity["beta"] = round(severity.A), round(severity.B)
	} else {
		fit.Severity["value"] = round(severity.A)
	}
	for _, pool := range slices.Sorted(maps.Values(h.Protocols)) {
		if slices.ContainsFunc(fit.Pools, func(p PoolFit) bool { return p.Pool == pool }) {
			continue
		}
		rate := (float64(counts[pool]) + 0.5) / years
		p := 1 - math.Exp(-rate)
		c.Incidents.Pools = append(c.Incidents.Pools, PoolHackConfig{Pools: []string{pool}, ProbabilityPerYear: Probability(p), Severity: severity})
		fit.Pools = append(fit.Pools, PoolFit{Pool: pool, Events: counts[pool], ProbabilityPerYear: round(p)})
	}
	c.fitted = fit
}

// fitSeverity fits Beta(α, β) to loss shares by their mean m and variance
// v: α = m·k, β = (1 − m)·k with k = m(1 − m)/v − 1.
func fitSeverity(events []hackRecord) Dist {
	n := float64(len(events))
	var mean, ss float64
	for _, r := range events {
		mean += r.loss
	}
	mean /= n
	for _, r := range events {
		ss += (r.loss - mean) * (r.loss - mean)
	}
	if len(events) < 2 || ss == 0 || mean <= 0 || mean >= 1 {
		return Dist{Kind: "fixed", A: mean}
	}
	v := ss / (n - 1)
	if v >= mean*(1-mean) {
		return Dist{Kind: "fixed", A: mean}
	}
	k := mean*(1-mean)/v - 1
	return Dist{Kind: "beta", A: mean * k, B: (1 - mean) * k}
}

// replayHistory adds the stress scenario "history": every mapped event
// within the horizon, on its day counted from from (day 1), hitting its
// protocol's pool with its loss share as severity.
func (c *Config) replayHistory(from time.Time, events []hackRecord) error {
	s := StressConfig{Name: "history"}
	for _, r := range events {
		day := int(r.date.Sub(from).Hours()/24) + 1
		if day < 1 || day > c.HorizonDays.N {
			continue
		}
		loss := r.loss
		s.Shocks = append(s.Shocks, ShockConfig{Day: day, Pools: []string{c.History.Protocols[r.protocol]}, Severity: &loss})
	}
	if len(s.Shocks) == 0 {
		return fmt.Errorf("replay: no event falls within the %d days from %s", c.HorizonDays.N, from.Format(time.DateOnly))
	}
	c.Stress = append(c.Stress, s)
	return nil
}

// readHistory reads a history CSV (named name in errors): a header
// naming date, protocol and lossShare (any order), then one hack a row,
// sorted by date here.
func readHistory(in io.Reader, name string) ([]hackRecord, error) {
	r := csv.NewReader(in)
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	col := map[string]int{}
	for i, name := range header {
		col[strings.TrimSpace(name)] = i
	}
	for _, name := range []string{"date", "protocol", "lossShare"} {
		if _, ok := col[name]; !ok {
			return nil, fmt.Errorf("%s: the header must name date, protocol and lossShare", name)
		}
	}
	var out []hackRecord
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := r.FieldPos(0)
		rec, err := parseHackRow(row, col)
		if err != nil {
			return nil, fmt.Errorf("%s line %d: %w", name, line, err)
		}
		out = append(out, rec)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s has no row", name)
	}
	slices.SortStableFunc(out, func(a, b hackRecord) int { return a.date.Compare(b.date) })
	return out, nil
}

func parseHackRow(row []string, col map[string]int) (hackRecord, error) {
	date, err := time.Parse(time.DateOnly, strings.TrimSpace(row[col["date"]]))
	if err != nil {
		return hackRecord{}, fmt.Errorf("date %q is not YYYY-MM-DD", row[col["date"]])
	}
	protocol := strings.TrimSpace(row[col["protocol"]])
	if protocol == "" {
		return hackRecord{}, fmt.Errorf("protocol is empty")
	}
	text := strings.TrimSpace(row[col["lossShare"]])
	scale := 1.0
	if strings.HasSuffix(text, "%") {
		text, scale = strings.TrimSuffix(text, "%"), 100
	}
	loss, err := strconv.ParseFloat(text, 64)
	loss /= scale
	if err != nil || !(loss >= 0 && loss <= 1) {
		return hackRecord{}, fmt.Errorf("lossShare %q must be a share between 0 and 1 (or a percent)", row[col["lossShare"]])
	}
	return hackRecord{date: date, protocol: protocol, loss: loss}, nil
}
