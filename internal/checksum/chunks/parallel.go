package chunks

import (
	"context"
	"sync"
)

// ForEach calls f(i) for every i in [0, n) on at most workers goroutines,
// handing the indexes out in order until ctx ends or stop (when not nil)
// reports true. It returns once every call has returned.
func ForEach(ctx context.Context, n, workers int, stop func() bool, f func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
feed:
	for i := range n {
		if stop != nil && stop() {
			break
		}
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
}
