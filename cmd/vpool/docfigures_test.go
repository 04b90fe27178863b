package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Figures in the documentation that the code computes (a state hash, a
// replay's lines, a state object) sit between
//
//	<!-- figure: NAME -->
//	<!-- end figure -->
//
// and TestDocFiguresAreCurrent computes each one again: a figure that no
// longer matches fails the test, so the docs cannot go stale.
// VPOOL_UPDATE_DOCS=1 rewrites them instead.

var figureBlock = regexp.MustCompile(`(?s)(<!-- figure: ([\w-]+) -->\n)(.*?)(<!-- end figure -->)`)

// docFigures computes each figure's text.
var docFigures = map[string]func(t *testing.T) string{
	"readme-same-seed-same-hash": figureSameSeedSameHash,
	"scenario-replay-lines":      figureReplayLines,
	"swap-state-after-step-13":   figureSwapState,
}

func TestDocFiguresAreCurrent(t *testing.T) {
	update := os.Getenv("VPOOL_UPDATE_DOCS") == "1"
	used := map[string]bool{}
	for _, name := range []string{"README.md", "docs/scenario.md", "docs/swap.md"} {
		path := filepath.Join(repoRoot, name)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		out := figureBlock.ReplaceAllStringFunc(text, func(block string) string {
			m := figureBlock.FindStringSubmatch(block)
			gen, ok := docFigures[m[2]]
			if !ok {
				t.Errorf("%s: no figure %q", name, m[2])
				return block
			}
			used[m[2]] = true
			want := gen(t)
			if m[3] != want && !update {
				t.Errorf("%s: figure %s is stale (VPOOL_UPDATE_DOCS=1 go test ./cmd/vpool -run DocFigures rewrites it); want:\n%s", name, m[2], want)
			}
			return m[1] + want + m[4]
		})
		if update && out != text {
			if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name := range docFigures {
		if !used[name] {
			t.Errorf("figure %s is in no document", name)
		}
	}
}

// figureSameSeedSameHash is the README's check that a generated market
// replays to the same hash everywhere.
func figureSameSeedSameHash(t *testing.T) string {
	big := filepath.Join(t.TempDir(), "big.json")
	generated, _, err := run(t, genCmd(), "cover", "--steps", "10000", "--seed", "7")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(big, []byte(generated), 0o644); err != nil {
		t.Fatal(err)
	}
	final := replayFinal(t, big)
	return fmt.Sprintf("    go run ./cmd/vpool gen cover --steps 10000 --seed 7 > big.json   # a realistic random market\n"+
		"    go run ./cmd/vpool replay big.json | tail -1 | grep -o '\"stateHash\":\"[0-9a-f]*\"'\n"+
		"    # \"stateHash\":\"%s\" on every machine\n", final.StateHash)
}

// figureReplayLines are a success, a failure and the final line of
// examples/two-pools.yaml.
func figureReplayLines(t *testing.T) string {
	lines := replayLines(t, "--", filepath.Join(repoRoot, "examples/two-pools.yaml"))
	final := replayFinal(t, filepath.Join(repoRoot, "examples/two-pools.yaml"))
	return "```json\n" + lines[7] + "\n" + lines[12] + "\n" +
		fmt.Sprintf(`{"final":true,"at":%d,"state":{…},"stateHash":"%s"}`, final.At, final.StateHash) + "\n```\n"
}

// figureSwapState is the swap part of the state after step 13 of
// examples/swap.yaml.
func figureSwapState(t *testing.T) string {
	lines := replayLines(t, "--states", filepath.Join(repoRoot, "examples/swap.yaml"))
	var step struct {
		State struct {
			Block      json.RawMessage   `json:"block"`
			Swap       json.RawMessage   `json:"swap"`
			Pairs      []json.RawMessage `json:"pairs"`
			VpoolCache json.RawMessage   `json:"vpoolCache"`
		} `json:"state"`
	}
	if err := json.Unmarshal([]byte(lines[13]), &step); err != nil {
		t.Fatal(err)
	}
	st := step.State
	pair := membersPerLine(t, st.Pairs[0], "    ")
	return "```json\n{\n" +
		`  "block": ` + string(st.Block) + ",\n" +
		`  "swap": ` + string(st.Swap) + ",\n" +
		`  "pairs": [` + pair + ", …],\n" +
		`  "vpoolCache": ` + string(st.VpoolCache) + "\n}\n```\n"
}

// membersPerLine writes a JSON object with each member on its own line
// (indented by indent), its values compact, in the object's own order.
func membersPerLine(t *testing.T, obj json.RawMessage, indent string) string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(obj))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %s", obj)
	}
	var lines []string
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			t.Fatal(err)
		}
		name, _ := json.Marshal(key)
		lines = append(lines, indent+string(name)+": "+string(value))
	}
	return "{\n" + strings.Join(lines, ",\n") + "\n" + indent[2:] + "}"
}

// replayLines runs vpool replay [flag] file and returns its lines.
func replayLines(t *testing.T, flag, file string) []string {
	t.Helper()
	args := []string{file}
	if flag != "--" {
		args = []string{flag, file}
	}
	stdout, _, err := run(t, replayCmd(), args...)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(stdout), "\n")
}

// replayFinal is the final line of vpool replay file.
func replayFinal(t *testing.T, file string) (final struct {
	At        uint64 `json:"at"`
	StateHash string `json:"stateHash"`
}) {
	t.Helper()
	lines := replayLines(t, "--", file)
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &final); err != nil || final.StateHash == "" {
		t.Fatalf("the final line of %s: %v", file, err)
	}
	return final
}
