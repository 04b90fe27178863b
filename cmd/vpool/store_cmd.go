package main

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/vpool/vpool/server"
	"github.com/vpool/vpool/store"
)

func storeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "store",
		Short: "Move a market between stores (a data directory, a PostgreSQL database)",
	}
	cmd.AddCommand(storeCopyCmd())
	return cmd
}

// storeCopyOutput is the report `vpool store copy` prints.
type storeCopyOutput struct {
	OK          bool   `json:"ok"`
	From        string `json:"from"`
	To          string `json:"to"`
	Commands    uint64 `json:"commands"`
	SnapshotSeq uint64 `json:"snapshotSeq"`
	Keys        int    `json:"keys"`
	StateHash   string `json:"stateHash"`
}

func storeCopyCmd() *cobra.Command {
	var from, to string
	cmd := &cobra.Command{
		Use:   "copy --from DIR|URL --to URL|DIR",
		Short: "Copy a market into a new store, and check both replay to the same state",
		Long: `store copy copies a market from one store into another that is empty: the whole
command log, the latest snapshot, and the API keys (as digests: every token keeps
working). Each store is a data directory (SQLite) or a postgres:// URL; the usual
move is from the data directory of a single server into PostgreSQL, to run the
market with a standby and followers.

Stop the source's server first (on PostgreSQL, its leader and standbys): the
copy holds a source data directory's lock, and a PostgreSQL destination's lease
while it writes, and it ends by comparing the two logs' replays, which differ if
the source grew meanwhile. It then replays both logs from scratch (as vpool verify does) and
prints a JSON report; it exits with status 0 only when both reach the same state
hash. The source is left as it was.`,
		Example: `  vpool store copy --from ./vpool-data --to postgres://vpool@db.internal/market`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if err := mustExist(from); err != nil {
				return fmt.Errorf("--from: %w", err)
			}
			src, err := store.Open(ctx, from)
			if err != nil {
				return fmt.Errorf("--from %s: %w", describeStore(from), err)
			}
			defer src.Close()
			dst, err := store.Open(ctx, to)
			if err != nil {
				return fmt.Errorf("--to %s: %w", describeStore(to), err)
			}
			rep, err := store.Copy(ctx, dst, src)
			src.Close()
			dst.Close()
			if err != nil {
				return fmt.Errorf("copying %s into %s: %w", describeStore(from), describeStore(to), err)
			}
			out := storeCopyOutput{From: describeStore(from), To: describeStore(to), Commands: rep.Commands, SnapshotSeq: rep.SnapshotSeq, Keys: rep.Keys}
			var hashes [2]string
			for i, loc := range []string{from, to} {
				v, err := server.Verify(ctx, loc)
				if err != nil {
					return fmt.Errorf("verifying %s after the copy: %w", describeStore(loc), err)
				}
				hashes[i] = v.FullReplayHash
			}
			out.OK, out.StateHash = hashes[0] == hashes[1], hashes[1]
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetIndent("", "  ")
			if err := enc.Encode(out); err != nil {
				return err
			}
			if !out.OK {
				return errors.New("the copy replays to another state than the source: do not use it")
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&from, "from", "", "the store to copy: a data directory or a postgres:// URL (required)")
	f.StringVar(&to, "to", "", "the new, empty store: a postgres:// URL or a data directory (required)")
	cmd.MarkFlagRequired("from")
	cmd.MarkFlagRequired("to")
	return cmd
}
