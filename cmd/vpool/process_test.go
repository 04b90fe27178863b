package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vpool/vpool/internal/pgtest"
)

// The tests that run vpool as a real process share one build of it.
var (
	binDir   string
	binOnce  sync.Once
	binPath  string
	binError error
)

func TestMain(m *testing.M) {
	var err error
	if binDir, err = os.MkdirTemp("", "vpool-bin-"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := pgtest.Main(m) // m.Run, then the PostgreSQL server of the tests that started one is stopped
	os.RemoveAll(binDir)
	os.Exit(code)
}

// vpoolBinary builds the vpool command once per test run and returns its
// path.
func vpoolBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		goTool, err := exec.LookPath("go")
		if err != nil {
			binError = fmt.Errorf("building vpool needs the go tool: %w", err)
			return
		}
		binPath = filepath.Join(binDir, "vpool")
		if out, err := exec.Command(goTool, "build", "-o", binPath, ".").CombinedOutput(); err != nil {
			binError = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binError != nil {
		t.Fatal(binError)
	}
	return binPath
}

// runVpool runs the binary to completion and returns its stdout, stderr
// and exit error.
func runVpool(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := exec.Command(vpoolBinary(t), args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.String(), errOut.String(), err
}

// serveProcess is a `vpool serve` child process.
type serveProcess struct {
	cmd    *exec.Cmd
	addr   string
	exited chan error
	log    *syncBuffer
}

var listeningURL = regexp.MustCompile(`msg=listening url=http://(\S+)`)

// startServeProcess starts `vpool serve --addr 127.0.0.1:0 ARGS` and waits
// until it listens; the test's end kills it if it still runs.
func startServeProcess(t *testing.T, args ...string) *serveProcess {
	t.Helper()
	p := &serveProcess{log: &syncBuffer{}, exited: make(chan error, 1)}
	p.cmd = exec.Command(vpoolBinary(t), append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.cmd.Stdout = p.log
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			p.log.Write([]byte(line + "\n"))
			if m := listeningURL.FindStringSubmatch(line); m != nil {
				found <- m[1]
			}
		}
		io.Copy(io.Discard, stderr)
		p.exited <- p.cmd.Wait()
	}()
	t.Cleanup(func() { p.cmd.Process.Kill(); <-p.exited })
	select {
	case p.addr = <-found:
	case err := <-p.exited:
		p.exited <- err
		t.Fatalf("vpool serve %s exited: %v\n%s", strings.Join(args, " "), err, p.log.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("vpool serve %s did not listen within 30s:\n%s", strings.Join(args, " "), p.log.String())
	}
	return p
}

// wait returns the process's exit error, or fails the test if it runs
// past timeout.
func (p *serveProcess) wait(t *testing.T, timeout time.Duration) error {
	t.Helper()
	select {
	case err := <-p.exited:
		p.exited <- err
		return err
	case <-time.After(timeout):
		t.Fatalf("vpool serve still runs after %v:\n%s", timeout, p.log.String())
		return nil
	}
}
