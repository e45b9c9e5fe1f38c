package replica

import (
	"strconv"
	"strings"
)

// ThreadState is what a replication thread column says about the thread.
type ThreadState int

// The states of a replication thread; Absent is the zero value.
const (
	// Absent means the column is missing, NULL, empty or says something unknown.
	Absent ThreadState = iota
	// Stopped is "No": the thread is not running.
	Stopped
	// Connecting is "Connecting" (or MariaDB's "Preparing"): the I/O thread runs
	// but is not yet receiving events from its source.
	Connecting
	// Running is "Yes": the thread runs (and, for I/O, is connected).
	Running
)

// String returns "absent", "stopped", "connecting" or "running".
func (s ThreadState) String() string {
	switch s {
	case Stopped:
		return "stopped"
	case Connecting:
		return "connecting"
	case Running:
		return "running"
	default:
		return "absent"
	}
}

// parseThreadState reads a Slave_IO_Running / Replica_SQL_Running value.
func parseThreadState(v string) ThreadState {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "yes":
		return Running
	case "no":
		return Stopped
	case "connecting", "preparing":
		return Connecting
	default:
		return Absent
	}
}

// Lag is a number of seconds that the server may not know (NULL).
type Lag struct {
	Seconds int64 // meaningful only when Known
	Known   bool  // false when the server answered NULL or not at all
}

// String returns the seconds, or "NULL" when they are not known.
func (l Lag) String() string {
	if !l.Known {
		return "NULL"
	}
	return strconv.FormatInt(l.Seconds, 10)
}
