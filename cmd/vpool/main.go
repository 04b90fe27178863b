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
	root := &cobra.Command{
		Use:   "vpool",
		Short: "Exact, deterministic engine for virtual cover pools",
		Long: "vpool runs the virtual-pool cover market of spec/cover.md exactly: serve it as a durable\n" +
			"HTTP service, replay and generate scenario files, verify a server's log, and benchmark\n" +
			"the engine and the server.\n\nStart here: vpool serve --demo",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(replayCmd(), genCmd(), benchCmd(), serveCmd(), keysCmd(), verifyCmd(), simCmd(), quoteCmd())
	if err := root.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "vpool:", err)
		os.Exit(1)
	}
}
