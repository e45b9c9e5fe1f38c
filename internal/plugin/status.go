package plugin

import (
	"fmt"
	"strings"

	"github.com/olorin/nagiosplugin"
)

// Status is a Nagios plugin state; its numeric value is the exit code.
type Status = nagiosplugin.Status

// The four plugin states.
const (
	OK       = nagiosplugin.OK
	WARNING  = nagiosplugin.WARNING
	CRITICAL = nagiosplugin.CRITICAL
	UNKNOWN  = nagiosplugin.UNKNOWN
)

// severity orders states for "worst wins": CRITICAL > WARNING > UNKNOWN > OK,
// so a broken channel is never hidden behind another one that could not be read.
var severity = mustPolicy(nagiosplugin.NewStatusPolicy([]Status{OK, UNKNOWN, WARNING, CRITICAL}))

func mustPolicy[P any](p P, err error) P {
	if err != nil {
		panic(err)
	}
	return p
}

// Worse reports whether a is more severe than b.
func Worse(a, b Status) bool {
	return (*severity)[a] > (*severity)[b]
}

// Worst returns the most severe of the given states (OK when none).
func Worst(states ...Status) Status {
	w := OK
	for _, s := range states {
		if Worse(s, w) {
			w = s
		}
	}
	return w
}

// ParseStatus reads a state name as a user writes it on the command line.
func ParseStatus(s string) (Status, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "ok", "0":
		return OK, nil
	case "warning", "warn", "1":
		return WARNING, nil
	case "critical", "crit", "2":
		return CRITICAL, nil
	case "unknown", "3":
		return UNKNOWN, nil
	}
	return UNKNOWN, fmt.Errorf("%q is not a state (use ok, warning, critical or unknown)", s)
}

// StatusValue is a kingpin flag value holding a state.
type StatusValue struct{ Status Status }

// Set parses a state name.
func (v *StatusValue) Set(s string) error {
	st, err := ParseStatus(s)
	if err != nil {
		return err
	}
	v.Status = st
	return nil
}

// String returns the state's lower-case name.
func (v *StatusValue) String() string { return strings.ToLower(v.Status.String()) }
