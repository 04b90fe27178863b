package main

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/spf13/cobra"
	"github.com/vpool/vpool/internal/workload"
)

func benchCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure throughput: the engine in process, or a running server over HTTP",
	}
	cmd.AddCommand(benchEngineCmd(), benchHTTPCmd())
	return cmd
}

func benchEngineCmd() *cobra.Command {
	size := workload.DefaultSize
	var ops int
	var seed uint64
	var procs int
	cmd := &cobra.Command{
		Use:   "engine",
		Short: "Run a mixed cover-market workload in process and print ops/s",
		Long: `bench engine builds a market (by default 50 pools, 5,000 positions and 50,000
covers), then applies a deterministic mixed load: 30% openCover, 20% updateCover,
20% takeInterests, 10% openPosition, 10% addLiquidity and 10% views of a pool, a
cover or a position, a few simulated seconds apart so pools keep purging.

It prints one JSON line:
  {"ops_per_sec":…, "ns_per_op":…, "allocs_per_op":…, "failed_ops":…, "setup_s":…}
Setup is not timed. By default it runs on one core (GOMAXPROCS=1), as the
engine applies commands one at a time.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if ops < 1 {
				return fmt.Errorf("--ops must be at least 1")
			}
			runtime.GOMAXPROCS(procs)
			began := time.Now()
			load, err := workload.New(size, seed)
			if err != nil {
				return err
			}
			setup := time.Since(began)
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			began = time.Now()
			for i := 0; i < ops; i++ {
				load.Step()
			}
			elapsed := time.Since(began)
			runtime.ReadMemStats(&after)
			return json.NewEncoder(os.Stdout).Encode(engineReport{
				OpsPerSec:   round(float64(ops) / elapsed.Seconds()),
				NsPerOp:     round(float64(elapsed.Nanoseconds()) / float64(ops)),
				AllocsPerOp: round(float64(after.Mallocs-before.Mallocs) / float64(ops)),
				FailedOps:   load.Failed,
				SetupS:      round(setup.Seconds()),
			})
		},
	}
	f := cmd.Flags()
	f.IntVar(&size.Pools, "pools", size.Pools, "pools in the market")
	f.IntVar(&size.Positions, "positions", size.Positions, "LP positions opened before timing")
	f.IntVar(&size.Covers, "covers", size.Covers, "covers opened before timing")
	f.IntVar(&ops, "ops", 500_000, "operations to time")
	f.Uint64Var(&seed, "seed", 1, "workload seed")
	f.IntVar(&procs, "procs", 1, "GOMAXPROCS while running")
	return cmd
}

// engineReport is the line bench engine prints.
type engineReport struct {
	OpsPerSec   float64 `json:"ops_per_sec"`
	NsPerOp     float64 `json:"ns_per_op"`
	AllocsPerOp float64 `json:"allocs_per_op"`
	FailedOps   int     `json:"failed_ops"`
	SetupS      float64 `json:"setup_s"`
}

// round keeps two decimals, enough for a report.
func round(x float64) float64 { return float64(int64(x*100+0.5)) / 100 }
