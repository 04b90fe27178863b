package cover_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/vpool/vpool/cover"
)

// twoStrategies is a market with two strategies, the second named name.
func twoStrategies(t *testing.T, name string) *cover.Market {
	t.Helper()
	m := cover.New()
	cmds := []cover.Command{
		cover.AddAsset{Symbol: "USDC", Decimals: 6},
		cover.AddStrategy{Asset: "USDC"},
		cover.AddStrategy{Name: name, Asset: "USDC", Compounds: true},
	}
	for _, c := range cmds {
		if _, err := m.Apply(1_700_000_000, c); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

// be is a canonical integer: 8 bytes, big-endian.
func be(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

// A name is encoded only when set, in a last section: the encoding of a
// market without names is the one it always was, and a named market's is
// that plus "strategy names", the count, and each (id, name).
func TestStrategyNamesAreEncodedOnlyWhenSet(t *testing.T) {
	plain := twoStrategies(t, "").AppendCanonical(nil)
	named := twoStrategies(t, "USDC lending").AppendCanonical(nil)
	var want []byte
	want = append(want, plain...)
	want = append(append(want, be(14)...), "strategy names"...)
	want = append(append(append(want, be(1)...), be(1)...), be(12)...)
	want = append(want, "USDC lending"...)
	if !bytes.Equal(named, want) {
		t.Fatalf("the named market encodes as\n%x\nwant the unnamed encoding and the names section\n%x", named, want)
	}
	view, err := twoStrategies(t, "USDC lending").StrategyAt(1)
	if err != nil || view.Name != "USDC lending" {
		t.Fatalf("strategy 1's view: %+v, %v", view, err)
	}
	if v, _ := twoStrategies(t, "USDC lending").StrategyAt(0); v.Name != "" {
		t.Fatalf("strategy 0 has the name %q", v.Name)
	}
}

func TestStrategyNamesSurviveRestore(t *testing.T) {
	enc := twoStrategies(t, "Aave v3 · USDC").AppendCanonical(nil)
	m, err := cover.Restore(enc)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := m.StrategyAt(1); v.Name != "Aave v3 · USDC" {
		t.Fatalf("restored name %q", v.Name)
	}
	if !bytes.Equal(m.AppendCanonical(nil), enc) {
		t.Fatal("the restored market encodes differently")
	}

	plain := twoStrategies(t, "").AppendCanonical(nil)
	section := func(parts ...[]byte) []byte {
		out := append(append([]byte(nil), plain...), be(14)...)
		out = append(out, "strategy names"...)
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	str := func(s string) []byte { return append(be(uint64(len(s))), s...) }
	for name, bad := range map[string][]byte{
		"an unknown strategy":   section(be(1), be(2), str("x")),
		"an empty name":         section(be(1), be(1), str("")),
		"a strategy twice":      section(be(2), be(1), str("a"), be(1), str("b")),
		"ids out of order":      section(be(2), be(1), str("a"), be(0), str("b")),
		"another section":       append(append(append([]byte(nil), plain...), be(3)...), "abc"...),
		"bytes after the names": append(section(be(1), be(1), str("a")), 0),
	} {
		if _, err := cover.Restore(bad); !errors.Is(err, cover.ErrCorrupt) {
			t.Errorf("%s: %v, want ErrCorrupt", name, err)
		}
	}
}

func TestStrategyNamesAreChecked(t *testing.T) {
	for _, name := range []string{strings.Repeat("x", 65), "tab\there", "new\nline", "\xff"} {
		m := cover.New()
		m.Apply(1, cover.AddAsset{Symbol: "USDC", Decimals: 6})
		if _, err := m.Apply(1, cover.AddStrategy{Name: name, Asset: "USDC"}); cover.CodeOf(err) != cover.CodeInvalidArgument {
			t.Errorf("name %q: %v, want invalid_argument", name, err)
		}
	}
	m := cover.New()
	m.Apply(1, cover.AddAsset{Symbol: "USDC", Decimals: 6})
	if _, err := m.Apply(1, cover.AddStrategy{Name: strings.Repeat("é", 32), Asset: "USDC"}); err != nil {
		t.Errorf("a 64-byte name: %v", err)
	}
}
