package main

import (
	"bytes"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// simShardCases are the runs split into shards by the tests: the stress
// example (every behaviour on, stress scenarios, a history file the parts
// must carry) and the sweep of small.yaml (9 points, whose shards split
// points as well as paths). sim's own tests cover shards without a path.
var simShardCases = []struct {
	name string
	args []string
}{
	{"stress", []string{"../../examples/sim/stress.yaml", "--runs", "10", "--seed", "2"}},
	{"sweep", []string{"../../examples/sim/small.yaml", "--sweep", "--runs", "3", "--seed", "3"}},
}

// TestSimShardsMergeToTheBytesOfOneRun is the acceptance test of sharded
// runs: for N = 1, 2, 3 and 7, the N shards run as separate processes,
// started in a shuffled order (some given --shard I/N, others --shards N
// with $JOB_COMPLETION_INDEX, as in a Kubernetes Indexed Job), and their
// parts, given to merge in another shuffled order, must give every output
// file of one run of the same file, seed and runs, byte for byte.
func TestSimShardsMergeToTheBytesOfOneRun(t *testing.T) {
	for _, tc := range simShardCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			one := t.TempDir()
			simOK(t, nil, append(tc.args, "--out", one, "--workers", "1")...)
			want := dirFiles(t, one)
			if len(want) < 3 {
				t.Fatalf("one run wrote only %v", slices.Sorted(maps.Keys(want)))
			}
			for _, n := range []int{1, 2, 3, 7} {
				rng := rand.New(rand.NewPCG(uint64(n), uint64(len(tc.name))))
				parts := shardParts(t, tc.args, n, rng)
				rng.Shuffle(len(parts), func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
				if n == 3 { // a directory stands for its parts
					parts = []string{filepath.Dir(parts[0])}
				}
				merged := t.TempDir()
				simOK(t, nil, append([]string{"merge", "--out", merged}, parts...)...)
				got := dirFiles(t, merged)
				for name, w := range want {
					if g, ok := got[name]; !ok || !bytes.Equal(g, w) {
						t.Errorf("%d shards: %s differs from one run's (%d bytes, one run's %d)", n, name, len(g), len(w))
					}
				}
				if len(got) != len(want) {
					t.Errorf("%d shards: merge wrote %v, one run %v", n, slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
				}
			}
		})
	}
}

// shardParts runs the n shards of the run of args as n processes started
// in a shuffled order, at most two at a time, and returns their parts.
func shardParts(t *testing.T, args []string, n int, rng *rand.Rand) []string {
	t.Helper()
	dir := t.TempDir()
	order := rng.Perm(n)
	var wg sync.WaitGroup
	slots := make(chan struct{}, 2)
	for _, i := range order {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			shardArgs := append(slices.Clone(args), "--out", dir, "--workers", "1")
			var env []string
			if i%2 == 1 {
				env = []string{fmt.Sprintf("JOB_COMPLETION_INDEX=%d", i)}
				shardArgs = append(shardArgs, "--shards", fmt.Sprint(n))
			} else {
				shardArgs = append(shardArgs, "--shard", fmt.Sprintf("%d/%d", i, n))
			}
			simOK(t, env, shardArgs...)
		}()
	}
	wg.Wait()
	parts, err := filepath.Glob(filepath.Join(dir, "*.simpart"))
	if err != nil || len(parts) != n {
		t.Fatalf("%d shards wrote %v (%v)", n, parts, err)
	}
	return parts
}

// TestSimMergeRefusesPartsThatDoNotFit: parts of different runs, a shard
// missing or twice, another build, a damaged part or another file are
// refused with a message naming the problem, and nothing is written.
func TestSimMergeRefusesPartsThatDoNotFit(t *testing.T) {
	small := []string{"../../examples/sim/small.yaml", "--runs", "10", "--seed", "1"}
	shards := func(args []string, n int) []string {
		return shardParts(t, args, n, rand.New(rand.NewPCG(1, 2)))
	}
	replace := func(args []string, old, new string) []string {
		out := slices.Clone(args)
		out[slices.Index(out, old)] = new
		return out
	}
	a := shards(small, 2)
	b := shards(small, 3)
	otherSeed := shards(replace(small, "1", "2"), 2)
	otherRuns := shards(replace(small, "10", "11"), 2)
	otherFile := shards(replace(small, "../../examples/sim/small.yaml", "../../examples/sim/stress.yaml"), 2)
	sweep := shards(append(slices.Clone(small), "--sweep"), 2)
	dir := t.TempDir()
	part1, err := os.ReadFile(a[1])
	if err != nil {
		t.Fatal(err)
	}
	otherBuild := filepath.Join(dir, "other-build.simpart")
	header, body, _ := bytes.Cut(part1, []byte("\n"))
	at := bytes.Index(header, []byte(`"version":"`)) + len(`"version":"`)
	end := at + bytes.IndexByte(header[at:], '"')
	edited := slices.Concat(header[:at], []byte("other-build"), header[end:], []byte("\n"), body)
	truncated := filepath.Join(dir, "truncated.simpart")
	if err := os.Mkdir(filepath.Join(dir, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	for path, data := range map[string][]byte{otherBuild: edited, truncated: part1[:len(part1)-200]} {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name  string
		parts []string
		want  []string
	}{
		{"missing", a[:1], []string{"shard 1 of 2 missing", "1 of 2 parts given"}},
		{"duplicate", []string{a[0], a[1], a[0]}, []string{"shard 0 of 2 is given twice"}},
		{"other N", []string{a[0], b[1]}, []string{"shard 0 of 2", "shard 1 of 3", "same number of shards"}},
		{"other seed", []string{a[0], otherSeed[1]}, []string{"--seed 2", "--seed 1", "same seed"}},
		{"other runs", []string{otherRuns[1], a[0]}, []string{"--runs 10", "--runs 11", "same runs"}},
		{"other file", []string{a[0], otherFile[1]}, []string{"another simulation file", "stress.yaml", "small.yaml"}},
		{"sweep and run", []string{a[0], sweep[1]}, []string{"not both parts of a sweep"}},
		{"other build", []string{a[0], otherBuild}, []string{otherBuild + " was written by vpool other-build", "merge with the build that ran the shards"}},
		{"damaged", []string{a[0], truncated}, []string{truncated + " is damaged"}},
		{"not a part", []string{a[0], "../../examples/sim/small.yaml"}, []string{"small.yaml is not a part of a sharded vpool sim run"}},
		{"empty directory", []string{a[0], dir + "/empty"}, []string{"/empty holds no *.simpart file"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			_, stderr, err := runVpool(t, append([]string{"sim", "merge", "--out", out}, tc.parts...)...)
			if err == nil {
				t.Fatalf("merge accepted %v", tc.parts)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr does not say %q:\n%s", w, stderr)
				}
			}
			if entries, _ := os.ReadDir(out); len(entries) > 0 {
				t.Errorf("a refused merge wrote %v", entries)
			}
		})
	}
}

// TestSimShardRefusals: shard flags that cannot name a shard, and a
// precision target, which depends on every path, are refused.
func TestSimShardRefusals(t *testing.T) {
	file := "../../examples/sim/small.yaml"
	for _, tc := range []struct {
		env  []string
		args []string
		want string
	}{
		{nil, []string{"--shard", "3/3"}, `--shard "3/3": want I/N with N at least 1 and I from 0 to N−1`},
		{nil, []string{"--shard", "1"}, `--shard "1": want I/N`},
		{nil, []string{"--shards", "4"}, "reads the shard's index from $JOB_COMPLETION_INDEX, which is not set"},
		{[]string{"JOB_COMPLETION_INDEX=4"}, []string{"--shards", "4"}, `--shards 4 with JOB_COMPLETION_INDEX="4"`},
		{[]string{"JOB_COMPLETION_INDEX=1"}, []string{"--shards", "4", "--shard", "1/4"}, "not both"},
		{nil, []string{"--shard", "0/2", "--target-precision", "lpAPY.leveraged.p50=0.1"}, "--target-precision cannot run in shards"},
	} {
		out := t.TempDir()
		cmd := exec.Command(vpoolBinary(t), append([]string{"sim", file, "--runs", "4", "--out", out}, tc.args...)...)
		cmd.Env = append(os.Environ(), tc.env...)
		stderr, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(stderr), tc.want) {
			t.Errorf("%v %v: %v, want an error saying %q:\n%s", tc.env, tc.args, err, tc.want, stderr)
		}
		if entries, _ := os.ReadDir(out); len(entries) > 0 {
			t.Errorf("%v: wrote %v", tc.args, entries)
		}
	}
}

// simOK runs `vpool sim args…` with env added and fails the test on an
// error.
func simOK(t *testing.T, env []string, args ...string) {
	t.Helper()
	cmd := exec.Command(vpoolBinary(t), append([]string{"sim"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("vpool sim %s %v: %v\n%s", strings.Join(args, " "), env, err, out)
	}
}

// dirFiles reads every file of dir.
func dirFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, e := range entries {
		if files[e.Name()], err = os.ReadFile(filepath.Join(dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	return files
}
