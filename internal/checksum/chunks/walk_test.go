package chunks

import (
	"testing"
	"time"

	"github.com/replmon/replmon/internal/checksum/judge"
)

// TestAdapt: chunk sizes follow the rate of the last chunk towards the
// target time, at most four times larger or smaller, within the limits.
func TestAdapt(t *testing.T) {
	for _, c := range []struct {
		size int
		n    int64
		took time.Duration
		want int
	}{
		{1000, 1000, 10 * time.Millisecond, 4000},                    // fast: grows, at most 4×
		{1000, 1000, 400 * time.Millisecond, 1250},                   // close to the target
		{100000, 100000, 5 * time.Second, 25000},                     // slow: shrinks, at most 4×
		{200, 200, time.Second, minChunkRows},                        // never below the least
		{maxChunkRows, maxChunkRows, time.Millisecond, maxChunkRows}, // never above the most
		{1000, 1000, 0, 4000},
	} {
		if got := adapt(c.size, c.n, c.took, 500*time.Millisecond); got != c.want {
			t.Errorf("adapt(%d, %d, %s) = %d, want %d", c.size, c.n, c.took, got, c.want)
		}
	}
}

// TestFinish: a table's verdict from its chunks'.
func TestFinish(t *testing.T) {
	agg := judge.Verdict{Source: judge.Sums{}, Replica: judge.Sums{}}
	mergeUnit(&agg, 0, judge.Verdict{State: judge.InSync, Source: judge.Sums{0: {Rows: 5}}})
	mergeUnit(&agg, 1, judge.Verdict{State: judge.Unsettled, Unsettled: []int{1}, Why: "still changing", Retries: 3})
	finish(&agg)
	if agg.State != judge.Unsettled || agg.Retries != 3 || agg.Why != "still changing" || agg.Source[0].Rows != 5 {
		t.Errorf("unsettled: %+v", agg)
	}
	mergeUnit(&agg, 2, judge.Verdict{State: judge.Drifted, Drifted: []int{2}})
	finish(&agg)
	if agg.State != judge.Drifted {
		t.Errorf("drift beats unsettled: %+v", agg)
	}
	missing := judge.Verdict{}
	mergeUnit(&missing, 0, judge.Verdict{State: judge.Missing})
	finish(&missing)
	if missing.State != judge.Missing {
		t.Errorf("missing: %+v", missing)
	}
	if got := KeyWords([]string{"1", "x"}); got != "(1, x)" {
		t.Errorf("KeyWords %q", got)
	}
}
