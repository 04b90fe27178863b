package main

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/spf13/cobra"
	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/store"
)

func keysCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "Manage the API keys of a data directory",
	}
	cmd.AddCommand(keysCreateCmd())
	return cmd
}

// keyRoles are the roles a key may have.
var keyRoles = map[string]bool{
	"admin":   true,
	"arbiter": true,
	"user":    true,
}

func keysCreateCmd() *cobra.Command {
	var dir, role, account string
	cmd := &cobra.Command{
		Use:   "create --role admin|arbiter|user [--account NAME]",
		Short: "Create an API key and print its token once",
		Long: `keys create makes a new API key in the data directory and prints its token on
standard output, alone on one line. Only a SHA-256 digest of the secret is
stored: the token cannot be shown again, so keep it now. Clients send it as
"Authorization: Bearer TOKEN".

Roles:
  admin    pools, configuration, pause, freeze, compatibility, strategy index
           (and mint when the server runs with --dev)
  arbiter  resolves claims
  user     acts only as its own --account (required): it owns what it opens,
           and reading another account is refused

It works while the server is running.`,
		Example: `  vpool keys create --data ./vpool-data --role admin
  TOKEN=$(vpool keys create --data ./vpool-data --role user --account alice)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkKeyRequest(role, account); err != nil {
				return err
			}
			st, err := store.Open(dir)
			if err != nil {
				return err
			}
			defer st.Close()
			token, key, err := st.CreateKey(cmd.Context(), role, account, time.Now())
			if err != nil {
				return fmt.Errorf("creating the key: %w", err)
			}
			fmt.Fprintln(cmd.OutOrStdout(), token)
			who := ""
			if account != "" {
				who = fmt.Sprintf(" for account %q", account)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "created %s key %s%s in %s.\nThe token above is shown only this once and cannot be recovered: store it now.\n",
				role, key.ID, who, dir)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&dir, "data", "./vpool-data", "data directory")
	f.StringVar(&role, "role", "", "admin, arbiter or user (required)")
	f.StringVar(&account, "account", "", "the account a user key acts as (required for user, refused for the others)")
	cmd.MarkFlagRequired("role")
	return cmd
}

// checkKeyRequest validates a role and account before anything is written.
func checkKeyRequest(role, account string) error {
	if !keyRoles[role] {
		return fmt.Errorf("--role %q: want admin, arbiter or user", role)
	}
	if role != "user" {
		if account != "" {
			return fmt.Errorf("--account is only for user keys: a %s key acts for no account", role)
		}
		return nil
	}
	switch {
	case account == "":
		return fmt.Errorf("a user key needs --account NAME: the account it acts as")
	case account == cover.Treasury || account == cover.RiskFund:
		return fmt.Errorf("--account %q is a fee account of the market; no user key may act as it", account)
	case len(account) > 64 || strings.IndexFunc(account, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return fmt.Errorf("--account %q: want a name of at most 64 characters without spaces", account)
	}
	return nil
}
