package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// One server per data directory, with the tools working beside it: a
// second `vpool serve` on the same --data is refused naming the first's
// pid, while keys and verify work; a port in use is reported before any
// data directory is touched.
func TestOneServerPerDataDirectoryAndToolsBesideIt(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	first := startServeProcess(t, "--dev", "--data", dir)

	_, stderr, err := runVpool(t, "serve", "--data", dir, "--addr", "127.0.0.1:0")
	want := fmt.Sprintf("in use by another vpool server (pid %d)", first.cmd.Process.Pid)
	if err == nil || !strings.Contains(stderr, want) {
		t.Fatalf("a second serve on %s: %v\n%s\nwant an error containing %q", dir, err, stderr, want)
	}

	// keys create, list and revoke, and verify, beside the running server.
	admin, stderr, err := runVpool(t, "keys", "create", "--data", dir, "--role", "admin")
	if err != nil {
		t.Fatalf("keys create beside a server: %v\n%s", err, stderr)
	}
	admin = strings.TrimSpace(admin)
	base := "http://" + first.addr
	if code, body := get(t, base+"/v1/pools", admin); code != http.StatusOK {
		t.Fatalf("the new key on the running server: %d %s", code, body)
	}
	if code, body := post(t, base+"/v1/commands", admin, `{"op":"addAsset","args":{"symbol":"USDC","decimals":6}}`); code != http.StatusOK || !strings.Contains(body, `"ok":true`) {
		t.Fatalf("a command: %d %s", code, body)
	}
	out, stderr, err := runVpool(t, "keys", "list", "--data", dir, "--json")
	if err != nil {
		t.Fatalf("keys list beside a server: %v\n%s", err, stderr)
	}
	var listed struct{ Keys []map[string]string }
	if err := json.Unmarshal([]byte(out), &listed); err != nil || len(listed.Keys) != 1 || listed.Keys[0]["role"] != "admin" {
		t.Fatalf("keys list: %v\n%s", err, out)
	}
	// verify while the server appends: it checks the log up to where it
	// found its end.
	writing := make(chan int)
	stopWriting := make(chan struct{})
	go func() {
		n := 0
		for {
			select {
			case <-stopWriting:
				writing <- n
				return
			default:
			}
			if code, _, err := tryPost(base+"/v1/commands", admin, `[{"op":"check"},{"op":"check"}]`); err == nil && code == http.StatusOK {
				n += 2
			}
		}
	}()
	time.Sleep(200 * time.Millisecond)
	began := time.Now()
	out, stderr, err = runVpool(t, "verify", "--data", dir)
	close(stopWriting)
	written := <-writing
	t.Logf("verify took %s; %d commands written meanwhile", time.Since(began), written)
	var rep verifyOutput
	if jerr := json.Unmarshal([]byte(out), &rep); err != nil || jerr != nil || !rep.OK || rep.Commands < 3 || rep.Commands > 1+written {
		t.Fatalf("verify beside a server taking commands (%d written): %v\n%s%s", written, err, out, stderr)
	}

	// The port first: a fresh directory is not even created.
	other := filepath.Join(t.TempDir(), "other")
	_, stderr, err = runVpool(t, "serve", "--data", other, "--addr", first.addr)
	if err == nil || !strings.Contains(stderr, "address already in use") {
		t.Fatalf("serve on a busy port: %v\n%s", err, stderr)
	}
	if _, err := os.Stat(other); !os.IsNotExist(err) {
		t.Fatalf("serve on a busy port touched its data directory: %v", err)
	}

	// Once the first stops (SIGTERM), the directory is free.
	first.cmd.Process.Signal(os.Interrupt)
	if err := first.wait(t, 30*time.Second); err != nil {
		t.Fatalf("the first server's exit: %v", err)
	}
	startServeProcess(t, "--data", dir)
}

// post sends body to url with the token and returns the status and answer.
func post(t *testing.T, url, token, body string) (int, string) {
	t.Helper()
	code, out, err := tryPost(url, token, body)
	if err != nil {
		t.Fatal(err)
	}
	return code, out
}

// tryPost is post for goroutines other than the test's.
func tryPost(url, token, body string) (int, string, error) {
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	return res.StatusCode, string(out), err
}
