package judge

import (
	"time"

	"github.com/replmon/replmon/internal/checksum/plan"
)

// Result is the outcome for one table on one replica.
type Result struct {
	Table    plan.TableName
	Replica  string // the replica as the user named it
	Method   Method
	Verdict  Verdict
	Chunks   int       // units compared: 1 for CHECKSUM TABLE, chunks for rows
	Keys     []KeyDiff // differing primary keys, at most --show-rows
	MoreKeys int       // differing keys found beyond those listed
	KeysNote string    // why keys are not (all) listed
	Note     string    // why this method
	// Filtered, when set, names the replication filter on the replica's
	// way that excludes the table: nothing replicates it, so nothing proves
	// it in sync.
	Filtered string
	// Ranges are the key ranges found not in sync, in words ("id > 1000
	// and <= 2000"), for a table compared in chunks.
	Ranges []string
	// Progress says how far a table compared in chunks got in this run.
	Progress string
	// Earlier, when set, says the verdict was found by an earlier run
	// (--state-file) and not compared again in this one.
	Earlier string
}

// ReplicaFailure is a replica that could not be compared at all.
type ReplicaFailure struct {
	Label       string
	Err         error
	Unreachable bool // it refused or failed the connection or the login: an outage
}

// Outcome is everything a run found, for rendering.
type Outcome struct {
	Replicas []ReplicaSummary // every replica compared
	Failed   []ReplicaFailure // replicas not compared
	Tables   []plan.TableName // tables selected on the source
	Results  [][]Result       // per table, per compared replica
	Elapsed  time.Duration    // wall time of the run
	Cycle    Cycle            // coverage of the selection, this run and over runs
}

// Cycle is how much of the selected data the verdict covers, and how old
// it is. Without --state-file the cycle is this run.
type Cycle struct {
	State     bool          // a --state-file keeps the cycle between runs
	Number    int           // the cycle's number, from 1
	Coverage  float64       // share of the cycle done, 0 to 1
	Age       time.Duration // age of the oldest comparison the verdict rests on
	Chunks    int           // chunks compared in this run
	Throttled time.Duration // paused in this run (--max-lag, --max-load)
	Notes     []string      // about the state file: fresh cycle, not saved, …
	SaveErr   string        // why the state could not be saved
}

// ReplicaSummary describes one compared replica.
type ReplicaSummary struct {
	Label    string
	Identity string // flavour and version
	Route    string // how it gets the source's changes
}
