package checksum

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Sum is the checksum of one unit (a whole table or one chunk) on one server.
type Sum struct {
	Rows  int64  // rows counted; -1 when the method does not count rows
	Value string // the checksum as the server printed it
}

// Sums maps unit numbers to their sums.
type Sums map[int]Sum

// Coords is a server's replication position at one moment.
type Coords struct {
	GTID string // MariaDB GTID position or MySQL GTID set; "" when positions are used
	File string // binary log file name
	Pos  int64  // binary log position
}

// errMissing marks a table that does not exist on the server asked.
var errMissing = errors.New("table does not exist")

// sourceSide is what the comparison needs from the source for one table.
type sourceSide interface {
	// Fresh checksums units with statements that start after the call, then
	// reads the source's coordinates.
	Fresh(ctx context.Context, units []int) (Sums, Coords, error)
}

// replicaSide is what the comparison needs from one replica for one table.
type replicaSide interface {
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

// State is the outcome of comparing one table on one replica.
type State int

// The outcomes, in the order the long output lists them.
const (
	InSync       State = iota // every unit equal
	Drifted                   // a difference confirmed with the source holding still
	Unsettled                 // the source kept changing through every retry
	Lagging                   // the replica did not reach the source's coordinates in time
	Missing                   // the table does not exist on the replica
	Dropped                   // the table disappeared from the source during the run
	Incomparable              // checksums differ, but cannot be compared across these servers
	Failed                    // an error stopped the comparison
	NotCompared               // the run ended (timeout) before the comparison
	Structure                 // the columns differ between source and replica (confirmed)
)

// String returns the state in the words of the long output.
func (s State) String() string {
	switch s {
	case InSync:
		return "in sync"
	case Drifted:
		return "drifted"
	case Unsettled:
		return "unsettled"
	case Lagging:
		return "lagging"
	case Missing:
		return "missing on the replica"
	case Dropped:
		return "dropped during the run"
	case Incomparable:
		return "not comparable"
	case Failed:
		return "error"
	case NotCompared:
		return "not compared"
	case Structure:
		return "structure differs"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// Verdict is the outcome of comparing one table on one replica.
type Verdict struct {
	State     State
	Drifted   []int // units whose difference was confirmed
	Unsettled []int // units still changing on the source after the retries
	Retries   int   // rounds repeated because the source changed
	Source    Sums  // the source's sums last compared, by unit
	Replica   Sums  // the replica's sums last read, by unit
	Why       string
	Err       error
}

// settleOptions tune the comparison on one replica.
type settleOptions struct {
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

// compareTable checksums units on the source and on every replica at the
// same time, then settles each replica's differences on its own.
func compareTable(ctx context.Context, src sourceSide, reps []replicaSide, units []int, opts []settleOptions) []Verdict {
	verdicts := make([]Verdict, len(reps))
	var (
		s0   Sums
		c0   Coords
		errS error
		wg   sync.WaitGroup
	)
	x0 := make([]Sums, len(reps))
	errX := make([]error, len(reps))
	wg.Add(1)
	go func() {
		defer wg.Done()
		s0, c0, errS = src.Fresh(ctx, units)
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
			verdicts[i] = sourceFailure(errS)
		}
		return verdicts
	}
	for i, r := range reps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			verdicts[i] = settle(ctx, src, r, units, s0, c0, x0[i], errX[i], opts[i])
		}()
	}
	wg.Wait()
	return verdicts
}

// sourceFailure is the verdict when the source could not be checksummed.
func sourceFailure(err error) Verdict {
	if errors.Is(err, errMissing) {
		return Verdict{State: Dropped}
	}
	return Verdict{State: Failed, Err: err}
}

// settle decides one replica: s and c are the source's sums and the
// coordinates read after them, x the replica's sums read at the same time.
func settle(ctx context.Context, src sourceSide, r replicaSide, units []int, s Sums, c Coords, x Sums, errX error, o settleOptions) Verdict {
	v := Verdict{Source: Sums{}, Replica: Sums{}}
	merge(v.Source, s)
	var pending []int
	switch {
	case errX == nil:
		merge(v.Replica, x)
		pending = differing(units, s, x)
	case errors.Is(errX, errMissing):
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
		if errors.Is(err, errMissing) {
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
			f := sourceFailure(err)
			v.State, v.Err = f.State, f.Err
			return v
		}
		var again, changing []int
		for _, u := range pending {
			switch {
			case s2[u] != s[u]:
				confirmed[u] = 0
				changing = append(changing, u)
			case confirmed[u]+1 >= need:
				drifted = append(drifted, u)
			default:
				confirmed[u]++
				again = append(again, u)
			}
		}
		merge(v.Source, s2)
		if len(changing) > 0 && v.Retries >= o.Retries {
			unsettled = changing
			v.Why = fmt.Sprintf("still changing on the source after %d %s", v.Retries, plural(v.Retries, "retry", "retries"))
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
				f := sourceFailure(err)
				v.State, v.Err = f.State, f.Err
				return v
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

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
