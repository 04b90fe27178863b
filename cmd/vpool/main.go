// Command vpool is the one binary of the project: it serves the cover
// market over HTTP, replays, generates and verifies scenarios and logs, and
// benchmarks the engine and the server.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

func main() {
	if err := rootCmd().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "vpool:", err)
		os.Exit(1)
	}
}

// rootCmd is the vpool command with all its subcommands.
func rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "vpool",
		Short: "Exact, deterministic engine for virtual pools: cover and swap",
		Long: "vpool runs the virtual pools of docs/formulas.md (a cover market whose LPs back several pools\n" +
			"with the same capital) and docs/swap.md (pairs and virtual swap pools) to the unit: serve\n" +
			"them as a durable HTTP service with a dashboard, replay and generate scenario files, price\n" +
			"swaps, simulate a cover market's risk over many paths, verify a server's log, and benchmark\n" +
			"the engines and the server.\n\nStart here: vpool serve --demo",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(replayCmd(), genCmd(), benchCmd(), serveCmd(), keysCmd(), verifyCmd(), storeCmd(), simCmd(), quoteCmd())
	return root
}
