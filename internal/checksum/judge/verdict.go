package judge

import "fmt"

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
	Incomplete                // compared in part: the run's time (-t) ended first, and no --state-file continues it
	Pending                   // not compared yet in the current cycle of a --state-file
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
	case Incomplete:
		return "not compared for lack of time"
	case Pending:
		return "not compared yet in this cycle"
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

// ParseState reads a state's words (String) back; unknown words are Failed.
func ParseState(words string) State {
	for s := InSync; s <= Pending; s++ {
		if s.String() == words {
			return s
		}
	}
	return Failed
}

// Rank orders states by how much they weigh on the verdict: confirmed
// differences, then errors, then what is not confirmed, then the rest.
func Rank(s State) int {
	switch s {
	case Drifted, Missing, Structure:
		return 3
	case Failed:
		return 2
	case Unsettled, Lagging, Incomplete:
		return 1
	}
	return 0
}
