package scenario_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/vpool/vpool/scenario"
	"github.com/vpool/vpool/scenario/covergen"
)

// BenchmarkReplay replays a generated 20,000-step scenario (parse and
// replay, output discarded); ns/op divided by 20,000 is the cost of a step.
func BenchmarkReplay(b *testing.B) {
	var file bytes.Buffer
	if err := covergen.Generate(&file, covergen.Options{Steps: 20_000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(file.Len()))
	b.ReportAllocs()
	for b.Loop() {
		f, err := scenario.Parse(file.Bytes())
		if err != nil {
			b.Fatal(err)
		}
		if _, err := scenario.Replay(f, io.Discard, scenario.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
