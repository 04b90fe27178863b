package cover_test

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/scenario"
	"github.com/vpool/vpool/scenario/covergen"
)

// A market restored from its encoding at any point encodes to the same
// bytes and, given the same commands, stays identical to the original.
func TestRestoreRoundTripsAndBehavesTheSame(t *testing.T) {
	f, err := covergen.File(covergen.Options{Steps: 3000, Seed: 11, Pools: 4})
	if err != nil {
		t.Fatal(err)
	}
	original, err := scenario.Setup(f)
	if err != nil {
		t.Fatal(err)
	}
	var copies []*cover.Market
	var prev uint64
	for i, s := range f.Steps {
		want, wantErr := scenario.ApplyStep(original, s, prev)
		for _, c := range copies {
			got, err := scenario.ApplyStep(c, s, prev)
			if cover.CodeOf(err) != cover.CodeOf(wantErr) || !reflect.DeepEqual(got, want) {
				t.Fatalf("step %d: restored market gives %v, %v; original %v, %v", i, got, err, want, wantErr)
			}
		}
		prev = max(prev, s.At)
		if i%500 == 250 {
			enc := original.AppendCanonical(nil)
			restored, err := cover.Restore(enc)
			if err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
			if !bytes.Equal(restored.AppendCanonical(nil), enc) {
				t.Fatalf("step %d: restored market encodes differently", i)
			}
			copies = append(copies, restored)
		}
	}
	want := original.AppendCanonical(nil)
	for i, c := range copies {
		if !bytes.Equal(c.AppendCanonical(nil), want) {
			t.Fatalf("copy %d diverged from the original", i)
		}
	}
	if len(copies) < 5 {
		t.Fatalf("only %d restore points", len(copies))
	}
}

// generatedMarket is the market at the end of a generated scenario.
func generatedMarket(tb testing.TB, steps int) *cover.Market {
	f, err := covergen.File(covergen.Options{Steps: steps, Seed: 3, Pools: 3})
	if err != nil {
		tb.Fatal(err)
	}
	m, err := scenario.Setup(f)
	if err != nil {
		tb.Fatal(err)
	}
	var prev uint64
	for _, s := range f.Steps {
		scenario.ApplyStep(m, s, prev)
		prev = max(prev, s.At)
	}
	return m
}

func TestRestoreRejectsDamagedBytes(t *testing.T) {
	enc := generatedMarket(t, 500).AppendCanonical(nil)
	for _, damaged := range [][]byte{nil, enc[:len(enc)-1], enc[:len(enc)/2], append(append([]byte{}, enc...), 0)} {
		if _, err := cover.Restore(damaged); !errors.Is(err, cover.ErrCorrupt) {
			t.Errorf("%d bytes: %v, want ErrCorrupt", len(damaged), err)
		}
	}
}

func FuzzRestore(f *testing.F) {
	f.Add(cover.New().AppendCanonical(nil))
	f.Add(generatedMarket(f, 300).AppendCanonical(nil))
	f.Add([]byte{0, 0, 0, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := cover.Restore(data)
		if err != nil {
			return
		}
		m.ViewAt(m.Now())
		m.AppendCanonical(nil)
	})
}
