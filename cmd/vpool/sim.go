package main

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"
	"github.com/vpool/vpool/sim"
)

func simCmd() *cobra.Command {
	var opt sim.Options
	var out string
	var sweep bool
	cmd := &cobra.Command{
		Use:   "sim FILE.yaml",
		Short: "Monte Carlo risk simulation of a cover market, with a plotted report",
		Long:  simHelp,
		Example: `  vpool sim examples/sim/small.yaml --runs 200 --out /tmp/small
  vpool sim examples/sim/market10.yaml --runs 10000 --seed 7 --out report/
  vpool sim examples/sim/market10.yaml --sweep --runs 500 --out sweep/`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			c, err := sim.Parse(data)
			if err != nil {
				return err
			}
			info, _ := os.Stderr.Stat()
			tty := info != nil && info.Mode()&os.ModeCharDevice != 0
			began := time.Now()
			if sweep {
				return runSweep(data, opt, out, tty, began)
			}
			opt.Progress = sim.NewProgress(os.Stderr, tty, "sim").Update
			s, err := sim.Run(c, opt, out)
			if err != nil {
				return err
			}
			fmt.Fprintf(os.Stderr, "%d paths in %s; wrote %s/summary.json, paths.csv, timeseries.csv, money.csv, report.html\n",
				s.Paths, time.Since(began).Round(time.Millisecond), out)
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&opt.Runs, "runs", 1000, "number of paths")
	f.Uint64Var(&opt.Seed, "seed", 1, "random seed: the same file and seed give byte-identical outputs")
	f.IntVar(&opt.Workers, "workers", 0, "paths simulated in parallel (default: one per core); does not change the outputs")
	f.StringVar(&out, "out", "sim-out", "directory for the outputs (created if needed)")
	f.BoolVar(&sweep, "sweep", false, "run the file's sweep grid instead of a single simulation")
	return cmd
}

// runSweep runs the file's grid, one full run of --runs paths per point.
func runSweep(data []byte, opt sim.Options, out string, tty bool, began time.Time) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	bar := sim.NewProgress(os.Stderr, tty, "sweep")
	r, err := sim.Sweep(data, opt, out, bar.Update)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%d points of %d paths in %s; wrote %s/sweep.json, sweep.csv, sweep.html\n",
		len(r.Points), opt.Runs, time.Since(began).Round(time.Millisecond), out)
	return nil
}

const simHelp = `sim runs many random paths ("runs") of a cover market through the real engine
and reports how LP returns, cover availability and solvency behave when hacks
happen, and how much leverage adds to the losses.`
