// Command vpool is the one binary of the project: it replays scenario
// files against the engines (and, as the project grows, serves, simulates,
// quotes and benchmarks them).
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

func main() {
	root := &cobra.Command{
		Use:           "vpool",
		Short:         "Exact, deterministic engine for virtual cover pools",
		Long:          "vpool runs the virtual-pool cover market of spec/cover.md exactly: replay scenario files,\ngenerate realistic ones, and benchmark the engine.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(replayCmd(), genCmd(), benchCmd(), serveCmd(), keysCmd(), verifyCmd())
	if err := root.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "vpool:", err)
		os.Exit(1)
	}
}
