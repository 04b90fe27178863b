package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/vpool/vpool/internal/httpbench"
	"github.com/vpool/vpool/store"
)

// benchHTTPConfig is what `vpool bench http` is told on its command line.
type benchHTTPConfig struct {
	addr      string
	keys      []string
	setup     bool
	dir       string
	storeURL  string
	users     int
	pools     int
	clients   int
	duration  time.Duration
	readRatio float64
	badRatio  float64
	seed      uint64
	profile   string
}

func benchHTTPCmd() *cobra.Command {
	cfg := benchHTTPConfig{clients: 64, duration: 20 * time.Second, readRatio: 0.5, badRatio: 0.01,
		users: 8, pools: httpbench.DefaultSetup.Pools, seed: 1}
	cmd := &cobra.Command{
		Use:   "http --addr HOST:PORT --key KEY",
		Short: "Drive a running server over HTTP and print mutations/s, reads/s and latencies",
		Long: `bench http drives a running vpool server with a realistic mix over keep-alive
connections and prints one JSON line:
  {"mutations_per_sec":…, "reads_per_sec":…, "p50_ms":…, "p99_ms":…,
   "mutation_p50_ms":…, "mutation_p99_ms":…, "read_p50_ms":…, "read_p99_ms":…,
   "mutations":…, "mutations_failed":…, "reads":…, "errors":…, "clients":…, "duration_s":…}

Each of --clients clients acts as one user account and sends, one request at a
time until --duration has passed: reads (--read-ratio of the requests) of the
pool list, a pool, one of its covers or one of its account's positions; and
mutations, one command per POST /v1/commands: 40% openCover, 30% updateCover
(top-ups mostly, some resizes, a few closes), 20% takeInterests, 10%
addLiquidity, of which --bad-ratio are built to fail in the engine (a zero
amount, an unknown id, another account's cover). A mutation counts once the
server has answered it, that is once it is durable; one the engine refused is
durable too and is counted in mutations_failed as well. Latency is per request,
from send to the end of the answer. errors counts requests that failed at the
HTTP level. Each client keeps one keep-alive HTTP/1.1 connection of its own
(plain http). On Linux one event loop on one thread drives all the connections
over epoll, as wrk does, rather than a goroutine per connection through
net/http's Transport, so that on a small machine the bench leaves as much CPU as
it can to the server it measures (elsewhere each connection has a goroutine).

Keys and market: --key (repeatable) takes API keys; the bench asks
GET /v1/whoami what each is. The clients act as the accounts of the user keys,
spread evenly over them.

  --setup (on a server started with --dev) builds the bench's own market first:
  with an admin key among --key, it creates an asset (BENCH), a strategy and
  --pools pools, mints every user ample funds, and each user opens a position
  in every pool (some over two pools) and a few covers. With no user key among
  --key, --data names the server's data directory on this machine (or --store
  its PostgreSQL database) and the bench creates --users user keys in it
  (accounts bench-XXXXXX-N), as vpool keys create does.

  without --setup, the bench acts on what is there: the open pools and, for
  each user key, its account's positions and active covers; covers are paid
  from the account's balance (nothing is minted).

Setup is not timed. Every command the bench sends stays in the server's log:
run it against a scratch data directory, never against a market that matters.`,
		Example: `  vpool serve --dev --data /tmp/vb --addr 127.0.0.1:8080 &
  ADMIN=$(vpool keys create --data /tmp/vb --role admin)
  vpool bench http --addr 127.0.0.1:8080 --key $ADMIN --setup --data /tmp/vb

  U1=$(vpool keys create --data /tmp/vb --role user --account ann)
  U2=$(vpool keys create --data /tmp/vb --role user --account ben)
  vpool bench http --addr 127.0.0.1:8080 --key $ADMIN --key $U1 --key $U2 --setup --clients 16 --duration 5s
  vpool bench http --addr 127.0.0.1:8080 --key $U1 --key $U2 --read-ratio 0.9`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runBenchHTTP(cmd.Context(), cfg, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.addr, "addr", "", "the server, HOST:PORT or http://HOST:PORT (required)")
	f.StringArrayVar(&cfg.keys, "key", nil, "an API key: user keys to act as, and with --setup an admin key (repeatable)")
	f.BoolVar(&cfg.setup, "setup", false, "build the bench's own market first (needs an admin key and a --dev server)")
	f.StringVar(&cfg.dir, "data", "", "with --setup and no user key: the server's data directory, where user keys are created")
	f.StringVar(&cfg.storeURL, "store", "", "with --setup and no user key: the server's PostgreSQL store (postgres://…), where user keys are created")
	f.IntVar(&cfg.users, "users", cfg.users, "with --setup and --data: how many user keys to create")
	f.IntVar(&cfg.pools, "pools", cfg.pools, "with --setup: how many pools to create")
	f.IntVar(&cfg.clients, "clients", cfg.clients, "concurrent clients, one request in flight each (1 to 4096)")
	f.DurationVar(&cfg.duration, "duration", cfg.duration, "how long to drive the server (at most 1h)")
	f.Float64Var(&cfg.readRatio, "read-ratio", cfg.readRatio, "share of requests that are reads, 0 to 1")
	f.Float64Var(&cfg.badRatio, "bad-ratio", cfg.badRatio, "share of mutations built to fail in the engine, 0 to 1")
	f.Uint64Var(&cfg.seed, "seed", cfg.seed, "seed of the clients' choices")
	f.StringVar(&cfg.profile, "cpuprofile", "", "write the bench client's own CPU profile (timed part only) to this file")
	cmd.MarkFlagRequired("addr")
	return cmd
}

func (cfg benchHTTPConfig) check() error {
	switch {
	case cfg.clients < 1 || cfg.clients > 4096:
		return fmt.Errorf("--clients %d: want 1 to 4096", cfg.clients)
	case cfg.duration <= 0 || cfg.duration > time.Hour:
		return fmt.Errorf("--duration %s: want more than 0 and at most 1h", cfg.duration)
	case cfg.readRatio < 0 || cfg.readRatio > 1:
		return fmt.Errorf("--read-ratio %g: want 0 to 1", cfg.readRatio)
	case cfg.badRatio < 0 || cfg.badRatio > 1:
		return fmt.Errorf("--bad-ratio %g: want 0 to 1", cfg.badRatio)
	case strings.HasPrefix(cfg.addr, "https://"):
		return errors.New("--addr: the bench speaks plain http only; run it next to the server")
	case len(cfg.keys) == 0:
		return errors.New("--key is required: user keys to act as, and with --setup an admin key")
	case cfg.setup && (cfg.users < 1 || cfg.users > 1000):
		return fmt.Errorf("--users %d: want 1 to 1000", cfg.users)
	case cfg.setup && (cfg.pools < 1 || cfg.pools > 256):
		return fmt.Errorf("--pools %d: want 1 to 256", cfg.pools)
	case !cfg.setup && (cfg.dir != "" || cfg.storeURL != ""):
		return errors.New("--data and --store go with --setup (they say where the bench creates its user keys)")
	case cfg.dir != "" && cfg.storeURL != "":
		return errors.New("--data and --store both name a store: give one")
	case cfg.storeURL != "" && !store.IsPostgresURL(cfg.storeURL):
		return fmt.Errorf("--store %q: want a postgres:// URL", cfg.storeURL)
	}
	return nil
}

func runBenchHTTP(ctx context.Context, cfg benchHTTPConfig, out, log io.Writer) error {
	if err := cfg.check(); err != nil {
		return err
	}
	c, err := httpbench.NewClient(cfg.addr, cfg.clients)
	if err != nil {
		return err
	}
	defer c.Close()
	began := time.Now()
	admin, users, err := benchKeys(ctx, c, cfg.keys)
	if err != nil {
		return err
	}
	var market *httpbench.Market
	if cfg.setup {
		if admin == "" {
			return errors.New("--setup needs an admin key among --key")
		}
		if len(users) == 0 {
			location := cfg.dir + cfg.storeURL // at most one is set
			if location == "" {
				return errors.New("--setup needs user keys: give some with --key, or --data DIR (--store URL) to create them")
			}
			if users, err = createBenchUsers(ctx, location, cfg.users); err != nil {
				return err
			}
		}
		opt := httpbench.DefaultSetup
		opt.Pools = cfg.pools
		if market, err = httpbench.Setup(ctx, c, admin, users, opt); err != nil {
			return err
		}
	} else {
		if len(users) == 0 {
			return errors.New("no user key among --key: the bench acts as user accounts")
		}
		if market, err = httpbench.Discover(ctx, c, users); err != nil {
			return err
		}
	}
	fmt.Fprintf(log, "bench http: %d pools, %d accounts, setup %.1fs; driving %s with %d clients for %s\n",
		len(market.Pools), len(market.Users), time.Since(began).Seconds(), c.Base(), cfg.clients, cfg.duration)
	load, err := httpbench.NewLoad(market, cfg.clients, httpbench.Mix{ReadRatio: cfg.readRatio, BadRatio: cfg.badRatio}, cfg.seed)
	if err != nil {
		return err
	}
	if cfg.profile != "" {
		f, err := os.Create(cfg.profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	stats := load.Run(ctx, c, cfg.duration)
	if cfg.profile != "" {
		pprof.StopCPUProfile()
	}
	if stats.Mutations+stats.Reads == 0 && stats.FirstError != nil {
		return fmt.Errorf("no request succeeded: %w", stats.FirstError)
	}
	return json.NewEncoder(out).Encode(stats.Report(cfg.clients))
}

// benchKeys asks the server whose each key is: it returns the first admin
// key and the user keys with their accounts.
func benchKeys(ctx context.Context, c *httpbench.Client, keys []string) (admin string, users []*httpbench.User, err error) {
	for i, k := range keys {
		who, err := c.Whoami(ctx, k)
		if err != nil {
			return "", nil, fmt.Errorf("--key #%d: %w", i+1, err)
		}
		switch {
		case who.Role == "user" && who.Account != "":
			users = append(users, &httpbench.User{Account: who.Account, Key: k})
		case who.Role == "admin" && admin == "":
			admin = k
		}
	}
	return admin, users, nil
}

// createBenchUsers makes n user keys in the store at location.
func createBenchUsers(ctx context.Context, location string, n int) ([]*httpbench.User, error) {
	if err := mustExist(location); err != nil {
		return nil, err
	}
	st, err := store.OpenShared(ctx, location)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	var tag [3]byte
	if _, err := rand.Read(tag[:]); err != nil {
		return nil, err
	}
	var users []*httpbench.User
	for i := 0; i < n; i++ {
		account := fmt.Sprintf("bench-%s-%d", hex.EncodeToString(tag[:]), i)
		token, _, err := st.CreateKey(ctx, store.NewKey{Role: "user", Account: account}, time.Now())
		if err != nil {
			return nil, fmt.Errorf("creating a user key in %s: %w", describeStore(location), err)
		}
		users = append(users, &httpbench.User{Account: account, Key: token})
	}
	return users, nil
}
