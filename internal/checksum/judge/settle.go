package judge

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// SettleOptions tune the comparison on one replica.
type SettleOptions struct {
	Retries int // rounds repeated when the source changed
	// Incomparable, when set, says why a difference means nothing (CHECKSUM
	// TABLE across versions); equal sums still prove the table in sync.
	Incomparable string
	// Backoff is the pause before retry n (1-based).
	Backoff func(n int) time.Duration
	// Confirmations is how many rounds in a row a difference must hold with
	// the source still (default 1). Non-transactional tables need 2: their
	// changes are visible before they reach the binary log, so coordinates
	// read after a checksum may miss a change the checksum saw.
	Confirmations int
}

// settle decides one replica: s and c are the source's sums and the
// coordinates read after them (or, when lazy is set, read by it once a
// difference needs them), x the replica's sums read at the same time.
func settle(ctx context.Context, src SourceSide, r ReplicaSide, units []int, s Sums, c Coords, lazy func() (Coords, error), x Sums, errX error, o SettleOptions) Verdict {
	v := Verdict{Source: Sums{}, Replica: Sums{}}
	merge(v.Source, s)
	var pending []int
	switch {
	case errX == nil:
		merge(v.Replica, x)
		pending = differing(units, s, x)
	case errors.Is(errX, ErrMissing):
		pending = slices.Clone(units) // confirmed only once the replica has caught up
	default:
		v.State, v.Err = Failed, errX
		return v
	}
	if len(pending) == 0 {
		v.State = InSync
		return v
	}
	if o.Incomparable != "" && errX == nil {
		v.State, v.Why = Incomparable, o.Incomparable
		return v
	}
	var drifted, unsettled []int
	finish := func() Verdict {
		v.Drifted, v.Unsettled = drifted, unsettled
		switch {
		case len(drifted) > 0:
			v.State = Drifted
		case len(unsettled) > 0:
			v.State = Unsettled
		case v.State == Lagging:
		default:
			v.State = InSync
		}
		return v
	}
	if lazy != nil {
		var err error
		if c, err = lazy(); err != nil {
			return sourceFailed(v, err)
		}
	}
	start := time.Now()
	need := max(1, o.Confirmations)
	confirmed := map[int]int{} // unit → rounds in a row its difference held with the source still
	for {
		ok, why, err := r.Reach(ctx, c)
		if err != nil {
			return failed(v, drifted, err)
		}
		if !ok {
			v.State, v.Why = Lagging, why
			return finish()
		}
		x, err := r.Sums(ctx, pending)
		if errors.Is(err, ErrMissing) {
			v.State = Missing
			return v
		}
		if err != nil {
			return failed(v, drifted, err)
		}
		merge(v.Replica, x)
		pending = differing(pending, s, x)
		if len(pending) == 0 {
			return finish()
		}
		ok, why, err = r.SourceCatchUp(ctx)
		if err != nil {
			return failed(v, drifted, err)
		}
		if !ok {
			unsettled, v.Why = pending, why
			return finish()
		}
		s2, c2, err := src.Fresh(ctx, pending)
		if err != nil {
			return sourceFailed(v, err)
		}
		var again, changing, held []int
		for _, u := range pending {
			switch {
			case s2[u] != s[u]:
				confirmed[u] = 0
				changing = append(changing, u)
			case confirmed[u]+1 >= need:
				held = append(held, u)
			default:
				confirmed[u]++
				again = append(again, u)
			}
		}
		merge(v.Source, s2)
		if len(held) > 0 {
			// Held with the source still. Before calling it drift, the
			// replica reaches the coordinates of the re-check and is summed
			// again: a wait can return before the replica's commit is
			// visible, and a binary log position runs ahead of the commits
			// it counts, so the replica read after the first wait may still
			// lack a change the source had.
			ok, why, err := r.Reach(ctx, c2)
			if err != nil {
				return failed(v, drifted, err)
			}
			if !ok {
				v.State, v.Why = Lagging, why
				return finish()
			}
			x, err := r.Sums(ctx, held)
			if errors.Is(err, ErrMissing) {
				v.State = Missing
				return v
			}
			if err != nil {
				return failed(v, drifted, err)
			}
			merge(v.Replica, x)
			if diff := differing(held, s2, x); len(diff) > 0 {
				// The source's coordinates can count a commit its sums do
				// not show yet: logged, sent and applied on the replica, but
				// not yet visible on the source (its committing thread not
				// yet scheduled). The source then looks still while the
				// replica is ahead of it. A difference is drift only if the
				// source still shows the same sums after a pause as long as
				// the comparison so far; if they changed, it was changing.
				if err := sleep(ctx, holdPause(ctx, time.Since(start))); err != nil {
					return failed(v, drifted, err)
				}
				s3, _, err := src.Fresh(ctx, diff)
				if err != nil {
					return sourceFailed(v, err)
				}
				merge(v.Source, s3)
				for _, u := range diff {
					if s3[u] == s2[u] {
						drifted = append(drifted, u)
					} else {
						confirmed[u] = 0
						changing = append(changing, u)
					}
				}
				slices.Sort(drifted)
				slices.Sort(changing)
			}
		}
		if len(changing) > 0 && v.Retries >= o.Retries {
			unsettled = changing
			v.Why = fmt.Sprintf("still changing on the source after %d %s", v.Retries, Plural(v.Retries, "retry", "retries"))
			changing = nil
		}
		switch {
		case len(changing) > 0:
			v.Retries++
			if o.Backoff != nil {
				if err := sleep(ctx, o.Backoff(v.Retries)); err != nil {
					return failed(v, drifted, err)
				}
			}
			pending = append(again, changing...)
			slices.Sort(pending)
			if s, c, err = src.Fresh(ctx, pending); err != nil {
				return sourceFailed(v, err)
			}
			merge(v.Source, s)
		case len(again) > 0:
			// Confirm once more from the sums just read: a change to a
			// non-transactional table is visible before it is logged.
			pending, s, c = again, s2, c2
		default:
			return finish()
		}
	}
}

// holdPause is how long a difference found after took must hold, with the
// source still, before it is drift: as long again, at least 10ms and at
// most 100ms (a commit's thread waits for a CPU for milliseconds, tens on
// a loaded host; a large chunk's comparison takes longer for other
// reasons), and never more than a tenth of the time left before ctx's
// deadline.
func holdPause(ctx context.Context, took time.Duration) time.Duration {
	d := min(max(took, 10*time.Millisecond), 100*time.Millisecond)
	if dl, ok := ctx.Deadline(); ok {
		d = min(d, time.Until(dl)/10)
	}
	return d
}

// sourceFailed ends a comparison on the source's error, keeping the sums
// read so far.
func sourceFailed(v Verdict, err error) Verdict {
	f := SourceFailure(err)
	v.State, v.Err = f.State, f.Err
	return v
}

// failed ends a comparison on an error; drift already confirmed still counts.
func failed(v Verdict, drifted []int, err error) Verdict {
	v.Err = err
	v.State = Failed
	if len(drifted) > 0 {
		v.State, v.Drifted = Drifted, drifted
	}
	return v
}

// differing returns the units of us whose sums differ between a and b.
func differing(us []int, a, b Sums) []int {
	var out []int
	for _, u := range us {
		if a[u] != b[u] {
			out = append(out, u)
		}
	}
	return out
}

func merge(dst, src Sums) {
	for k, v := range src {
		dst[k] = v
	}
}

// sleep pauses for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
