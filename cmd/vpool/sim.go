package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/vpool/vpool/sim"
)

func simCmd() *cobra.Command {
	var opt sim.Options
	var out, precision, shardFlag string
	var sweep bool
	var maxRuns, shards int
	cmd := &cobra.Command{
		Use:   "sim FILE.yaml",
		Short: "Monte Carlo risk simulation of a cover market, with a plotted report",
		Long:  simHelp,
		Example: `  vpool sim examples/sim/small.yaml --runs 200 --out /tmp/small
  vpool sim examples/sim/market10.yaml --runs 10000 --seed 7 --out report/
  vpool sim examples/sim/market10.yaml --sweep --runs 500 --out sweep/
  vpool sim examples/sim/market10.yaml --runs 10000 --shard 0/4 --out parts/   # and 1/4, 2/4, 3/4, anywhere
  vpool sim merge parts/*.simpart --out report/`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			src, c, err := sim.LoadSource(args[0])
			if err != nil {
				return err
			}
			shard, sharded, err := shardOf(shardFlag, shards, cmd.Flags().Changed("shards"))
			if err != nil {
				return err
			}
			if precision != "" {
				if opt.Target, err = parseTarget(precision, maxRuns); err != nil {
					return err
				}
			}
			info, _ := os.Stderr.Stat()
			tty := info != nil && info.Mode()&os.ModeCharDevice != 0
			began := time.Now()
			debug.SetGCPercent(200) // paths allocate briskly; the statistics are pointer-free and cheap to mark
			// SIGINT or SIGTERM stops the run: the paths under way finish and
			// the outputs cover the paths completed (a second signal kills).
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			opt.Stop = ctx.Done()
			go func() { <-ctx.Done(); stop() }()
			if sharded {
				return runShard(src, c, opt, sweep, shard, out, tty, began)
			}
			if sweep {
				return runSweep(src, opt, out, tty, began)
			}
			opt.Progress = sim.NewProgress(os.Stderr, tty, "sim").Update
			s, err := sim.Run(c, opt, out)
			if errors.Is(err, sim.ErrInterrupted) && s != nil {
				fmt.Fprintf(os.Stderr, "\nwrote %s/summary.json, paths.csv, timeseries.csv, money.csv, report.html for the %d paths completed\n", out, s.Paths)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(os.Stderr, "%d paths in %s; wrote %s/summary.json, paths.csv, timeseries.csv, money.csv, report.html\n",
				s.Paths, time.Since(began).Round(time.Millisecond), out)
			if p := s.Precision; p != nil && !p.Met {
				fmt.Fprintf(os.Stderr, "warning: %s did not reach ±%g within --max-runs %d paths\n", p.Figure, p.Target, maxRuns)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&opt.Runs, "runs", 1000, "number of paths")
	f.Uint64Var(&opt.Seed, "seed", 1, "random seed: the same file and seed give byte-identical outputs")
	f.IntVar(&opt.Workers, "workers", 0, "paths simulated in parallel (default: one per core); does not change the outputs")
	f.StringVar(&out, "out", "sim-out", "directory for the outputs (created if needed)")
	f.BoolVar(&sweep, "sweep", false, "run the file's sweep grid instead of a single simulation")
	f.StringVar(&precision, "target-precision", "", "FIGURE=H: after --runs paths, keep adding paths until FIGURE's 95% interval is at most ±H\n(e.g. lpAPY.leveraged.p50=0.1 for ±0.1 percentage points; the figures are the sweep objectives)")
	f.IntVar(&maxRuns, "max-runs", 1_000_000, "with --target-precision, the most paths to run")
	f.StringVar(&shardFlag, "shard", "", "I/N: run only shard I (from 0) of N of the paths (of a sweep's points × paths) and write\nits part into --out, for `vpool sim merge`; every shard needs the same file, --seed and --runs")
	f.IntVar(&shards, "shards", 0, "N: like --shard I/N, with I read from $JOB_COMPLETION_INDEX (a Kubernetes Indexed Job)")
	cmd.AddCommand(simMergeCmd())
	return cmd
}

// shardOf reads --shard I/N, or --shards N with I from
// JOB_COMPLETION_INDEX; sharded is false when neither is given.
func shardOf(flag string, shards int, shardsSet bool) (s sim.Shard, sharded bool, err error) {
	switch {
	case flag != "" && shardsSet:
		return s, false, fmt.Errorf("give --shard I/N or --shards N (with the index in $JOB_COMPLETION_INDEX), not both")
	case flag != "":
		i, n, ok := strings.Cut(flag, "/")
		s.Index, err = strconv.Atoi(i)
		if err == nil {
			s.Count, err = strconv.Atoi(n)
		}
		if !ok || err != nil || s.Count < 1 || s.Index < 0 || s.Index >= s.Count {
			return s, false, fmt.Errorf("--shard %q: want I/N with N at least 1 and I from 0 to N−1, such as 2/8", flag)
		}
		return s, true, nil
	case shardsSet:
		env := os.Getenv("JOB_COMPLETION_INDEX")
		if env == "" {
			return s, false, fmt.Errorf("--shards %d reads the shard's index from $JOB_COMPLETION_INDEX, which is not set; give --shard I/N instead", shards)
		}
		s.Count = shards
		if s.Index, err = strconv.Atoi(env); err != nil || shards < 1 || s.Index < 0 || s.Index >= shards {
			return s, false, fmt.Errorf("--shards %d with JOB_COMPLETION_INDEX=%q: want N at least 1 and an index from 0 to N−1", shards, env)
		}
		return s, true, nil
	}
	return s, false, nil
}

// runShard runs one shard and writes its part.
func runShard(src *sim.Source, c *sim.Config, opt sim.Options, sweep bool, shard sim.Shard, out string, tty bool, began time.Time) error {
	label := fmt.Sprintf("shard %d/%d", shard.Index, shard.Count)
	opt.Progress = sim.NewProgress(os.Stderr, tty, label).Update
	path, err := sim.RunShard(src, c, opt, sweep, shard, binaryVersion(), out)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%s in %s; wrote %s (merge every shard's part with vpool sim merge)\n", label, time.Since(began).Round(time.Millisecond), path)
	return nil
}

func simMergeCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "merge PART|DIR... [--out DIR]",
		Short: "Merge the parts of a sharded simulation into exactly the outputs of one run",
		Long: `merge reads the parts that vpool sim FILE --shard I/N (or --shards N in a
Kubernetes Indexed Job) wrote, in any order, and writes into --out the files one
run of the same file, --seed and --runs writes on one machine, byte for byte:
summary.json, paths.csv, timeseries.csv, money.csv and report.html, or with
--sweep sweep.json, sweep.csv and sweep.html. Parts carry the simulation file,
so the merge needs nothing else; a directory stands for every *.simpart in
it. It refuses, writing nothing, parts of another
file, seed, --runs or number of shards, a shard missing or given twice, and
parts written by another vpool build than its own. docs/sim.md shows runs on
Kubernetes, with xargs -P and GNU parallel.`,
		Example: `  vpool sim merge parts/*.simpart --out report/`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			began := time.Now()
			parts, err := partFiles(args)
			if err != nil {
				return err
			}
			r, err := sim.Merge(parts, binaryVersion(), out)
			if err != nil {
				return err
			}
			wrote, what := "summary.json, paths.csv, timeseries.csv, money.csv, report.html", ""
			if r.Sweep != nil {
				wrote, what = "sweep.json, sweep.csv, sweep.html", fmt.Sprintf("%d sweep points", len(r.Sweep.Points))
			} else {
				what = fmt.Sprintf("%d paths", r.Summary.Paths)
			}
			fmt.Fprintf(os.Stderr, "merged %d shards (%s) in %s; wrote %s/%s\n", r.Shards, what, time.Since(began).Round(time.Millisecond), out, wrote)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "sim-out", "directory for the merged outputs (created if needed)")
	return cmd
}

// parseTarget reads --target-precision FIGURE=H.
func parseTarget(flag string, maxRuns int) (*sim.Target, error) {
	figure, value, ok := strings.Cut(flag, "=")
	h, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
	if !ok || err != nil {
		return nil, fmt.Errorf("--target-precision %q: want FIGURE=HALF-WIDTH, such as lpAPY.leveraged.p50=0.1", flag)
	}
	return &sim.Target{Figure: strings.TrimSpace(figure), HalfWidth: h, MaxRuns: maxRuns}, nil
}

// partFiles lists the parts named: a directory stands for every *.simpart
// file in it.
func partFiles(args []string) ([]string, error) {
	var parts []string
	for _, arg := range args {
		info, err := os.Stat(arg)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			parts = append(parts, arg)
			continue
		}
		found, err := filepath.Glob(filepath.Join(arg, "*.simpart"))
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%s holds no *.simpart file", arg)
		}
		parts = append(parts, found...)
	}
	return parts, nil
}

// runSweep runs the file's grid, one full run of --runs paths per point.
func runSweep(src *sim.Source, opt sim.Options, out string, tty bool, began time.Time) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	bar := sim.NewProgress(os.Stderr, tty, "sweep")
	r, err := sim.Sweep(src, opt, out, bar.Update)
	if errors.Is(err, sim.ErrInterrupted) && r != nil {
		fmt.Fprintf(os.Stderr, "\nwrote %s/sweep.json, sweep.csv, sweep.html for the %d points completed\n", out, len(r.Points))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%d points of %d paths in %s; wrote %s/sweep.json, sweep.csv, sweep.html\n",
		len(r.Points), opt.Runs, time.Since(began).Round(time.Millisecond), out)
	return nil
}

const simHelp = `sim runs many random paths ("runs") of a cover market through the real engine
and reports how LP returns, cover availability and solvency behave when hacks
happen, and how much leverage adds to the losses. The same file and --seed give
byte-identical outputs whatever --workers; memory does not grow with --runs.
--target-precision FIGURE=H adds paths until FIGURE is known to ±H.
Ctrl-C (or SIGTERM) stops early and writes the outputs of the paths done.
--shard I/N (or --shards N with $JOB_COMPLETION_INDEX, as a Kubernetes Indexed
Job sets it) runs one share of the paths and writes its part; vpool sim merge
turns every shard's part into the very bytes of one run (docs/sim.md, Shards).

The file (YAML, strict; docs/sim.md explains every field):

  name: small
  horizonDays: 365        # default 365
  stepDays: 1             # agents and hacks act once a step
  recordEveryDays: 7      # how often pool state is recorded for the bands
  warmupDays: 90          # buyers and LPs act; nothing is hacked or recorded
  startMarket: perPath    # each path draws its own LPs and warm-up (or fixed)
  market:
    asset: {symbol: USDC, decimals: 6}
    withdrawDelayDays: 14
    maxLeverage: 12
    leverageFeePerPool: 1.5%
    strategies:
      - name: aave
        yieldPerYear: 4%
        compounds: true
        feeRate: 10%
        payoutDeductible: 0%
        yieldVolatility: 1%       # the yield wanders around 4% (default 0: fixed)
        failure: {probabilityPerYear: 1%, loss: 0.2}   # the venue can lose capital
    pools:
      - name: lending
        strategy: aave
        feeRate: 10%
        curve: {uOptimal: 80%, r0: 1%, rSlope1: 4%, rSlope2: 60%}
        compatible: [dex]
      - {name: dex, strategy: aave, feeRate: 10%, curve: {uOptimal: 75%, r0: 1.5%, rSlope1: 5%, rSlope2: 50%}}
  agents:
    buyers:                       # per listed pool, independently
      - pools: [lending, dex]
        arrivalsPerDay: 0.4
        size: {dist: lognormal, median: 20000, sigma: 0.8}   # tokens
        durationDays: {dist: uniform, min: 30, max: 180}
        renewalProbability: 0.6
        priceElasticity: 0.5      # fewer buyers when cover is dear (default 0)
    lps:
      - name: leveraged
        count: 10                 # positions at the start
        arrivalsPerDay: 0.02
        deposit: {dist: lognormal, median: 200000, sigma: 0.6}
        baskets: [[lending, dex]] # one drawn per LP; several pools = leveraged
        withdrawBelowAPY: 3%      # commit to withdraw below this engine-quoted APY
        reviewEveryDays: 30
        exitOnIncident: true      # run when a pool of the basket is hit
        requiredAPY: {dist: uniform, min: 4, max: 8}   # arrivals ask this much
  incidents:
    claimFilingDays: 3            # claims opened 3 days after a hack ...
    assessmentDays: 14            # ... and settled two weeks later
    pools:                        # at most one hack per pool per year
      - {pools: [lending, dex], probabilityPerYear: 3%, severity: {dist: beta, alpha: 2, beta: 3}}
    shared:                       # a dependency hitting several pools at once
      - {name: oracle, pools: [lending, dex], probabilityPerYear: 2%, hitProbability: 0.8,
         severity: {dist: uniform, min: 0.2, max: 0.7}, severityCorrelation: 0.5}
  tails: {lossThreshold: 10%}     # P(a pool's LPs lose more than this)
  stress:                         # deterministic scenarios, run and reported apart
    - {name: oracle-fails, day: 120, source: oracle, severity: 0.6}
  history:                        # past hacks: date, protocol, lossShare
    {file: hacks.csv, protocols: {lendco: lending}, fit: true, replay: false}
  sweep:                          # used with --sweep
    objective: lpAPY.leveraged.p5
    grid:
      - {param: market.leverageFeePerPool, values: ["0.5%", "3%"]}
      - {param: market.pools.*.curve.uOptimal, values: ["70%", "90%"]}

Distributions: a number, or {dist: fixed|uniform|lognormal|beta, ...} with
value | min, max | median, sigma | alpha, beta. Severity is the share of each
active cover's amount claimed when its pool is hit.

Outputs in --out: summary.json (per pool, per LP group and overall, each
figure with its 95% confidence interval: LP APY p5/p50/p95 unleveraged and
leveraged, losses, claims not paid in full, treasury and risk-fund income,
VaR and expected shortfall at 95% and 99%, stress scenarios, premium
shortfall, utilization and premium-rate bands),
paths.csv (a row per path), timeseries.csv, money.csv, and report.html with
the figures. With --sweep: sweep.json, sweep.csv and sweep.html.`
