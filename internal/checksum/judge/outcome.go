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
}

// ReplicaSummary describes one compared replica.
type ReplicaSummary struct {
	Label    string
	Identity string // flavour and version
	Route    string // how it gets the source's changes
}
