package judge

import (
	"fmt"
	"strings"
	"time"

	"github.com/replmon/replmon/internal/configcheck/topology"
)

// Options are the judgement settings taken from the command line.
type Options struct {
	Durability  bool          // also require sync_binlog=1 and innodb_flush_log_at_trx_commit=1
	RequireSSL  bool          // every replication link must use SSL
	Expect      []Expectation // variables the site pins (--expect)
	Unreachable Level         // level of a named server that cannot be reached
	Incomplete  Level         // level of a --discover that could not follow every replica
	// RetentionWarning and RetentionCritical: a replica that can stay
	// disconnected less long than these before it needs a purged binary log.
	RetentionWarning, RetentionCritical time.Duration
}

// Expectation is one --expect VAR=VALUE.
type Expectation struct {
	Name  string // lower-case variable name
	Value string
}

// ParseExpectation reads "VAR=VALUE".
func ParseExpectation(s string) (Expectation, error) {
	name, val, ok := strings.Cut(s, "=")
	name = strings.ToLower(strings.TrimSpace(name))
	if !ok || name == "" {
		return Expectation{}, fmt.Errorf("--expect %q is not VARIABLE=VALUE", s)
	}
	if !topology.ValidVariableName(name) {
		return Expectation{}, fmt.Errorf("--expect %q: %q is not a variable name", s, name)
	}
	return Expectation{Name: name, Value: strings.TrimSpace(val)}, nil
}
