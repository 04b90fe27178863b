package scenario_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpool/vpool/scenario"
	"github.com/vpool/vpool/scenario/covergen"
	"gopkg.in/yaml.v3"
)

// These tests sit outside package scenario because they use covergen,
// which imports it.

// vectorsDir holds the copy of the public vectors (see vectors_test.go).
const vectorsDir = "testdata/vectors"

// generate returns a generated scenario's bytes.
func generate(t testing.TB, opt covergen.Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := covergen.Generate(&buf, opt); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// determinismFiles are the scenarios replayed twice: every public cover
// vector and a few generated markets.
func determinismFiles(t *testing.T) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	paths, _ := filepath.Glob(filepath.Join(vectorsDir, "cover", "*.scenario.json"))
	if len(paths) == 0 {
		t.Fatal("no cover vectors found")
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[strings.TrimSuffix(filepath.Base(p), ".scenario.json")] = data
	}
	files["generated-seed-1"] = generate(t, covergen.Options{Steps: 1500, Seed: 1})
	files["generated-seed-2-three-pools"] = generate(t, covergen.Options{Steps: 1000, Seed: 2, Pools: 3})
	return files
}

// replayBytes parses data afresh and replays it with states on every line.
func replayBytes(t *testing.T, data []byte) ([]byte, string) {
	t.Helper()
	f, err := scenario.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	m, err := scenario.Replay(f, &out, scenario.Options{States: true})
	if err != nil {
		t.Fatal(err)
	}
	return out.Bytes(), scenario.StateHash(m)
}

func TestReplayTwiceIsIdentical(t *testing.T) {
	for name, data := range determinismFiles(t) {
		t.Run(name, func(t *testing.T) {
			out1, hash1 := replayBytes(t, data)
			out2, hash2 := replayBytes(t, data)
			if !bytes.Equal(out1, out2) {
				t.Errorf("two replays print different output (%d and %d bytes)", len(out1), len(out2))
			}
			if hash1 != hash2 {
				t.Errorf("two replays end at states %s and %s", hash1, hash2)
			}
			if !bytes.Contains(out1, []byte(`"stateHash":"`+hash1+`"`)) {
				t.Errorf("the final line does not carry the state hash %s", hash1)
			}
		})
	}
}

// Reading the state never changes it: the generator looks at pools,
// covers and positions between steps, the replay does not, and both must
// end at the same state.
func TestGeneratorAndReplayAgree(t *testing.T) {
	for _, opt := range []covergen.Options{{Steps: 3000, Seed: 5}, {Steps: 1000, Seed: 6, Pools: 2}} {
		var buf bytes.Buffer
		st, err := covergen.GenerateWithStats(&buf, opt)
		if err != nil {
			t.Fatal(err)
		}
		if _, hash := replayBytes(t, buf.Bytes()); hash != st.StateHash {
			t.Errorf("seed %d: replay ends at %s, the generator at %s", opt.Seed, hash, st.StateHash)
		}
	}
}

func TestReplayYAMLMatchesJSON(t *testing.T) {
	for name, data := range determinismFiles(t) {
		t.Run(name, func(t *testing.T) {
			y := jsonToYAML(t, data)
			if bytes.HasPrefix(bytes.TrimSpace(y), []byte("{")) {
				t.Fatal("the YAML form starts like JSON")
			}
			jsonOut, jsonHash := replayBytes(t, data)
			yamlOut, yamlHash := replayBytes(t, y)
			if !bytes.Equal(jsonOut, yamlOut) || jsonHash != yamlHash {
				t.Errorf("YAML and JSON forms replay differently (hash %s vs %s)", yamlHash, jsonHash)
			}
		})
	}
}

// The generator's own YAML output replays exactly like its JSON output.
func TestGeneratedYAMLMatchesJSON(t *testing.T) {
	for _, seed := range []uint64{1, 4} {
		j := generate(t, covergen.Options{Steps: 1200, Seed: seed})
		y := generate(t, covergen.Options{Steps: 1200, Seed: seed, Format: "yaml"})
		jf, err := scenario.Parse(j)
		if err != nil {
			t.Fatal(err)
		}
		yf, err := scenario.Parse(y)
		if err != nil {
			t.Fatal(err)
		}
		if len(jf.Steps) != len(yf.Steps) || jf.Name != yf.Name || len(jf.Strategies) != len(yf.Strategies) {
			t.Fatalf("seed %d: YAML and JSON files differ in shape", seed)
		}
		jsonOut, jsonHash := replayBytes(t, j)
		yamlOut, yamlHash := replayBytes(t, y)
		if !bytes.Equal(jsonOut, yamlOut) || jsonHash != yamlHash {
			t.Errorf("seed %d: YAML and JSON outputs replay differently", seed)
		}
	}
}

// jsonToYAML rewrites a JSON scenario as block-style YAML, keeping integers
// integers.
func jsonToYAML(t *testing.T, data []byte) []byte {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	out, err := yaml.Marshal(yamlValue(doc))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func yamlValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = yamlValue(e)
		}
	case []any:
		for i, e := range t {
			t[i] = yamlValue(e)
		}
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return i
		}
		var node yaml.Node
		node.SetString(t.String())
		node.Tag, node.Style = "!!float", 0
		return &node
	}
	return v
}
