package sim

import (
	"encoding/csv"
	"os"
	"strings"
	"testing"
)

// tinyMarket is a two-pool market small enough for many runs in a test:
// pool a alone, pool b alone, and leveraged LPs over both. Hacks are
// configured by the test through the HACKS placeholder.
const tinyMarket = `
name: tiny
horizonDays: 120
warmupDays: 30
recordEveryDays: 10
market:
  strategies:
    - {name: s, yieldPerYear: 4%, feeRate: 10%}
  pools:
    - name: a
      strategy: s
      feeRate: 10%
      curve: {uOptimal: 80%, r0: 2%, rSlope1: 5%, rSlope2: 50%}
      compatible: [b]
    - name: b
      strategy: s
      feeRate: 10%
      curve: {uOptimal: 80%, r0: 2%, rSlope1: 5%, rSlope2: 50%}
agents:
  buyers:
    - pools: [a, b]
      arrivalsPerDay: 0.5
      size: {dist: uniform, min: 5000, max: 15000}
      durationDays: {dist: uniform, min: 60, max: 200}
      renewalProbability: 0.5
  lps:
    - name: single
      count: 4
      deposit: 100000
      baskets: [[a], [b]]
    - name: leveraged
      count: 2
      deposit: 100000
      baskets: [[a, b]]
HACKS`

// tiny parses tinyMarket with the given incidents section.
func tiny(t *testing.T, incidents string) *Config {
	t.Helper()
	c, err := Parse([]byte(strings.Replace(tinyMarket, "HACKS", incidents, 1)))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// noHacks, certainHacks and correlatedHacks are incident sections.
const (
	noHacks     = "incidents:\n  pools:\n    - {pools: [a, b], probabilityPerYear: 0, severity: 1}\n"
	certainHack = "incidents:\n  pools:\n    - {pools: [a], probabilityPerYear: 1, severity: 1}\n"
	sharedHack  = "incidents:\n  shared:\n    - {name: dep, pools: [a, b], probabilityPerYear: 1, severity: 0.5}\n"
	// coinFlipHacks hit each pool in about half the paths.
	coinFlipHacks = "incidents:\n  pools:\n    - {pools: [a, b], probabilityPerYear: 0.5, severity: {dist: uniform, min: 0.1, max: 0.9}}\n"
)

// runFile parses a simulation file and runs it with opt into a temporary
// directory; it returns the summary and the directory.
func runFile(t *testing.T, file string, opt Options) (*Summary, string) {
	t.Helper()
	c, err := Parse([]byte(file))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	s, err := Run(c, opt, dir)
	if err != nil {
		t.Fatal(err)
	}
	return s, dir
}

// readCSV reads a CSV file whole.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// readRows reads a CSV file's rows (header dropped) by column name.
func readRows(t *testing.T, path string) []map[string]string {
	t.Helper()
	records := readCSV(t, path)
	var rows []map[string]string
	for _, rec := range records[1:] {
		row := map[string]string{}
		for i, name := range records[0] {
			row[name] = rec[i]
		}
		rows = append(rows, row)
	}
	return rows
}

// readColumns reads a CSV file as its columns by header name.
func readColumns(t *testing.T, path string) map[string][]string {
	t.Helper()
	records := readCSV(t, path)
	cols := map[string][]string{}
	for _, r := range records[1:] {
		for i, name := range records[0] {
			cols[name] = append(cols[name], r[i])
		}
	}
	return cols
}
