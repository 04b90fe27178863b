package server

import (
	"testing"
	"time"
)

// awaitOutcomes reads the n outcomes after seq from feed, waiting up to
// timeout for them to be published.
func awaitOutcomes(t *testing.T, feed *Feed, after uint64, n int, timeout time.Duration) []Outcome {
	t.Helper()
	var got []Outcome
	deadline := time.After(timeout)
	for len(got) < n {
		outs, missed := feed.After(after, n-len(got))
		if missed {
			t.Fatalf("the feed no longer holds the outcomes after %d", after)
		}
		if len(outs) > 0 {
			got = append(got, outs...)
			after = outs[len(outs)-1].Seq
			continue
		}
		select {
		case _, ok := <-feed.Wake():
			if !ok {
				t.Fatalf("the feed closed after %d of %d outcomes", len(got), n)
			}
		case <-deadline:
			t.Fatalf("%d of %d outcomes within %v", len(got), n, timeout)
		}
	}
	return got
}

// The broker keeps the last feedRing outcomes for every subscriber at
// once: a subscriber reads them in order from any seq still held, learns
// when it fell behind, and is woken once per publish however many.
func TestFeedRing(t *testing.T) {
	b := newBroker()
	f := b.subscribe()
	if outs, missed := f.After(0, 10); outs != nil || missed {
		t.Fatalf("empty broker: %v %v", outs, missed)
	}
	publish := func(from, to uint64) {
		var outs []Outcome
		for s := from; s <= to; s++ {
			outs = append(outs, Outcome{Seq: s, Op: "check"})
		}
		b.publish(outs...)
	}
	publish(101, 100+feedRing+500) // a node recovered at seq 100, then a long run
	select {
	case <-f.Wake():
	default:
		t.Fatal("not woken")
	}
	select {
	case <-f.Wake():
		t.Fatal("woken twice for one publish")
	default:
	}
	oldest := uint64(101 + 500)
	if _, missed := f.After(oldest-2, 1); !missed {
		t.Fatalf("seq %d is gone but not reported missed", oldest-1)
	}
	for _, after := range []uint64{oldest - 1, oldest + 1000, 100 + feedRing + 400} {
		outs, missed := f.After(after, 300)
		if missed || len(outs) == 0 {
			t.Fatalf("after %d: %d outcomes, missed %v", after, len(outs), missed)
		}
		for i, o := range outs {
			if o.Seq != after+1+uint64(i) {
				t.Fatalf("after %d: outcome %d has seq %d", after, i, o.Seq)
			}
		}
		if want := min(300, 100+feedRing+500-after); uint64(len(outs)) != want {
			t.Fatalf("after %d: %d outcomes, want %d", after, len(outs), want)
		}
	}
	if outs, missed := f.After(100+feedRing+500, 5); outs != nil || missed {
		t.Fatalf("after the last: %v %v", outs, missed)
	}
	f.Close()
	b.close()
	if _, ok := <-b.subscribe().Wake(); ok {
		t.Fatal("a subscription to a closed broker is open")
	}
}
