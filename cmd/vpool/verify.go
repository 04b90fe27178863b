package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/vpool/vpool/server"
	"github.com/vpool/vpool/store"
)

// verifyOutput is the report `vpool verify` prints.
type verifyOutput struct {
	OK  bool   `json:"ok"`
	Dir string `json:"dir"`
	server.VerifyReport
	Error string `json:"error,omitempty"`
}

func verifyCmd() *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "verify --data DIR",
		Short: "Replay the whole log and check it reaches the state recovery reaches",
		Long: `verify replays every command of the data directory's log on an empty market,
checking each against the outcome recorded with it, and compares the state hash
it reaches with the one start-up recovery reaches from the latest snapshot plus
the log after it. It prints a JSON report and exits with status 0 only when the
two hashes are equal and every outcome was reproduced. It changes nothing.

It works beside a running server: it reads the latest snapshot, then finds the
end of the log, and both replays stop there; commands the server appends
meanwhile are left for the next run. On a stopped server or a backup copy it
checks the whole log.`,
		Example: `  vpool verify --data ./vpool-data`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if _, err := os.Stat(filepath.Join(dir, store.FileName)); err != nil {
				return fmt.Errorf("no vpool data in %s: %w", dir, err)
			}
			rep, err := server.Verify(cmd.Context(), dir)
			out := verifyOutput{OK: err == nil, Dir: dir, VerifyReport: rep}
			if err != nil {
				out.Error = err.Error()
			}
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetIndent("", "  ")
			if encErr := enc.Encode(out); encErr != nil {
				return encErr
			}
			if err != nil {
				return errors.New("verify failed: the log does not replay to the state recovery reaches (see the report above)")
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "data", "./vpool-data", "data directory")
	return cmd
}
