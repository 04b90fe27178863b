package main

import (
	"encoding/json"
	"errors"

	"github.com/spf13/cobra"
	"github.com/vpool/vpool/server"
)

// verifyOutput is the report `vpool verify` prints.
type verifyOutput struct {
	OK    bool   `json:"ok"`
	Store string `json:"store"`
	server.VerifyReport
	Error string `json:"error,omitempty"`
}

func verifyCmd() *cobra.Command {
	var sf *storeFlags
	cmd := &cobra.Command{
		Use:   "verify [--data DIR | --store postgres://…]",
		Short: "Replay the whole log and check it reaches the state recovery reaches",
		Long: `verify replays every command of the store's log on an empty market,
checking each against the outcome recorded with it, and compares the state hash
it reaches with the one start-up recovery reaches from the latest snapshot plus
the log after it. It prints a JSON report and exits with status 0 only when the
two hashes are equal and every outcome was reproduced. It changes nothing.

It works beside a running server (on PostgreSQL, beside the whole market's
nodes): it reads the latest snapshot, then finds the end of the log, and both
replays stop there; commands appended meanwhile are left for the next run. On a
stopped server or a backup copy it checks the whole log.`,
		Example: `  vpool verify --data ./vpool-data
  vpool verify --store postgres://vpool@db.internal/market`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			loc, err := sf.existing()
			if err != nil {
				return err
			}
			rep, err := server.Verify(cmd.Context(), loc)
			out := verifyOutput{OK: err == nil, Store: describeStore(loc), VerifyReport: rep}
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
	sf = addStoreFlags(cmd)
	return cmd
}
