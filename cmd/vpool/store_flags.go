package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/vpool/vpool/store"
)

// storeEnv names a PostgreSQL store when neither --data nor --store is
// given.
const storeEnv = "VPOOL_STORE"

// storeFlags are the flags that say where a market is kept: --data DIR
// (SQLite, the default) or --store postgres://… (also VPOOL_STORE).
type storeFlags struct {
	dir string
	url string
	cmd *cobra.Command
}

const defaultDataDir = "./vpool-data"

// addStoreFlags registers --data and --store on cmd.
func addStoreFlags(cmd *cobra.Command) *storeFlags {
	sf := &storeFlags{dir: defaultDataDir, cmd: cmd}
	f := cmd.Flags()
	f.StringVar(&sf.dir, "data", sf.dir, "data directory of an embedded SQLite store (the default store)")
	f.StringVar(&sf.url, "store", "", "a PostgreSQL store instead: postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=…] (default $"+storeEnv+")")
	return sf
}

// location is where the market is kept: the --store URL, else the --data
// directory; with neither flag given, $VPOOL_STORE if set, else the
// default data directory.
func (sf *storeFlags) location() (string, error) {
	dataSet, storeSet := sf.cmd.Flags().Changed("data"), sf.cmd.Flags().Changed("store")
	switch {
	case dataSet && storeSet:
		return "", fmt.Errorf("--data and --store both name a store: give one")
	case storeSet:
		return checkStoreURL("--store", sf.url)
	case dataSet:
		return sf.dir, nil
	}
	if env := os.Getenv(storeEnv); env != "" {
		return checkStoreURL(storeEnv, env)
	}
	return sf.dir, nil
}

func checkStoreURL(what, url string) (string, error) {
	if !store.IsPostgresURL(url) {
		return "", fmt.Errorf("%s %q: want a postgres:// or postgresql:// URL (a data directory goes in --data)", what, url)
	}
	return url, nil
}

// existing is location for a command that reads a store, which must
// exist.
func (sf *storeFlags) existing() (string, error) {
	loc, err := sf.location()
	if err != nil {
		return "", err
	}
	return loc, mustExist(loc)
}

// mustExist checks that a data directory already holds a store (a
// PostgreSQL database is checked when opened).
func mustExist(location string) error {
	if store.IsPostgresURL(location) {
		return nil
	}
	if _, err := os.Stat(filepath.Join(location, store.FileName)); err != nil {
		return fmt.Errorf("no vpool data in %s (%w); give the data directory the server runs on", location, err)
	}
	return nil
}

// open opens the store for a tool working beside the servers on it
// (keys, bench), creating a data directory if missing; it also returns
// the store's name for messages.
func (sf *storeFlags) open(ctx context.Context) (store.Store, string, error) {
	return openShared(ctx, sf.location)
}

// openExisting is open for a store that must already exist.
func (sf *storeFlags) openExisting(ctx context.Context) (store.Store, string, error) {
	return openShared(ctx, sf.existing)
}

// openShared opens the store that locate names, beside its servers.
func openShared(ctx context.Context, locate func() (string, error)) (store.Store, string, error) {
	loc, err := locate()
	if err != nil {
		return nil, "", err
	}
	st, err := store.OpenShared(ctx, loc)
	return st, describeStore(loc), err
}

// describeStore names a store in messages: a data directory, or a
// PostgreSQL database without its password.
func describeStore(location string) string {
	if !store.IsPostgresURL(location) {
		return location
	}
	return store.Redact(location)
}
