package workload

import "testing"

func TestSmallLoadRuns(t *testing.T) {
	l, err := New(Size{Pools: 5, Positions: 50, Covers: 200}, 1)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5000; i++ {
		l.Step()
	}
	if l.Failed > 500 {
		t.Fatalf("%d of 5000 operations failed; the mix should mostly succeed", l.Failed)
	}
	t.Logf("%d failed", l.Failed)
}

func BenchmarkMixedLoad(b *testing.B) {
	l, err := New(DefaultSize, 1)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		l.Step()
	}
	b.ReportMetric(float64(l.Failed)/float64(b.N), "failed/op")
}

// The hot paths one by one, on the default market.
func BenchmarkOpenCover(b *testing.B)     { benchOp(b, OpenCover) }
func BenchmarkUpdateCover(b *testing.B)   { benchOp(b, UpdateCover) }
func BenchmarkTakeInterests(b *testing.B) { benchOp(b, TakeInterests) }
func BenchmarkOpenPosition(b *testing.B)  { benchOp(b, OpenPosition) }
func BenchmarkAddLiquidity(b *testing.B)  { benchOp(b, AddLiquidity) }
func BenchmarkView(b *testing.B)          { benchOp(b, View) }

func benchOp(b *testing.B, op Op) {
	l, err := New(DefaultSize, 1)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		l.Do(op)
	}
	b.ReportMetric(float64(l.Failed)/float64(b.N), "failed/op")
}
