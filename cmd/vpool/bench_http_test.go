package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vpool/vpool/server"
	"github.com/vpool/vpool/store"
)

// benchHTTP runs `vpool bench http` with args and returns its stdout.
func benchHTTP(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	cmd := benchHTTPCmd()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.ExecuteContext(context.Background())
	return out.String(), errOut.String(), err
}

// benchTarget serves the API of a fresh --dev node on a loopback port.
func benchTarget(t *testing.T) (dir, addr string, n *server.Node) {
	t.Helper()
	dir = t.TempDir()
	n, err := server.Open(context.Background(), server.Options{Store: dir})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: server.NewHandler(n, server.HandlerOptions{Dev: true})}
	go srv.Serve(ln)
	t.Cleanup(func() {
		srv.Close()
		n.Close()
	})
	return dir, ln.Addr().String(), n
}

func TestBenchHTTPSetsUpAndPrintsOneJSONLine(t *testing.T) {
	dir, addr, n := benchTarget(t)
	admin, _, err := n.Store().CreateKey(context.Background(), store.NewKey{Role: "admin"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err := benchHTTP(t, "--addr", addr, "--key", admin, "--setup", "--data", dir,
		"--users", "3", "--pools", "2", "--clients", "4", "--duration", "600ms")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if strings.Count(stdout, "\n") != 1 {
		t.Fatalf("stdout %q: want one line", stdout)
	}
	var r map[string]float64
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("%q: %v", stdout, err)
	}
	for _, k := range []string{"mutations_per_sec", "reads_per_sec", "p50_ms", "p99_ms"} {
		if r[k] <= 0 {
			t.Errorf("%s = %v in %s", k, r[k], stdout)
		}
	}
	if r["errors"] != 0 || r["clients"] != 4 {
		t.Errorf("errors %v, clients %v", r["errors"], r["clients"])
	}

	// Without --setup it acts on what the users it is given hold.
	user, _, err := n.Store().CreateKey(context.Background(), store.NewKey{Role: "user", Account: "solo"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, stderr, err := benchHTTP(t, "--addr", addr, "--key", user, "--duration", "100ms", "--clients", "1"); err != nil {
		t.Fatalf("an account with nothing: %v %s", err, stderr)
	}
}

func TestBenchHTTPRefusesBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--addr", "127.0.0.1:1"}, "--key is required"},
		{[]string{"--addr", "127.0.0.1:1", "--key", "k", "--clients", "0"}, "--clients"},
		{[]string{"--addr", "127.0.0.1:1", "--key", "k", "--duration", "2h"}, "--duration"},
		{[]string{"--addr", "127.0.0.1:1", "--key", "k", "--read-ratio", "1.5"}, "--read-ratio"},
		{[]string{"--addr", "127.0.0.1:1", "--key", "k", "--data", "x"}, "go with --setup"},
		{[]string{"--addr", "127.0.0.1:1", "--key", "k", "--store", "postgres://h/db"}, "go with --setup"},
		{[]string{"--addr", "127.0.0.1:1", "--key", "k", "--setup", "--data", "x", "--store", "postgres://h/db"}, "give one"},
		{[]string{"--addr", "127.0.0.1:1", "--key", "k", "--setup", "--store", "/var/x"}, "postgres://"},
		{[]string{"--key", "k"}, "addr"},
	} {
		if _, _, err := benchHTTP(t, tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want an error about %s", tc.args, err, tc.want)
		}
	}
}
