package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vpool/vpool/sim"
)

// TestSimSignalWritesTheCompletedPaths runs the real binary, stops it with
// SIGINT and then SIGTERM once paths are being written, and expects a
// non-zero exit, a message saying how far it got, and a valid summary of
// the paths completed, marked interrupted.
func TestSimSignalWritesTheCompletedPaths(t *testing.T) {
	bin := vpoolBinary(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			out := t.TempDir()
			cmd := exec.Command(bin, "sim", "../../examples/sim/small.yaml", "--runs", "1000000", "--out", out)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			csvPath := filepath.Join(out, "paths.csv")
			for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
				if data, _ := os.ReadFile(csvPath); bytes.Count(data, []byte("\n")) > 3 {
					break
				}
				if time.Now().After(deadline) {
					_ = cmd.Process.Kill()
					t.Fatalf("no path written after 60 s; stderr:\n%s", stderr.String())
				}
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() == 0 {
				t.Fatalf("exit: %v, want a non-zero exit code; stderr:\n%s", err, stderr.String())
			}
			if !strings.Contains(stderr.String(), "interrupted after") || !strings.Contains(stderr.String(), "paths completed") {
				t.Errorf("stderr does not say the run was interrupted:\n%s", stderr.String())
			}
			data, err := os.ReadFile(filepath.Join(out, "summary.json"))
			if err != nil {
				t.Fatal(err)
			}
			var s struct {
				Paths       int  `json:"paths"`
				Interrupted bool `json:"interrupted"`
			}
			if err := json.Unmarshal(data, &s); err != nil {
				t.Fatalf("summary.json: %v", err)
			}
			rows, _ := os.ReadFile(csvPath)
			if !s.Interrupted || s.Paths < 3 || s.Paths != bytes.Count(rows, []byte("\n"))-1 {
				t.Errorf("summary: interrupted %v, %d paths; paths.csv %d rows", s.Interrupted, s.Paths, bytes.Count(rows, []byte("\n"))-1)
			}
		})
	}
}

// TestSimHelpFileParses: the annotated file in `vpool sim --help` is a
// valid simulation file (with a hacks.csv beside it for its history).
func TestSimHelpFileParses(t *testing.T) {
	start := strings.Index(simHelp, "  name: small")
	end := strings.Index(simHelp, "\nDistributions:")
	if start < 0 || end < start {
		t.Fatal("the help has no example file")
	}
	var file strings.Builder
	for _, line := range strings.Split(simHelp[start:end], "\n") {
		file.WriteString(strings.TrimPrefix(line, "  ") + "\n")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "hacks.csv"), []byte("date,protocol,lossShare\n2024-01-01,lendco,0.3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := sim.ParseIn([]byte(file.String()), dir); err != nil {
		t.Fatalf("the help's file: %v\n%s", err, file.String())
	}
}
