package chunks

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/replmon/replmon/internal/checksum/servers"
)

// throttleEvery is how often the load and lag are read; pauses last as long.
const throttleEvery = 250 * time.Millisecond

// Throttler pauses the walks, as pt-table-checksum does, while a replica
// lags more than MaxLag or the source runs more than MaxLoad threads. A
// pause never decides anything: what it leaves no time for is compared by
// a later run.
type Throttler struct {
	MaxLag  time.Duration // 0: never
	MaxLoad int           // Threads_running; 0: never
	Source  *servers.Node
	Links   []*servers.Link
	Debugf  func(level int, format string, args ...any) // the -v output, or nil

	mu     sync.Mutex
	last   time.Time     // when the load and lag were last found fine
	paused time.Duration // in this run
}

// Wait returns once the servers are below the limits, or when fits says
// the deadline leaves no room for a chunk.
func (t *Throttler) Wait(ctx context.Context, fits func() bool) {
	if t == nil || t.MaxLag <= 0 && t.MaxLoad <= 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for time.Since(t.last) >= throttleEvery && ctx.Err() == nil && fits() {
		why := t.over(ctx)
		if why == "" {
			t.last = time.Now()
			return
		}
		if t.Debugf != nil {
			t.Debugf(1, "pausing: %s", why)
		}
		start := time.Now()
		select {
		case <-time.After(throttleEvery):
		case <-ctx.Done():
		}
		t.paused += time.Since(start)
	}
}

// over says which limit is exceeded, or "".
func (t *Throttler) over(ctx context.Context) string {
	if t.MaxLoad > 0 {
		if n, err := ThreadsRunning(ctx, t.Source); err == nil && n > t.MaxLoad {
			return "Threads_running " + strconv.Itoa(n) + " on the source is above --max-load " + strconv.Itoa(t.MaxLoad)
		}
	}
	if t.MaxLag > 0 {
		for _, l := range t.Links {
			if lag, known, err := MaxLag(ctx, l.Rep); err == nil && known && lag > t.MaxLag {
				return "replica " + l.Rep.Label + " is " + lag.String() + " behind, above --max-lag " + t.MaxLag.String()
			}
		}
	}
	return ""
}

// Total returns the time paused so far.
func (t *Throttler) Total() time.Duration {
	if t == nil {
		return 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.paused
}
