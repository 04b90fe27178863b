package scenario

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestSwapVectors replays every public swap vector (produced by the
// deployed VirtuSwap contracts in an EVM, block by block) with states on
// every line and compares the output with the expected lines field by
// field.
func TestSwapVectors(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(vectorsDir, "swap", "*.scenario.json"))
	if len(files) == 0 {
		t.Fatal("no swap vectors found")
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
