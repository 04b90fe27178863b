package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/vpool/vpool/internal/pgtest"
)

func TestServeRefusesRolesAndStoresThatDoNotGo(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		env  string
		want string
	}{
		{args: []string{"--standby", "--data", dir}, want: "needs a PostgreSQL store"},
		{args: []string{"--follow"}, want: "needs a PostgreSQL store"},
		{args: []string{"--standby", "--follow", "--store", "postgres://h/db"}, want: "exclude each other"},
		{args: []string{"--demo", "--standby", "--store", "postgres://h/db"}, want: "runs on a leader"},
		{args: []string{"--data", dir, "--store", "postgres://h/db"}, want: "give one"},
		{args: []string{"--store", dir}, want: "want a postgres:// or postgresql:// URL"},
		{env: dir, want: "VPOOL_STORE"},
	} {
		t.Setenv(storeEnv, tc.env)
		_, _, err := run(t, serveCmd(), append([]string{"--addr", "127.0.0.1:0"}, tc.args...)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("serve %v (VPOOL_STORE=%q): %v, want an error about %q", tc.args, tc.env, err, tc.want)
		}
	}
}

// With neither --data nor --store, VPOOL_STORE names the store.
func TestVPOOLSTORENamesTheStore(t *testing.T) {
	url := pgtest.URL(t)
	t.Setenv(storeEnv, url)
	if _, _, err := run(t, keysCmd(), "create", "--role", "admin"); err != nil {
		t.Fatal(err)
	}
	stdout, _, err := run(t, keysCmd(), "list", "--json")
	var list struct{ Keys []struct{ Role string } }
	if err != nil || json.Unmarshal([]byte(stdout), &list) != nil || len(list.Keys) != 1 || list.Keys[0].Role != "admin" {
		t.Fatalf("keys list on VPOOL_STORE: %v\n%s", err, stdout)
	}
	// An explicit --data wins over the environment.
	if stdout, _, err := run(t, keysCmd(), "list", "--json", "--data", t.TempDir()); err == nil {
		t.Fatalf("keys list --data on an empty directory: %s", stdout)
	}
}
