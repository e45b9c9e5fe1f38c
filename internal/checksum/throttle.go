package checksum

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/replmon/replmon/internal/checksum/servers"
)

// throttleEvery is how often the load and lag are read; pauses last as long.
const throttleEvery = 250 * time.Millisecond

// throttler pauses the walks, as pt-table-checksum does, while a replica
// lags more than --max-lag or the source runs more than --max-load
// threads. A pause never decides anything: what it leaves no time for is
// compared by a later run.
type throttler struct {
	mu     sync.Mutex
	last   time.Time     // when the load and lag were last found fine
	paused time.Duration // in this run
}

// wait returns once the servers are below the limits, or when the
// deadline leaves no room for a chunk.
func (t *throttler) wait(ctx context.Context, c *comparer) {
	if c.opts.MaxLag <= 0 && c.opts.MaxLoad <= 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for time.Since(t.last) >= throttleEvery && ctx.Err() == nil && c.fits(0) {
		why := t.over(ctx, c)
		if why == "" {
			t.last = time.Now()
			return
		}
		c.r.Debugf(1, "pausing: %s", why)
		start := time.Now()
		select {
		case <-time.After(throttleEvery):
		case <-ctx.Done():
		}
		t.paused += time.Since(start)
	}
}

// over says which limit is exceeded, or "".
func (t *throttler) over(ctx context.Context, c *comparer) string {
	if c.opts.MaxLoad > 0 {
		if n, err := servers.ThreadsRunning(ctx, c.source); err == nil && n > c.opts.MaxLoad {
			return "Threads_running " + strconv.Itoa(n) + " on the source is above --max-load " + strconv.Itoa(c.opts.MaxLoad)
		}
	}
	if c.opts.MaxLag > 0 {
		for _, l := range c.links {
			if lag, known, err := servers.MaxLag(ctx, l.Rep); err == nil && known && lag > c.opts.MaxLag {
				return "replica " + l.Rep.Label + " is " + lag.String() + " behind, above --max-lag " + c.opts.MaxLag.String()
			}
		}
	}
	return ""
}

// total returns the time paused so far.
func (t *throttler) total() time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.paused
}
