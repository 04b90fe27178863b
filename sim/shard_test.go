package sim

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// TestShardItemsCoverEveryItemOnce: the shards of a run take consecutive
// items, together every item of it exactly once, and their sizes differ
// by one at most (N shards of T items: T/N each, rounded down or up).
func TestShardItemsCoverEveryItemOnce(t *testing.T) {
	for _, total := range []int{0, 1, 2, 5, 7, 10, 99, 1000, 10_007, 1 << 40} {
		for _, n := range []int{1, 2, 3, 4, 7, 8, 13, 64, 1000} {
			next := 0
			for i := range n {
				s := Shard{i, n}.items(total)
				if s.from != next || s.to < s.from {
					t.Fatalf("%d items, shard %d/%d: [%d, %d), want it to start at %d", total, i, n, s.from, s.to, next)
				}
				if size := s.to - s.from; size != total/n && size != total/n+1 {
					t.Fatalf("%d items, shard %d/%d: %d items, want %d or %d", total, i, n, size, total/n, total/n+1)
				}
				next = s.to
			}
			if next != total {
				t.Fatalf("%d items in %d shards end at %d", total, n, next)
			}
		}
	}
}

// TestShardsMergeToOneRun (in process, fast): the stress example (with
// its history file and stress scenarios) in fewer paths than shards, so
// that some shards run none, merges to the bytes of one run; so does the
// sweep of a tiny market split across its points.
func TestShardsMergeToOneRun(t *testing.T) {
	src, c, err := LoadSource("../examples/sim/stress.yaml")
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{Runs: 3, Seed: 3, Workers: 1}
	one := t.TempDir()
	if _, err := Run(c, opt, one); err != nil {
		t.Fatal(err)
	}
	merged := mergeShards(t, src, c, opt, false, 7)
	sameFiles(t, one, merged, "summary.json", "paths.csv", "timeseries.csv", "money.csv", "report.html")

	data := []byte(strings.Replace(tinyMarket, "HACKS", sharedHack+tinySweep, 1))
	src, c, err = NewSource("tiny.yaml", data, ".")
	if err != nil {
		t.Fatal(err)
	}
	opt.Runs = 5
	one = t.TempDir()
	if _, err := Sweep(src, opt, one, nil); err != nil {
		t.Fatal(err)
	}
	merged = mergeShards(t, src, c, opt, true, 4)
	sameFiles(t, one, merged, "sweep.json", "sweep.csv", "sweep.html")
}

// mergeShards runs the n shards of src's run in reverse order and merges
// them; it returns the merge's directory.
func mergeShards(t *testing.T, src *Source, c *Config, opt Options, sweep bool, n int) string {
	t.Helper()
	parts := t.TempDir()
	var paths []string
	for i := n - 1; i >= 0; i-- {
		p, err := RunShard(src, c, opt, sweep, Shard{i, n}, "test", parts)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	merged := t.TempDir()
	if _, err := Merge(paths, "test", merged); err != nil {
		t.Fatal(err)
	}
	return merged
}

func sameFiles(t *testing.T, a, b string, names ...string) {
	t.Helper()
	for _, name := range names {
		x, _ := os.ReadFile(filepath.Join(a, name))
		y, _ := os.ReadFile(filepath.Join(b, name))
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s differs (%d and %d bytes)", name, len(x), len(y))
		}
	}
}

// TestTallyEachListsEveryField: tally.each, which parts are written and
// merged by, reaches every counter and histogram of a tally, so that no
// statistic is left out of a merge.
func TestTallyEachListsEveryField(t *testing.T) {
	tl := newTally(newModel(tiny(t, sharedHack)), allBins)
	want := map[unsafe.Pointer]bool{}
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch {
		case v.Type() == reflect.TypeFor[*histogram]():
			want[v.UnsafePointer()] = true
		case v.Kind() == reflect.Uint64:
			want[v.Addr().UnsafePointer()] = true
		case v.Kind() == reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i))
			}
		case v.Kind() == reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		default:
			t.Errorf("tally holds a %s, which tally.each cannot list", v.Type())
		}
	}
	walk(reflect.ValueOf(tl).Elem())
	got := map[unsafe.Pointer]bool{}
	tl.each(func(c *uint64) { got[unsafe.Pointer(c)] = true }, func(h *histogram) { got[unsafe.Pointer(h)] = true })
	if len(want) == 0 || !reflect.DeepEqual(got, want) {
		t.Errorf("tally.each lists %d counters and histograms; the tally has %d", len(got), len(want))
	}
}

// FuzzAbsorb: no bytes make reading an aggregate panic, and an aggregate
// read back from its own encoding is the same.
func FuzzAbsorb(f *testing.F) {
	c, err := Parse([]byte(strings.Replace(tinyMarket, "HACKS", sharedHack, 1)))
	if err != nil {
		f.Fatal(err)
	}
	agg, err := simulate(c, Options{Runs: 3, Seed: 1, Workers: 1})
	if err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	agg.encode(&encoder{w: w})
	w.Flush()
	f.Add(buf.Bytes())
	f.Add([]byte{3, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		a := newAggregate(newModel(c))
		if err := a.absorb(&decoder{r: bufio.NewReader(bytes.NewReader(data))}); err != nil {
			return
		}
		if bytes.Equal(data, buf.Bytes()) && !reflect.DeepEqual(a.all, agg.all) {
			t.Error("the aggregate read back differs")
		}
	})
}
