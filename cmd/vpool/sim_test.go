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
