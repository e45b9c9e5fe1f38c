package judge

import (
	"context"
	"slices"
	"sync"
)

// Batcher serves Fresh requests of several replicas with as few source
// checksums as possible: every request is answered by a computation that
// started after the request was made, and requests waiting together share
// one computation over the union of their units.
type Batcher struct {
	ctx     context.Context // bounds the computations
	compute func(ctx context.Context, units []int) (Sums, Coords, error)

	// sums and coords, when set (Lazy), read sums alone and coordinates
	// alone: the first sums are read without coordinates, which are read
	// only if a replica differs.
	sums   func(ctx context.Context, units []int) (Sums, error)
	coords func(ctx context.Context) (Coords, error)

	mu      sync.Mutex
	running bool
	queue   []*freshRequest
}

type freshRequest struct {
	units  []int
	done   chan struct{}
	sums   Sums
	coords Coords
	err    error
}

// NewBatcher returns a Batcher running compute within ctx.
func NewBatcher(ctx context.Context, compute func(ctx context.Context, units []int) (Sums, Coords, error)) *Batcher {
	return &Batcher{ctx: ctx, compute: compute}
}

// Lazy returns a Batcher whose computations read sums then coordinates,
// and whose first sums, in Compare, are read without coordinates: those
// are read once a replica's sums differ, after its sums, which still
// bounds the source's state at the first sums (coordinates read later
// only make a replica wait for more).
func Lazy(ctx context.Context, sums func(ctx context.Context, units []int) (Sums, error), coords func(ctx context.Context) (Coords, error)) *Batcher {
	b := NewBatcher(ctx, func(ctx context.Context, units []int) (Sums, Coords, error) {
		s, err := sums(ctx, units)
		if err != nil {
			return nil, Coords{}, err
		}
		c, err := coords(ctx)
		return s, c, err
	})
	b.sums, b.coords = sums, coords
	return b
}

// Fresh implements SourceSide.
func (b *Batcher) Fresh(ctx context.Context, units []int) (Sums, Coords, error) {
	req := &freshRequest{units: units, done: make(chan struct{})}
	b.mu.Lock()
	b.queue = append(b.queue, req)
	if !b.running {
		b.running = true
		go b.loop()
	}
	b.mu.Unlock()
	select {
	case <-req.done:
		return req.sums, req.coords, req.err
	case <-ctx.Done():
		return nil, Coords{}, ctx.Err()
	}
}

// loop computes batches until the queue is empty.
func (b *Batcher) loop() {
	for {
		b.mu.Lock()
		batch := b.queue
		b.queue = nil
		if len(batch) == 0 {
			b.running = false
			b.mu.Unlock()
			return
		}
		b.mu.Unlock()
		var units []int
		for _, r := range batch {
			units = append(units, r.units...)
		}
		slices.Sort(units)
		units = slices.Compact(units)
		sums, coords, err := b.compute(b.ctx, units)
		for _, r := range batch {
			r.coords, r.err = coords, err
			if err == nil {
				r.sums = Sums{}
				for _, u := range r.units {
					r.sums[u] = sums[u]
				}
			}
			close(r.done)
		}
	}
}
