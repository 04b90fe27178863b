package server

import (
	"context"
	"errors"
	"sync"
	"testing"
)

// TestStorageFailureStopsTheNodeAndLosesNothingAcknowledged: once the
// store fails, every request in flight and after is refused with an
// error (never answered as done), and a restart recovers exactly the
// commands acknowledged before.
func TestStorageFailureStopsTheNodeAndLosesNothingAcknowledged(t *testing.T) {
	dir := t.TempDir()
	n := openNode(t, dir, 0)
	ctx := context.Background()
	if _, err := n.Submit(ctx, setupMarket); err != nil {
		t.Fatal(err)
	}
	mint := cmd("mint", map[string]any{"to": "bob", "asset": "USDC", "amount": "1"})
	if _, err := n.Submit(ctx, []Command{mint}); err != nil {
		t.Fatal(err)
	}
	acked, _ := stateHash(n)

	n.Store().Close() // every later commit fails
	var wg sync.WaitGroup
	errs := make([]error, 16)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs, err := n.Submit(ctx, []Command{mint})
			if err == nil {
				err = errors.New("answered as done")
				t.Errorf("request %d after the failure was answered: %+v", i, outs)
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if !errors.Is(err, ErrClosed) {
			t.Errorf("request %d: %v, want ErrClosed", i, err)
		}
	}
	n.Close()

	again := openNode(t, dir, 0)
	defer again.Close()
	if hash, seq := stateHash(again); hash != acked || seq != uint64(len(setupMarket)+1) {
		t.Fatalf("after the restart: seq %d hash %s; want seq %d and the acknowledged state %s", seq, hash, len(setupMarket)+1, acked)
	}
}
