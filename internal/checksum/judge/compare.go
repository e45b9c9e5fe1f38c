package judge

import (
	"context"
	"errors"
	"sync"
)

// SourceSide is what the comparison needs from the source for one table.
type SourceSide interface {
	// Fresh checksums units with statements that start after the call, then
	// reads the source's coordinates.
	Fresh(ctx context.Context, units []int) (Sums, Coords, error)
}

// ReplicaSide is what the comparison needs from one replica for one table.
type ReplicaSide interface {
	// Reach waits, bounded, until the replica has applied the source's
	// coordinates c; false with the reason when it did not.
	Reach(ctx context.Context, c Coords) (bool, string, error)
	// Sums checksums units on the replica.
	Sums(ctx context.Context, units []int) (Sums, error)
	// SourceCatchUp waits, bounded, until the source has applied what the
	// replica had applied when called (writes the replica got from elsewhere
	// in a ring); false with the reason when it did not.
	SourceCatchUp(ctx context.Context) (bool, string, error)
}

// Compare checksums units on the source and on every replica at the
// same time, then settles each replica's differences on its own.
func Compare(ctx context.Context, src SourceSide, reps []ReplicaSide, units []int, opts []SettleOptions) []Verdict {
	verdicts := make([]Verdict, len(reps))
	var (
		s0   Sums
		c0   Coords
		errS error
		wg   sync.WaitGroup
	)
	x0 := make([]Sums, len(reps))
	errX := make([]error, len(reps))
	lazy, _ := src.(*Batcher)
	if lazy != nil && lazy.sums == nil {
		lazy = nil
	}
	var coords func() (Coords, error) // the first coordinates, read once when needed
	wg.Add(1)
	go func() {
		defer wg.Done()
		if lazy == nil {
			s0, c0, errS = src.Fresh(ctx, units)
			return
		}
		s0, errS = lazy.sums(ctx, units)
	}()
	for i, r := range reps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x0[i], errX[i] = r.Sums(ctx, units)
		}()
	}
	wg.Wait()
	if errS != nil {
		for i := range verdicts {
			verdicts[i] = SourceFailure(errS)
		}
		return verdicts
	}
	if lazy != nil {
		coords = sync.OnceValues(func() (Coords, error) { return lazy.coords(ctx) })
	}
	for i, r := range reps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			verdicts[i] = settle(ctx, src, r, units, s0, c0, coords, x0[i], errX[i], opts[i])
		}()
	}
	wg.Wait()
	return verdicts
}

// SourceFailure is the verdict when the source could not be checksummed.
func SourceFailure(err error) Verdict {
	if errors.Is(err, ErrMissing) {
		return Verdict{State: Dropped}
	}
	return Verdict{State: Failed, Err: err}
}
