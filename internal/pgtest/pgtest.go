// Package pgtest runs a real PostgreSQL server for a package's tests: the
// first test that asks for a database starts one (initdb and postgres
// into a temporary directory, on a free loopback port), every test gets
// a database of its own on it, and Main stops it when the package's tests
// end. It never mocks PostgreSQL: without the server binaries, a test
// that needs them is skipped with the reason, or fails when the
// environment sets VPOOL_REQUIRE_POSTGRES (as CI does).
//
// PostgreSQL refuses to run as root; when the tests run as root, the
// server runs as the unprivileged user Debian's package creates
// (postgres), or as nobody.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// RequireEnv is the variable that turns a missing PostgreSQL from a skip
// into a failure.
const RequireEnv = "VPOOL_REQUIRE_POSTGRES"

// superuser is the role initdb creates; tests connect as it.
const superuser = "vpool"

// Server is a running PostgreSQL server owned by the test process.
type Server struct {
	bin  string // the directory of initdb and postgres
	dir  string // the temporary directory: data/, the socket, the log
	port int
	proc *exec.Cmd
	exit chan error
	dbs  atomic.Int64
}

var (
	shared     *Server
	sharedErr  error
	sharedOnce sync.Once
	sharedMu   sync.Mutex
)

// Main runs the package's tests (m.Run) and then stops the shared server
// if a test started it. Call it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
func Main(m *testing.M) int {
	code := m.Run()
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if shared != nil {
		shared.Stop()
	}
	return code
}

// URL returns the URL of a new, empty database on the package's shared
// server, starting the server on first use. Without PostgreSQL it skips
// the test (or fails it, under VPOOL_REQUIRE_POSTGRES).
func URL(t testing.TB) string {
	t.Helper()
	s := Shared(t)
	url, err := s.CreateDatabase(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return url
}

// Shared returns the package's shared server, starting it on first use.
func Shared(t testing.TB) *Server {
	t.Helper()
	sharedOnce.Do(func() {
		bin, err := FindBin()
		if err != nil {
			sharedErr = err
			return
		}
		sharedMu.Lock()
		defer sharedMu.Unlock()
		shared, sharedErr = Start(bin)
	})
	if errors.Is(sharedErr, ErrNotInstalled) {
		if os.Getenv(RequireEnv) != "" {
			t.Fatalf("%v, and %s is set", sharedErr, RequireEnv)
		}
		t.Skipf("skipped: %v (set %s=1 to make this a failure)", sharedErr, RequireEnv)
	}
	if sharedErr != nil {
		t.Fatalf("starting PostgreSQL: %v", sharedErr)
	}
	return shared
}

// ErrNotInstalled reports that no PostgreSQL server binaries were found.
var ErrNotInstalled = errors.New("PostgreSQL is not installed (no initdb and postgres in PATH or /usr/lib/postgresql/*/bin; Debian: apt-get install postgresql)")

// FindBin returns the directory holding initdb and postgres: the one in
// PATH, else the newest of /usr/lib/postgresql/*/bin (Debian keeps them
// out of PATH).
func FindBin() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		dir := filepath.Dir(p)
		if _, err := os.Stat(filepath.Join(dir, "postgres")); err == nil {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, dir := range dirs {
		if _, err := os.Stat(filepath.Join(dir, "initdb")); err == nil {
			return dir, nil
		}
	}
	return "", ErrNotInstalled
}

// versionOf is the major version in /usr/lib/postgresql/VERSION/bin.
func versionOf(bin string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(bin)))
	return v
}

// Start initialises a cluster in a new temporary directory and starts
// postgres on it, listening on a free loopback port. The server is tuned
// for tests (fsync off: the tests kill vpool, never PostgreSQL).
func Start(bin string) (*Server, error) {
	dir, err := os.MkdirTemp("", "vpool-pgtest-")
	if err != nil {
		return nil, err
	}
	s := &Server{bin: bin, dir: dir}
	cred, err := runAs()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", s.data(), "-U", superuser,
		"--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync", "--no-instructions")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	for attempt := 0; ; attempt++ {
		err = s.run(cred)
		if err == nil {
			return s, nil
		}
		if attempt == 3 { // the free port found may be taken before postgres binds it
			os.RemoveAll(dir)
			return nil, err
		}
	}
}

// runAs is the user the server runs as: nil (this process's) unless this
// process is root, which PostgreSQL refuses.
func runAs() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, _ := strconv.ParseUint(u.Uid, 10, 32)
		gid, _ := strconv.ParseUint(u.Gid, 10, 32)
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
	}
	return nil, errors.New("the tests run as root, which PostgreSQL refuses, and there is no postgres or nobody user to run it as")
}

func (s *Server) data() string    { return filepath.Join(s.dir, "data") }
func (s *Server) logFile() string { return filepath.Join(s.dir, "postgres.log") }

// run starts postgres on a free port and waits until it accepts
// connections. The server dies with the test process (SIGKILL on the
// parent's death), so an interrupted run leaves no server behind.
func (s *Server) run(cred *syscall.Credential) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	s.port = port
	log, err := os.Create(s.logFile())
	if err != nil {
		return err
	}
	defer log.Close()
	s.proc = exec.Command(filepath.Join(s.bin, "postgres"), "-D", s.data(), "-p", strconv.Itoa(port),
		"-k", s.dir, "-c", "listen_addresses=127.0.0.1",
		"-c", "fsync=off", "-c", "full_page_writes=off", "-c", "max_connections=300",
		"-c", "shared_buffers=32MB", "-c", "log_min_messages=warning")
	s.proc.Stdout, s.proc.Stderr = log, log
	s.proc.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGKILL, Setpgid: true}
	if err := s.proc.Start(); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	s.exit = make(chan error, 1)
	go func(p *exec.Cmd, exit chan error) { exit <- p.Wait() }(s.proc, s.exit)
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case err := <-s.exit:
			out, _ := os.ReadFile(s.logFile())
			return fmt.Errorf("postgres exited during start-up: %v\n%s", err, out)
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		conn, err := pgx.Connect(ctx, s.DatabaseURL("postgres"))
		cancel()
		if err == nil {
			conn.Close(context.Background())
			return nil
		}
		if time.Now().After(deadline) {
			s.Stop()
			return fmt.Errorf("postgres not accepting connections after 30s: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// DatabaseURL is the URL of database name on the server.
func (s *Server) DatabaseURL(name string) string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", superuser, s.port, name)
}

// CreateDatabase creates a new, empty database and returns its URL.
func (s *Server) CreateDatabase(ctx context.Context) (string, error) {
	name := fmt.Sprintf("test_%d_%d", os.Getpid(), s.dbs.Add(1))
	conn, err := pgx.Connect(ctx, s.DatabaseURL("postgres"))
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("creating database %s: %w", name, err)
	}
	return s.DatabaseURL(name), nil
}

// Log returns the end of the server's log, for a failing test's message.
func (s *Server) Log() string {
	data, _ := os.ReadFile(s.logFile())
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-40):], "\n")
}

// Stop shuts the server down (a fast shutdown: open sessions are ended)
// and removes its directory.
func (s *Server) Stop() {
	if s.proc != nil && s.proc.Process != nil {
		s.proc.Process.Signal(syscall.SIGINT)
		select {
		case <-s.exit:
		case <-time.After(10 * time.Second):
			syscall.Kill(-s.proc.Process.Pid, syscall.SIGKILL)
			<-s.exit
		}
	}
	os.RemoveAll(s.dir)
}
