package checksum

import (
	"errors"
	"fmt"
	"time"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/checksum/plan"
	"github.com/replmon/replmon/internal/plugin"
)

// Options are the check's settings from the command line.
type Options struct {
	Replicas  []address.Addr  // each replica; without a port, the source's
	Selection judge.Selection // which tables
	Method    judge.Method    // auto, checksum-table or rows
	Retries   int             // rounds repeated while the source changes
	Unsettled plugin.Status   // state of a table still changing after the retries
	Lagging   plugin.Status   // state of a replica that did not reach the source's coordinates
	Lock      bool            // LOCK TABLES ... READ on the source during each table's comparison
	LockWait  time.Duration   // lock_wait_timeout
	ShowRows  int             // differing primary keys listed per table and replica
	Parallel  int             // sessions per server, and tables compared at once
	ChunkSize int             // rows of a table's first chunk; of every chunk when ChunkTime is 0
	ChunkTime time.Duration   // target time of one chunk; chunk sizes adapt to it
	StateFile string          // --state-file, resolved; "" without
	// MaxCycleAge are the WARNING and CRITICAL ages of the oldest
	// comparison the verdict rests on; 0 for none.
	MaxCycleAge [2]time.Duration
	MaxLag      time.Duration // pause while a replica lags more; 0: never
	MaxLoad     int           // pause while the source runs more threads; 0: never
	LockChunk   bool          // settle a chunk that keeps changing under a locking read on the source
	// FloatPrecision rounds FLOAT and DOUBLE values hashed by the rows
	// method to that many decimals; -1 hashes them as printed.
	FloatPrecision int
}

// hashOptions are the options of the rows method's hash.
func (o Options) hashOptions() plan.HashOptions {
	return plan.HashOptions{FloatPrecision: o.FloatPrecision}
}

// maxFloatPrecision is the most decimals ROUND keeps of a DOUBLE.
const maxFloatPrecision = 30

// Validate checks the options that flags alone cannot.
func (o Options) Validate() error {
	switch {
	case len(o.Replicas) == 0:
		return errors.New("no replica given: name at least one with --replica HOST[:PORT]")
	case o.Retries < 0:
		return fmt.Errorf("--retries must be 0 or more, not %d", o.Retries)
	case o.Parallel < 1:
		return fmt.Errorf("--parallel must be at least 1, not %d", o.Parallel)
	case o.ShowRows < 0:
		return fmt.Errorf("--show-rows must be 0 or more, not %d", o.ShowRows)
	case o.ChunkSize < 1:
		return fmt.Errorf("--chunk-size must be at least 1, not %d", o.ChunkSize)
	case o.ChunkTime < 0:
		return fmt.Errorf("--chunk-time must be 0 or more seconds, not %s", o.ChunkTime)
	case o.MaxLag < 0:
		return fmt.Errorf("--max-lag must be 0 or more seconds, not %s", o.MaxLag)
	case o.MaxLoad < 0:
		return fmt.Errorf("--max-load must be 0 or more threads, not %d", o.MaxLoad)
	case o.MaxCycleAge[1] > 0 && o.MaxCycleAge[0] > o.MaxCycleAge[1]:
		return fmt.Errorf("--max-cycle-age: the warning age %s is above the critical age %s", o.MaxCycleAge[0], o.MaxCycleAge[1])
	case o.LockWait <= 0:
		return fmt.Errorf("--lock-wait-timeout must be positive")
	case o.FloatPrecision > maxFloatPrecision:
		return fmt.Errorf("--float-precision must be a number of digits from 0 to %d, not %d", maxFloatPrecision, o.FloatPrecision)
	}
	return o.Selection.Validate()
}
