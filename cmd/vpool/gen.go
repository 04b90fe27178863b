package main

import (
	"fmt"
	"os"
	"sort"

	"github.com/spf13/cobra"
	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/scenario/covergen"
)

func genCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "gen",
		Short: "Generate realistic random scenario files",
	}
	cmd.AddCommand(genCoverCmd())
	return cmd
}

func genCoverCmd() *cobra.Command {
	var opt covergen.Options
	var stats bool
	cmd := &cobra.Command{
		Use:   "cover",
		Short: "Write a random but realistic cover-market scenario to standard output",
		Long: `gen cover writes a scenario file (docs/scenario.md) for the cover market to
standard output: JSON by default, one step per line, or YAML with --format yaml.

The file sets up the market (withdraw delay, leverage), USDC (6 decimals) and
sometimes WETH (18 decimals), and yield strategies (compounding or not, with
performance fees and payout deductibles). Its --steps steps then run a market:
pools with realistic premium curves are created (half at the start, the rest
during the first half of the run) and made compatible; LPs open positions over
1 to 4 pools (leveraged baskets), add liquidity, take their interests, commit and
withdraw after the delay (or change their mind); buyers open covers sized
against each pool's free capacity with premiums for one week to one year,
resize, top up, draw down and close them, and let them expire; claims are
opened and accepted or rejected; strategy indexes grow by 2 to 8% a year; pools
are purged, checked, sometimes re-priced or paused, the market briefly frozen.
Accounts are minted what they need just before they spend it. Time moves on by
seconds to days between steps, so that the run spans about three years (or
more, for short runs). About 3% of the steps fail on purpose, each with its
error code: covers above capacity, calls by someone other than the owner, zero
amounts, withdrawals before the delay, and the like.

The generator applies every step to a market of its own as it writes it, so
the steps are valid against the state they meet, and it streams them: a
million steps take seconds and memory grows with the market, not the file.

The output is reproducible: the same --steps, --seed, --pools and --format
always give byte-identical output, on any machine.`,
		Example: `  vpool gen cover --steps 2000 --seed 7 > market.json
  vpool gen cover --steps 200 --seed 1 --format yaml > small.yaml
  vpool gen cover --steps 1000000 --seed 1 | vpool replay - | grep -c '"ok":false'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opt.Steps < 0 {
				return fmt.Errorf("--steps must not be negative")
			}
			st, err := covergen.GenerateWithStats(cmd.OutOrStdout(), opt)
			if err != nil {
				return err
			}
			if stats {
				printGenStats(st)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&opt.Steps, "steps", 1000, "number of steps to write")
	f.Uint64Var(&opt.Seed, "seed", 1, "random seed: the same seed gives the same file")
	f.IntVar(&opt.Pools, "pools", 8, "number of pools the market ends with (1 to 256)")
	f.StringVar(&opt.Format, "format", "json", "output format: json or yaml")
	f.StringVar(&opt.Name, "name", "", "scenario name (default names the seed)")
	f.BoolVar(&stats, "stats", false, "print what was generated (ops, failures by code, state hash) to standard error")
	return cmd
}

func printGenStats(st covergen.Stats) {
	w := os.Stderr
	fmt.Fprintf(w, "steps %d, failed %d (%.2f%%), planned failures %d (%d succeeded anyway), end %d\n",
		st.Steps, st.Failed, 100*float64(st.Failed)/float64(max(st.Steps, 1)), st.Planned, st.PlannedOK, st.End)
	fmt.Fprintf(w, "state hash %s\n", st.StateHash)
	ops := make([]string, 0, len(st.Ops))
	for op := range st.Ops {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	for _, op := range ops {
		fmt.Fprintf(w, "  %-24s %d\n", op, st.Ops[op])
	}
	codes := make([]string, 0, len(st.Errors))
	for c := range st.Errors {
		codes = append(codes, string(c))
	}
	sort.Strings(codes)
	for _, c := range codes {
		fmt.Fprintf(w, "  error %-28s %d (unplanned %d)\n", c, st.Errors[cover.Code(c)], st.Unplanned[cover.Code(c)])
	}
}
