package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/vpool/vpool/server"
	"github.com/vpool/vpool/store"
)

// serveConfig is what `vpool serve` is told on its command line.
type serveConfig struct {
	// store is where the market is kept: a data directory or a
	// postgres:// URL.
	store     string
	role      server.Role
	advertise string
	leaseTTL  time.Duration
	// snapshotEvery is the number of commands between snapshots (0: the
	// node's default).
	snapshotEvery int
	addr          string
	dev           bool
	demo          bool
	demoSeed      uint64
	logFormat     string
	logLevel      string
	// exitWithParent shuts the server down when its parent process exits.
	exitWithParent bool
	// maxStreams and maxStreamsPerKey bound the open event streams.
	maxStreams, maxStreamsPerKey int
}

// shutdownTimeout bounds how long in-flight requests may take to finish
// once shutdown begins; connections still busy after it are closed.
const shutdownTimeout = 30 * time.Second

// demoDir is --demo's data directory unless --data gives one.
const demoDir = "./vpool-demo"

// serveGCPercent is serve's GOGC when the environment sets none.
const serveGCPercent = 300

func serveCmd() *cobra.Command {
	cfg := serveConfig{addr: "127.0.0.1:8080"}
	var sf *storeFlags
	var standby, follow bool
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the cover and swap markets as a durable HTTP service, with a dashboard",
		Long: `serve runs the cover market and the swap market (docs/formulas.md, docs/swap.md) as an
HTTP service, with a web dashboard at /, on an embedded SQLite store in the data
directory (created if missing: no setup needed). Every accepted command is in
the log before it is answered; on start-up the market is recovered from the latest
snapshot plus the log after it, and a torn tail from a crash is cut off.

One server per data directory: serve holds a lock on DIR/vpool.lock while it
runs, and a second serve on the same --data stops at once, naming the first's
pid. The address is opened first, so a port in use is reported before the data
directory is touched. vpool keys and vpool verify work beside a running server.

Defaults: --data ./vpool-data (./vpool-demo with --demo, so that the demo never
shares a directory with your own market), --addr 127.0.0.1:8080 (loopback only;
give --addr 0.0.0.0:8080 to listen on every interface).

The API needs a key: create one with
  vpool keys create --data DIR --role admin
(it works while the server runs). --demo seeds a small market on first start,
prints an admin, an arbiter and a user key and a link that opens the dashboard
signed in as the user, and keeps the market busy.

On PostgreSQL (--store postgres://USER@HOST/DB, or VPOOL_STORE) several nodes
share one market: one leader writes, holding the market's lease; --standby
follows the log and takes over within seconds once the leader's lease ends (run
every node that may lead with --standby: the first to start leads); --follow
serves reads, quotes and the event stream from its own replica and answers
commands with 421 naming the leader. See docs/operations.md.

SIGTERM or SIGINT shuts down gracefully: no new connections, in-flight requests
finish (up to 30s), the writer drains and the store is synced and closed; the
exit status is then 0. --exit-with-parent does the same when the process that
started serve exits, however it dies: under "go run" the parent is the go tool,
and killing it would otherwise leave the server running. For a service, build
the binary (go build ./cmd/vpool) and signal it directly. Logs are structured
(slog) on stderr.`,
		Example: `  vpool serve --demo
  vpool serve --data /var/lib/vpool --addr 0.0.0.0:8080 --log-format json
  vpool serve --store postgres://vpool@db.internal/market --standby --addr 0.0.0.0:8080 --advertise http://node1:8080
  vpool serve --store postgres://vpool@db.internal/market --follow --addr 0.0.0.0:8080`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cfg.demo && !cmd.Flags().Changed("data") {
				sf.dir = demoDir
			}
			logger, err := newLogger(cmd.ErrOrStderr(), cfg.logFormat, cfg.logLevel)
			if err != nil {
				return err
			}
			if cfg.store, err = sf.location(); err != nil {
				return err
			}
			if cfg.role, err = serveRole(cfg, standby, follow); err != nil {
				return err
			}
			if os.Getenv("GOGC") == "" {
				// The market is a large, long-lived heap and every request
				// allocates: collecting at 4x the live heap rather than 2x
				// halves the collector's share of a busy server's CPU. Set
				// GOGC to choose otherwise.
				debug.SetGCPercent(serveGCPercent)
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			// Once the first signal arrives, a second one gets the default
			// action: Ctrl-C twice stops a shutdown that takes too long.
			go func() { <-ctx.Done(); stop() }()
			if cfg.exitWithParent {
				var cancel context.CancelFunc
				ctx, cancel = untilParentExits(ctx, logger)
				defer cancel()
			}
			return serve(ctx, cfg, cmd.OutOrStdout(), logger, nil)
		},
	}
	sf = addStoreFlags(cmd)
	f := cmd.Flags()
	f.StringVar(&cfg.addr, "addr", cfg.addr, "address to listen on, HOST:PORT")
	f.BoolVar(&standby, "standby", false, "PostgreSQL: follow the log and take over as the leader once the lease is free")
	f.BoolVar(&follow, "follow", false, "PostgreSQL: serve reads from a replica of the log; never lead")
	f.StringVar(&cfg.advertise, "advertise", "", "the URL other nodes name for this one when it leads (default http:// and the listening address)")
	f.DurationVar(&cfg.leaseTTL, "lease-ttl", store.DefaultLeaseTTL, "PostgreSQL: how long a silent leader keeps the lease before a standby may take over")
	f.IntVar(&cfg.snapshotEvery, "snapshot-every", server.DefaultSnapshotEvery, "commands between snapshots (recovery replays at most this many after the latest)")
	f.BoolVar(&cfg.dev, "dev", false, "development mode: allow admins to mint tokens")
	f.BoolVar(&cfg.demo, "demo", false, "seed a demo market on first start and keep it busy (implies --dev)")
	f.Uint64Var(&cfg.demoSeed, "demo-seed", 1, "seed of the demo's choices")
	f.StringVar(&cfg.logFormat, "log-format", "text", "log format on stderr: text or json")
	f.StringVar(&cfg.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	f.BoolVar(&cfg.exitWithParent, "exit-with-parent", false, "shut down gracefully when the parent process exits (for go run and scripts)")
	f.IntVar(&cfg.maxStreams, "max-streams", server.DefaultMaxStreams, "event streams open at once, at most (one more is 429)")
	f.IntVar(&cfg.maxStreamsPerKey, "max-streams-per-key", server.DefaultMaxStreamsPerKey, "event streams one key may have open, at most (one more is 429)")
	return cmd
}

func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
	}
	opt := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opt)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opt)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", format)
}

// serve runs the node and its HTTP API until ctx is cancelled, then shuts
// down gracefully and returns nil. It prints demo keys and hints on out;
// ready, if set, is called with the address once it accepts connections.
func serve(ctx context.Context, cfg serveConfig, out io.Writer, logger *slog.Logger, ready func(addr string)) error {
	// The address first: a port in use is the first thing to report,
	// before the store is opened and recovered, and a standby's lease
	// names it. Connections wait in the listen queue until recovery is
	// done.
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("--addr %s: %w", cfg.addr, err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	if cfg.advertise == "" {
		cfg.advertise = advertised(addr)
	}
	// The metrics exist before the node so that they see every commit.
	metrics := server.NewMetrics()
	node, err := server.Open(ctx, server.Options{Store: cfg.store, Role: cfg.role, Address: cfg.advertise, LeaseTTL: cfg.leaseTTL,
		SnapshotEvery: cfg.snapshotEvery, Logger: logger, OnCommit: metrics.OnCommit})
	var locked *store.LockedError
	if errors.As(err, &locked) {
		return locked
	}
	if err != nil {
		var busy *store.LeaderBusyError
		if errors.As(err, &busy) {
			return fmt.Errorf("%w\nstart this node with --standby to take over when that one stops, or with --follow to serve reads", err)
		}
		return fmt.Errorf("opening %s: %w", describeStore(cfg.store), err)
	}
	closeNode := func() {
		if err := node.Close(); err != nil {
			logger.Error("closing the store", "err", err)
			return
		}
		logger.Info("store closed: every acknowledged command is durable")
	}

	var demo *server.Demo
	var seeded bool
	if cfg.demo {
		cfg.dev = true
		demo = server.NewDemo(cfg.demoSeed)
		// Before serving: the seed must be the start of the log.
		if seeded, err = demo.Prepare(ctx, node); err != nil {
			closeNode()
			if errors.Is(err, server.ErrNotDemoMarket) {
				return fmt.Errorf("--demo: %s holds a market the demo did not seed; use another --data directory", describeStore(cfg.store))
			}
			return fmt.Errorf("--demo: %w", err)
		}
	}

	streams, endStreams := context.WithCancel(context.Background())
	defer endStreams()
	handler := server.NewHandler(node, server.HandlerOptions{Dev: cfg.dev, Logger: logger, Metrics: metrics,
		MaxStreams: cfg.maxStreams, MaxStreamsPerKey: cfg.maxStreamsPerKey, Shutdown: streams})
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       requestReadTimeout,
		WriteTimeout:      requestWriteTimeout,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	logger.Info("listening", "url", "http://"+addr, "store", describeStore(cfg.store), "role", node.Role().String(), "dev", cfg.dev, "demo", cfg.demo)

	var demoDone sync.WaitGroup
	demoCtx, stopDemo := context.WithCancel(context.Background())
	defer stopDemo()
	if cfg.demo {
		if seeded {
			if err := printDemoKeys(ctx, node, out, addr); err != nil {
				logger.Error("creating the demo keys", "err", err)
			}
		} else {
			fmt.Fprintf(out, "\nThe demo market was seeded on an earlier start; its keys were printed then.\nCreate another with: vpool keys create %s --role user --account %s\n\n", storeArgs(cfg.store), server.DemoUserAccount)
		}
		demoDone.Add(1)
		go func() {
			defer demoDone.Done()
			logger.Info("demo activity started", "seed", cfg.demoSeed, "interval", server.DemoInterval.String())
			if err := demo.Run(demoCtx, node, logger, server.DemoInterval); err != nil {
				logger.Error("demo stopped", "err", err)
			}
		}()
	} else {
		logger.Info("API keys are created with `vpool keys create`", "example", "vpool keys create "+storeArgs(cfg.store)+" --role admin")
	}
	if ready != nil {
		ready(addr)
	}

	var fenced error
	select {
	case <-ctx.Done():
		logger.Info("shutting down: no new connections; draining in-flight requests", "timeout", shutdownTimeout.String())
	case <-node.Fenced():
		fenced = errors.New("fenced: this node lost the market's lease (another node may lead now); it stopped writing and exits")
		logger.Error("shutting down", "err", fenced)
	case err := <-served:
		logger.Error("the HTTP server stopped", "err", err)
		stopDemo()
		demoDone.Wait()
		closeNode()
		return err
	}
	stopDemo()
	demoDone.Wait()
	endStreams()
	drain, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(drain); err != nil {
		logger.Warn("requests still running at the shutdown deadline were cut", "err", err)
		srv.Close()
	} else {
		logger.Info("HTTP drained")
	}
	<-served
	closeNode()
	logger.Info("stopped")
	return fenced
}

// serveRole is the node's role from --standby and --follow, which need a
// PostgreSQL store and exclude --demo.
func serveRole(cfg serveConfig, standby, follow bool) (server.Role, error) {
	role := server.Lead
	switch {
	case standby && follow:
		return role, errors.New("--standby and --follow exclude each other: a standby may lead, a follower never does")
	case standby:
		role = server.Standby
	case follow:
		role = server.Follow
	}
	if role != server.Lead && !store.IsPostgresURL(cfg.store) {
		return role, fmt.Errorf("--%s needs a PostgreSQL store (--store postgres://… or %s): nodes share a market only through one", map[server.Role]string{server.Standby: "standby", server.Follow: "follow"}[role], storeEnv)
	}
	if role != server.Lead && cfg.demo {
		return role, errors.New("--demo seeds the market as it starts, so it runs on a leader: not with --standby or --follow")
	}
	return role, nil
}

// advertised is the URL of a listening address for other nodes: an
// unspecified host (0.0.0.0, ::) becomes this machine's name.
func advertised(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err == nil {
		if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
			if name, err := os.Hostname(); err == nil {
				host = name
			}
		}
		addr = net.JoinHostPort(host, port)
	}
	return "http://" + addr
}

// storeArgs are the flags that name a store on a command line (a
// PostgreSQL URL without its password).
func storeArgs(location string) string {
	if store.IsPostgresURL(location) {
		return "--store '" + describeStore(location) + "'"
	}
	return "--data " + location
}

// Request deadlines, set by the http.Server on each request: reading the
// request (headers and body) and writing the answer. An authenticated
// event stream lifts them (server.HandlerOptions), since it must outlive
// them; every other request, and any request before it is authenticated,
// keeps them.
const (
	requestReadTimeout  = 30 * time.Second
	requestWriteTimeout = 60 * time.Second
)

// printDemoKeys creates an admin, an arbiter and a user key for the demo
// market and prints them once, with a first command to try.
func printDemoKeys(ctx context.Context, node *server.Node, out io.Writer, addr string) error {
	type demoKey struct{ role, account, token string }
	keys := []demoKey{{role: "admin"}, {role: "arbiter"}, {role: "user", account: server.DemoUserAccount}}
	for i := range keys {
		token, _, err := node.Store().CreateKey(ctx, store.NewKey{Role: keys[i].role, Account: keys[i].account}, time.Now())
		if err != nil {
			return err
		}
		keys[i].token = token
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n==================== vpool demo ====================\n")
	fmt.Fprintf(&b, "A demo market is running at http://%s\n", addr)
	fmt.Fprintf(&b, "API keys (shown this once; they cannot be recovered):\n\n")
	fmt.Fprintf(&b, "  admin    %s\n", keys[0].token)
	fmt.Fprintf(&b, "  arbiter  %s\n", keys[1].token)
	fmt.Fprintf(&b, "  user     %s   (account %q, holds %s USDC and some of each swap token)\n\n", keys[2].token, server.DemoUserAccount, thousands(server.DemoUserFunds/1_000_000))
	fmt.Fprintf(&b, "Dashboard, signed in as the user (or paste another key at http://%s/):\n  http://%s/#key=%s\n\n", addr, addr, keys[2].token)
	fmt.Fprintf(&b, "Or try the API:\n")
	fmt.Fprintf(&b, "  export VPOOL_KEY=%s\n", keys[2].token)
	fmt.Fprintf(&b, "  curl -s http://%s/v1/pools -H \"Authorization: Bearer $VPOOL_KEY\"\n", addr)
	fmt.Fprintf(&b, "  curl -s http://%s/v1/swap/pairs -H \"Authorization: Bearer $VPOOL_KEY\"\n", addr)
	fmt.Fprintf(&b, "====================================================\n\n")
	_, err := io.WriteString(out, b.String())
	return err
}

// thousands writes n with a comma between groups of three digits.
func thousands(n uint64) string {
	s := strconv.FormatUint(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
