package scenario

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// The public vectors were produced by the deployed protocol's contracts;
// testdata/vectors is a copy of ../shared/vectors, checked for drift below.
const vectorsDir = "testdata/vectors"

func TestVectorsMatchShared(t *testing.T) {
	shared := filepath.Join("..", "..", "shared", "vectors")
	if _, err := os.Stat(shared); err != nil {
		t.Logf("no %s beside the repo; checking the copy in testdata only", shared)
		return
	}
	for _, kind := range []string{"cover", "swap"} {
		files, _ := filepath.Glob(filepath.Join(shared, kind, "*"))
		for _, f := range files {
			want, _ := os.ReadFile(f)
			got, err := os.ReadFile(filepath.Join(vectorsDir, kind, filepath.Base(f)))
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s differs from its copy in %s: copy the shared vectors again", f, vectorsDir)
			}
		}
	}
}

// TestCoverVectors and TestSwapVectors replay every public vector of a
// family (produced by the deployed contracts in an EVM; the swap ones
// block by block) with states on every line and compare the output with
// the expected lines field by field.
func TestCoverVectors(t *testing.T) { replayVectors(t, "cover") }

func TestSwapVectors(t *testing.T) { replayVectors(t, "swap") }

func replayVectors(t *testing.T, family string) {
	files, _ := filepath.Glob(filepath.Join(vectorsDir, family, "*.scenario.json"))
	if len(files) == 0 {
		t.Fatalf("no %s vectors found", family)
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".scenario.json")
		t.Run(name, func(t *testing.T) {
			f, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if _, err := Replay(f, &out, Options{States: true}); err != nil {
				t.Fatal(err)
			}
			compareLines(t, strings.TrimSuffix(path, ".scenario.json")+".expected.jsonl", out.Bytes())
		})
	}
}

// compareLines checks replay output against an expected JSON Lines file,
// field by field: message, stateHash and reference are not compared, and
// the state object is compared on the keys the expected one carries.
func compareLines(t *testing.T, expectedPath string, got []byte) {
	t.Helper()
	want := readLines(t, mustRead(t, expectedPath))
	have := readLines(t, got)
	if len(have) != len(want) {
		t.Fatalf("%d lines, want %d", len(have), len(want))
	}
	for i := range want {
		if diff := diffLine(want[i], have[i]); diff != "" {
			t.Errorf("line %d: %s", i, diff)
		}
	}
}

var notCompared = map[string]bool{"message": true, "stateHash": true, "reference": true}

func diffLine(want, got map[string]any) string {
	for _, k := range sortedKeys(got) {
		if _, ok := want[k]; !ok && !notCompared[k] {
			return fmt.Sprintf("unexpected field %q = %v", k, got[k])
		}
	}
	for _, k := range sortedKeys(want) {
		if notCompared[k] {
			continue
		}
		if k == "state" {
			ws, _ := want[k].(map[string]any)
			gs, _ := got[k].(map[string]any)
			for _, sk := range sortedKeys(ws) {
				if d := diffValue("state."+sk, ws[sk], gs[sk]); d != "" {
					return d
				}
			}
			continue
		}
		if d := diffValue(k, want[k], got[k]); d != "" {
			return d
		}
	}
	return ""
}

// diffValue names the first path at which two decoded JSON values differ.
func diffValue(path string, want, got any) string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok || len(g) != len(w) {
			return fmt.Sprintf("%s: got %v, want %v", path, got, want)
		}
		for _, k := range sortedKeys(w) {
			if d := diffValue(path+"."+k, w[k], g[k]); d != "" {
				return d
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return fmt.Sprintf("%s: got %v, want %v", path, got, want)
		}
		for i := range w {
			if d := diffValue(fmt.Sprintf("%s[%d]", path, i), w[i], g[i]); d != "" {
				return d
			}
		}
	default:
		if !reflect.DeepEqual(want, got) {
			return fmt.Sprintf("%s: got %v, want %v", path, got, want)
		}
	}
	return ""
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readLines(t *testing.T, data []byte) []map[string]any {
	t.Helper()
	var lines []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			t.Fatalf("bad JSON line: %v", err)
		}
		lines = append(lines, m)
	}
	return lines
}
