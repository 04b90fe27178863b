package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/vpool/vpool/server"
	"github.com/vpool/vpool/store"
)

func keysCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "Create, list and revoke the API keys of a store",
		Long: `keys manages the API keys of a store: a data directory (--data) or a PostgreSQL
database (--store, or VPOOL_STORE). Every subcommand works beside running
servers on that store: a new key works at once, and a revoked one is refused
within a second, by every node of a PostgreSQL market.`,
	}
	cmd.AddCommand(keysCreateCmd(), keysListCmd(), keysRevokeCmd())
	return cmd
}

func keysCreateCmd() *cobra.Command {
	var role, account, expires string
	var sf *storeFlags
	cmd := &cobra.Command{
		Use:   "create --role admin|arbiter|user [--account NAME] [--expires 30d]",
		Short: "Create an API key and print its token once",
		Long: `keys create makes a new API key in the store and prints its token on
standard output, alone on one line. Only a SHA-256 digest of the secret is
stored: the token cannot be shown again, so keep it now. Clients send it as
"Authorization: Bearer TOKEN".

Roles:
  admin    pools, configuration, pause, freeze, compatibility, strategy index,
           the keys' HTTP routes (and mint when the server runs with --dev)
  arbiter  resolves claims
  user     acts only as its own --account (required): it owns what it opens,
           and reading another account is refused

--expires gives the key a lifetime (30d, 12h, 1d12h): after it the key is
refused. Without it the key works until revoked (vpool keys revoke).

It works while the server is running.`,
		Example: `  vpool keys create --data ./vpool-data --role admin
  TOKEN=$(vpool keys create --data ./vpool-data --role user --account alice --expires 30d)
  vpool keys create --store postgres://vpool@db.internal/market --role admin`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := server.CheckNewKey(role, account); err != nil {
				return err
			}
			now := time.Now()
			nk := store.NewKey{Role: role, Account: account}
			if expires != "" {
				life, err := server.ParseKeyLifetime(expires)
				if err != nil {
					return fmt.Errorf("--expires: %w", err)
				}
				nk.Expires = now.Add(life)
			}
			st, where, err := sf.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			token, key, err := st.CreateKey(cmd.Context(), nk, now)
			if err != nil {
				return fmt.Errorf("creating the key: %w", err)
			}
			fmt.Fprintln(cmd.OutOrStdout(), token)
			who, until := "", ""
			if account != "" {
				who = fmt.Sprintf(" for account %q", account)
			}
			if !key.Expires.IsZero() {
				until = ", valid until " + key.Expires.Format(time.RFC3339)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "created %s key %s%s%s in %s.\nThe token above is shown only this once and cannot be recovered: store it now.\n",
				role, key.ID, who, until, where)
			return nil
		},
	}
	sf = addStoreFlags(cmd)
	f := cmd.Flags()
	f.StringVar(&role, "role", "", "admin, arbiter or user (required)")
	f.StringVar(&account, "account", "", "the account a user key acts as: 1 to 64 bytes, printable, no spaces (required for user, refused for the others)")
	f.StringVar(&expires, "expires", "", "lifetime of the key, e.g. 30d, 12h or 1d12h (default: until revoked)")
	cmd.MarkFlagRequired("role")
	return cmd
}

func keysListCmd() *cobra.Command {
	var sf *storeFlags
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the API keys: id, role, account, status, created, last used, expiry",
		Long: `keys list prints every key of the store, revoked and expired ones too,
oldest first: its id (the vpk_ID_… part of its token), role, account, status
(active, expired or revoked), when it was created, last used (to within a
minute) and expires. Secrets are never shown: only their digests are stored.
--json prints {"keys": [...]}, as GET /v1/keys does.`,
		Example: `  vpool keys list --data ./vpool-data`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, _, err := sf.openExisting(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			keys, err := st.ListKeys(cmd.Context())
			if err != nil {
				return err
			}
			now := time.Now()
			infos := make([]server.KeyInfo, len(keys))
			for i, k := range keys {
				infos[i] = server.NewKeyInfo(k, now)
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(struct {
					Keys []server.KeyInfo `json:"keys"`
				}{infos})
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tROLE\tACCOUNT\tSTATUS\tCREATED\tLAST USED\tEXPIRES")
			for _, k := range infos {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Role, orDash(k.Account), k.Status,
					k.Created, orWord(k.LastUsed, "never"), orWord(k.Expires, "never"))
			}
			return tw.Flush()
		},
	}
	sf = addStoreFlags(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	return cmd
}

func keysRevokeCmd() *cobra.Command {
	var sf *storeFlags
	cmd := &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke an API key: a running server refuses it within a second",
		Long: `keys revoke marks the key ID (as keys list shows it, the vpk_ID_… part of its
token) revoked. A server running on the store refuses it within a second, with
401. Revoking is final: create a new key to give access again.
Revoking a revoked key changes nothing.`,
		Example: `  vpool keys revoke --data ./vpool-data 3f9c0a1b2c3d4e5f`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, where, err := sf.openExisting(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			now := time.Now()
			key, err := st.RevokeKey(cmd.Context(), args[0], now)
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("no API key %q in %s (vpool keys list shows the ids)", args[0], where)
			}
			if err != nil {
				return err
			}
			when := key.Revoked.Format(time.RFC3339)
			if key.Revoked.Unix() < now.Unix() {
				fmt.Fprintf(cmd.ErrOrStderr(), "%s key %s was already revoked at %s.\n", key.Role, key.ID, when)
				return nil
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "revoked %s key %s at %s: a server on %s refuses it within a second.\n", key.Role, key.ID, when, where)
			return nil
		},
	}
	sf = addStoreFlags(cmd)
	return cmd
}

func orDash(s string) string { return orWord(s, "-") }

func orWord(s, word string) string {
	if s == "" {
		return word
	}
	return s
}
