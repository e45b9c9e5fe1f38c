package chunks

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
)

func TestForEachBoundsAndStops(t *testing.T) {
	var running, most atomic.Int32
	var mu sync.Mutex
	seen := map[int]bool{}
	ForEach(context.Background(), 50, 3, nil, func(i int) {
		n := running.Add(1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		mu.Lock()
		seen[i] = true
		mu.Unlock()
		running.Add(-1)
	})
	if len(seen) != 50 || most.Load() > 3 {
		t.Errorf("%d indexes done, at most %d at once; want 50 and at most 3", len(seen), most.Load())
	}

	var calls atomic.Int32
	ForEach(context.Background(), 50, 1, func() bool { return calls.Load() >= 5 }, func(int) { calls.Add(1) })
	if calls.Load() != 5 {
		t.Errorf("stop: %d calls, want 5", calls.Load())
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls.Store(0)
	ForEach(ctx, 50, 2, nil, func(int) { calls.Add(1) })
	// A worker ready at the same moment may still take an index: select
	// picks at random between ready cases, but never for 50 in a row.
	if calls.Load() >= 50 {
		t.Errorf("cancelled context: %d calls, want the feeding to stop", calls.Load())
	}
}
