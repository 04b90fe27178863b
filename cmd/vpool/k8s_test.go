package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"
)

// k8sJob is the part of a Kubernetes Job the test reads.
type k8sJob struct {
	Kind     string `yaml:"kind"`
	Metadata struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec struct {
		CompletionMode string `yaml:"completionMode"`
		Completions    int    `yaml:"completions"`
		Parallelism    int    `yaml:"parallelism"`
		Template       struct {
			Spec struct {
				Containers []struct {
					Command      []string `yaml:"command"`
					Args         []string `yaml:"args"`
					VolumeMounts []struct {
						Name      string `yaml:"name"`
						MountPath string `yaml:"mountPath"`
					} `yaml:"volumeMounts"`
				} `yaml:"containers"`
				Volumes []struct {
					Name string `yaml:"name"`
					PVC  *struct {
						ClaimName string `yaml:"claimName"`
					} `yaml:"persistentVolumeClaim"`
				} `yaml:"volumes"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

// TestKubernetesManifestsRunTheBinary: the Indexed Job and merge Job of
// examples/k8s parse as YAML, their containers run `vpool sim` and `vpool
// sim merge` with flags and values the binary accepts, the Job has as many
// completions as --shards, and the merge reads the volume claim the shards
// write their parts to.
func TestKubernetesManifestsRunTheBinary(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(repoRoot, "examples/k8s/*.yaml"))
	if err != nil || len(files) < 2 {
		t.Fatalf("examples/k8s holds %v (%v)", files, err)
	}
	var shardClaim, shardOut, mergeClaim, mergeIn string
	for _, file := range files {
		for _, job := range k8sJobs(t, file) {
			for _, c := range job.Spec.Template.Spec.Containers {
				argv := append(append([]string(nil), c.Command...), c.Args...)
				if len(argv) < 3 || argv[0] != "vpool" || argv[1] != "sim" {
					t.Errorf("%s: job %s runs %v, not vpool sim", file, job.Metadata.Name, argv)
					continue
				}
				claim := func(dir string) string { // the claim mounted where dir is
					for _, m := range c.VolumeMounts {
						if dir == m.MountPath || strings.HasPrefix(dir, m.MountPath+"/") {
							for _, v := range job.Spec.Template.Spec.Volumes {
								if v.Name == m.Name && v.PVC != nil {
									return v.PVC.ClaimName
								}
							}
						}
					}
					return ""
				}
				if argv[2] == "merge" {
					merge := simMergeCmd()
					parts := parseCommandLine(t, merge, argv[3:])
					if len(parts) == 0 {
						t.Errorf("%s: the merge names no part", file)
						continue
					}
					mergeIn, mergeClaim = parts[0], claim(parts[0])
					continue
				}
				sim := simCmd()
				if files := parseCommandLine(t, sim, argv[2:]); len(files) != 1 {
					t.Errorf("%s: vpool sim takes one file, given %v", file, files)
				}
				shards, err := sim.Flags().GetInt("shards")
				if err != nil || job.Spec.CompletionMode != "Indexed" || job.Spec.Completions != shards || shards < 2 {
					t.Errorf("%s: job %s is %q with %d completions and --shards %d: want an Indexed Job with one completion per shard",
						file, job.Metadata.Name, job.Spec.CompletionMode, job.Spec.Completions, shards)
				}
				if p := job.Spec.Parallelism; p < 1 || p > shards {
					t.Errorf("%s: parallelism %d for %d shards", file, p, shards)
				}
				shardOut, _ = sim.Flags().GetString("out")
				shardClaim = claim(shardOut)
			}
		}
	}
	if shardClaim == "" || shardClaim != mergeClaim || path.Clean(mergeIn) != path.Clean(shardOut) {
		t.Errorf("the shards write to %s on claim %q and the merge reads %s on claim %q", shardOut, shardClaim, mergeIn, mergeClaim)
	}
}

// k8sJobs are the Jobs of a multi-document manifest (every document must
// parse).
func k8sJobs(t *testing.T, file string) []k8sJob {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var jobs []k8sJob
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc k8sJob
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if doc.Kind == "Job" {
			jobs = append(jobs, doc)
		}
	}
	if len(jobs) == 0 {
		t.Fatalf("%s holds no Job", file)
	}
	return jobs
}

// parseCommandLine parses args with cmd's own flags (an unknown flag or a
// bad value fails the test) and returns the positional arguments.
func parseCommandLine(t *testing.T, cmd *cobra.Command, args []string) []string {
	t.Helper()
	if err := cmd.ParseFlags(args); err != nil {
		t.Errorf("vpool %s %v: %v", cmd.Name(), args, err)
	}
	return cmd.Flags().Args()
}

// TestSimDocsNameOnlyRealFlags: every `vpool sim` command line in
// docs/sim.md names flags that vpool sim (or sim merge) has.
func TestSimDocsNameOnlyRealFlags(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "docs/sim.md"))
	if err != nil {
		t.Fatal(err)
	}
	flag := regexp.MustCompile(`(?:^|\s)--([a-z][a-z-]*)`)
	lines := 0
	for _, line := range strings.Split(string(data), "\n") {
		_, rest, ok := strings.Cut(line, "vpool sim ")
		if !ok {
			continue
		}
		lines++
		cmd := simCmd()
		if strings.HasPrefix(rest, "merge ") {
			cmd = simMergeCmd()
		}
		for _, m := range flag.FindAllStringSubmatch(rest, -1) {
			if cmd.Flags().Lookup(m[1]) == nil {
				t.Errorf("docs/sim.md: vpool %s has no --%s: %s", cmd.Name(), m[1], strconv.Quote(line))
			}
		}
	}
	if lines < 5 {
		t.Errorf("found %d vpool sim command lines in docs/sim.md", lines)
	}
}
