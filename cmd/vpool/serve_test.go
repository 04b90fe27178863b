package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/vpool/vpool/server"
	"github.com/vpool/vpool/store"
)

// run executes a cobra command with args and returns its stdout, stderr
// and error.
func run(t *testing.T, cmd *cobra.Command, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err = cmd.ExecuteContext(context.Background())
	return out.String(), errOut.String(), err
}

func TestKeysCreatePrintsATokenThatAuthenticates(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ role, account string }{{"admin", ""}, {"arbiter", ""}, {"user", "alice"}} {
		args := []string{"create", "--data", dir, "--role", tc.role}
		if tc.account != "" {
			args = append(args, "--account", tc.account)
		}
		stdout, stderr, err := run(t, keysCmd(), args...)
		if err != nil {
			t.Fatalf("%s: %v", tc.role, err)
		}
		token := strings.TrimSpace(stdout)
		if strings.Count(stdout, "\n") != 1 || !strings.HasPrefix(token, "vpk_") {
			t.Fatalf("%s: stdout %q, want the token alone on one line", tc.role, stdout)
		}
		if !strings.Contains(stderr, "cannot be recovered") {
			t.Errorf("%s: stderr %q should say the token cannot be shown again", tc.role, stderr)
		}
		st, err := store.Open(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		key, err := st.Authenticate(context.Background(), token, time.Now())
		st.Close()
		if err != nil || key.Role != tc.role || key.Account != tc.account {
			t.Fatalf("%s: authenticates as %+v, %v", tc.role, key, err)
		}
	}
}

func TestKeysCreateRefusesBadRequestsBeforeWriting(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "never")
	for _, args := range [][]string{
		{"--role", "root"},
		{"--role", "user"},
		{"--role", "admin", "--account", "alice"},
		{"--role", "user", "--account", "treasury"},
		{"--role", "user", "--account", "two words"},
		{"--role", "user", "--account", "bob\x00"},
		{"--role", "user", "--account", "\u200bbob"},
		{},
	} {
		stdout, _, err := run(t, keysCmd(), append([]string{"create", "--data", dir}, args...)...)
		if err == nil || stdout != "" {
			t.Errorf("%v: stdout %q, err %v; want an error and no token", args, stdout, err)
		}
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("a refused request created %s", dir)
	}
}

// seedDir opens a node in dir, submits the demo seed and a few steps, and
// closes it.
func seedDir(t *testing.T, dir string) {
	t.Helper()
	ctx := context.Background()
	n, err := server.Open(ctx, server.Options{Store: dir, SnapshotEvery: 10})
	if err != nil {
		t.Fatal(err)
	}
	d := server.NewDemo(1)
	if _, err := d.Prepare(ctx, n); err != nil {
		t.Fatal(err)
	}
	for range 20 {
		if _, err := d.Step(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestVerifyAgreesOnAHealthyLogAndFailsOnATamperedOne(t *testing.T) {
	dir := t.TempDir()
	seedDir(t, dir)
	stdout, _, err := run(t, verifyCmd(), "--data", dir)
	if err != nil {
		t.Fatalf("verify: %v\n%s", err, stdout)
	}
	var rep verifyOutput
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if !rep.OK || rep.Commands < 40 || rep.SnapshotSeq == 0 || rep.FullReplayHash != rep.RecoveredHash || rep.FullReplayHash == "" {
		t.Fatalf("report %+v", rep)
	}

	db, err := sql.Open("sqlite", filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	// A record whose stored outcome no longer matches what replay gives.
	if _, err := db.Exec(`UPDATE commands SET outcome = '{"seq":5,"ok":false,"error":"frozen"}' WHERE seq = 5`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	stdout, _, err = run(t, verifyCmd(), "--data", dir)
	if err == nil || !strings.Contains(stdout, `"ok": false`) || !strings.Contains(stdout, `"error"`) {
		t.Fatalf("tampered log: err %v, report %s", err, stdout)
	}

	if _, _, err := run(t, verifyCmd(), "--data", filepath.Join(dir, "missing")); err == nil || !strings.Contains(err.Error(), "no vpool data") {
		t.Fatalf("missing directory: %v", err)
	}
}

// syncBuffer is a bytes.Buffer safe for the server's writes and the
// test's reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs serve in the background and returns its address, its
// stdout, a function that stops it (as SIGTERM would) and returns serve's
// result.
func startServe(t *testing.T, cfg serveConfig) (addr string, out *syncBuffer, stop func() error) {
	t.Helper()
	out = &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	go func() { done <- serve(ctx, cfg, out, logger, func(a string) { ready <- a }) }()
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("serve: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not start")
	}
	stopped := false
	stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			t.Fatal("serve did not stop within 10s of the signal")
			return nil
		}
	}
	t.Cleanup(func() { stop() })
	return addr, out, stop
}

var tokenLine = regexp.MustCompile(`(?m)^\s+(admin|arbiter|user)\s+(vpk_\S+)`)

func get(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

func TestServeDemoPrintsWorkingKeysAndShutsDownCleanly(t *testing.T) {
	dir := t.TempDir()
	addr, out, stop := startServe(t, serveConfig{store: dir, addr: "127.0.0.1:0", demo: true, demoSeed: 1})
	keys := map[string]string{}
	for _, m := range tokenLine.FindAllStringSubmatch(out.String(), -1) {
		keys[m[1]] = m[2]
	}
	if len(keys) != 3 || !strings.Contains(out.String(), `account "newcomer", holds 10,000 USDC`) {
		t.Fatalf("want an admin, an arbiter and a user key printed, got:\n%s", out.String())
	}
	base := "http://" + addr
	if code, _ := get(t, base+"/healthz", ""); code != http.StatusOK {
		t.Fatalf("/healthz: %d", code)
	}
	if code, body := get(t, base+"/v1/accounts/"+server.DemoUserAccount, keys["user"]); code != http.StatusOK {
		t.Fatalf("the printed user key reading its account: %d %s", code, body)
	}
	if code, _ := get(t, base+"/v1/pools", "vpk_not_a_key"); code != http.StatusUnauthorized {
		t.Fatalf("a bad key: %d, want 401", code)
	}

	// A live client on the event stream must not hold shutdown up.
	req, _ := http.NewRequest("GET", base+"/v1/events/stream", nil)
	req.Header.Set("Authorization", "Bearer "+keys["admin"])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("/v1/events/stream: %d", res.StatusCode)
	}
	line, err := bufio.NewReader(res.Body).ReadString('\n')
	if err != nil || line == "" {
		t.Fatalf("the stream sent nothing: %q %v", line, err)
	}

	began := time.Now()
	if err := stop(); err != nil {
		t.Fatalf("serve returned %v after the signal, want nil", err)
	}
	if took := time.Since(began); took > 5*time.Second {
		t.Fatalf("shutdown took %v", took)
	}
	rep, err := server.Verify(context.Background(), dir)
	if err != nil || rep.Commands == 0 {
		t.Fatalf("verify after shutdown: %+v %v", rep, err)
	}

	// A second start picks the demo market up and prints no new keys.
	_, out, stop = startServe(t, serveConfig{store: dir, addr: "127.0.0.1:0", demo: true, demoSeed: 1})
	if tokenLine.MatchString(out.String()) || !strings.Contains(out.String(), "earlier start") {
		t.Fatalf("second start printed:\n%s", out.String())
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

func TestServeDemoRefusesAnotherMarket(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	n, err := server.Open(ctx, server.Options{Store: dir})
	if err != nil {
		t.Fatal(err)
	}
	n.Submit(ctx, []server.Command{{Op: "addAsset", Args: json.RawMessage(`{"symbol":"DAI","decimals":18}`)}})
	n.Close()
	err = serve(ctx, serveConfig{store: dir, addr: "127.0.0.1:0", demo: true}, io.Discard, slog.New(slog.DiscardHandler), nil)
	if err == nil || !strings.Contains(err.Error(), "did not seed") {
		t.Fatalf("serve --demo on another market: %v", err)
	}
}

func TestServeRefusesABadLogFormat(t *testing.T) {
	if _, _, err := run(t, serveCmd(), "--log-format", "xml"); err == nil {
		t.Fatal("--log-format xml accepted")
	}
}
