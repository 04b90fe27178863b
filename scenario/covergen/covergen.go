// Package covergen generates random but realistic cover-market scenario
// files (docs/scenario.md), for tests, benchmarks and `vpool gen cover`.
//
// It applies every step to a market of its own as it writes it, so that
// the steps are valid against the state they meet (a few percent fail on
// purpose, each with its error code), and streams them, so that memory
// grows with the market, not with the file. It reaches the engine only
// through the scenario package, as a replay does.
//
// It must never read a clock, the environment or any randomness but its
// seed: the same Options give byte-identical output on every machine.
package covergen

import (
	"bytes"
	"io"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/scenario"
)

// Options configures Generate.
type Options struct {
	// Steps is the exact number of steps written.
	Steps int
	// Seed selects the scenario: the same options always give the same bytes.
	Seed uint64
	// Pools is how many pools the market ends with (default 8, at most 256):
	// half are created at the start, the rest during the first half of the run.
	Pools int
	// Format is "json" (the default, one step per line) or "yaml".
	Format string
	// Name is the scenario's name; empty gives one that names the seed.
	Name string
}

// Stats describes a generated scenario, as the generator saw it while
// applying every step to its own market.
type Stats struct {
	Steps  int
	Failed int
	// Planned counts the steps written to fail on purpose; PlannedOK those
	// of them that succeeded anyway and Unplanned the failures by code of
	// steps meant to succeed. Both are surprises worth a look.
	Planned   int
	PlannedOK int
	Unplanned map[cover.Code]int
	// Ops counts steps per op; Errors failures per code.
	Ops    map[string]int
	Errors map[cover.Code]int
	// End is the time of the last step and StateHash the hash of the
	// market after it, which a replay of the file must reproduce.
	End       uint64
	StateHash string
}

// Generate writes a random but realistic cover-market scenario
// (docs/scenario.md) of opt.Steps steps to w: LPs open leveraged positions,
// buyers open, resize and top up covers sized against each pool's free
// capacity, strategies earn yield, claims are opened and resolved, LPs
// commit and withdraw after the delay, and a few percent of the steps fail
// on purpose. It drives a market alongside, so steps are valid against the
// state they meet, and streams them, so memory grows with the market, not
// with the file. The same options give byte-identical output.
func Generate(w io.Writer, opt Options) error {
	_, err := GenerateWithStats(w, opt)
	return err
}

// File generates a scenario in memory and parses it back: a convenience
// for tests and small N.
func File(opt Options) (*scenario.File, error) {
	var buf bytes.Buffer
	if err := Generate(&buf, opt); err != nil {
		return nil, err
	}
	return scenario.Parse(buf.Bytes())
}

// GenerateWithStats is Generate that also reports what it generated.
func GenerateWithStats(w io.Writer, opt Options) (Stats, error) {
	g, err := newGenerator(w, opt)
	if err != nil {
		return Stats{}, err
	}
	g.header()
	g.run()
	g.footer()
	g.stats.StateHash = scenario.StateHash(g.m)
	if g.werr != nil {
		return g.stats, g.werr
	}
	return g.stats, g.out.Flush()
}
