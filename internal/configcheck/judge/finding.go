package judge

import (
	"fmt"
	"strings"

	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/plugin"
)

// Level is how serious a finding is.
type Level int

// The levels, least serious first.
const (
	Pass     Level = iota // the rule holds
	Info                  // worth knowing, not a fault (state OK)
	Unknown               // the rule could not be judged (state UNKNOWN)
	Warning               // state WARNING
	Critical              // state CRITICAL
)

// String returns the level as printed: OK, INFO, UNKNOWN, WARNING or CRITICAL.
func (l Level) String() string {
	switch l {
	case Info:
		return "INFO"
	case Unknown:
		return "UNKNOWN"
	case Warning:
		return "WARNING"
	case Critical:
		return "CRITICAL"
	}
	return "OK"
}

// Status returns the plugin state of the level.
func (l Level) Status() plugin.Status {
	switch l {
	case Unknown:
		return plugin.UNKNOWN
	case Warning:
		return plugin.WARNING
	case Critical:
		return plugin.CRITICAL
	}
	return plugin.OK
}

// LevelOf turns a plugin state (from --unreachable) into a level.
func LevelOf(s plugin.Status) Level {
	switch s {
	case plugin.WARNING:
		return Warning
	case plugin.CRITICAL:
		return Critical
	case plugin.UNKNOWN:
		return Unknown
	}
	return Pass
}

// Fix is how to correct a finding.
type Fix struct {
	// Cnf is the my.cnf line that fixes it, under [mysqld] ("" when none).
	Cnf string
	// Restart is true when the line takes effect only after a restart.
	Restart bool
	// Now is a statement that applies it at once ("" when none), e.g. SET GLOBAL.
	Now string
	// Advice is the remedy when no setting fixes it (an upgrade, a CHANGE MASTER).
	Advice string
}

// String renders the fix for the long output, e.g.
// "fix: log_slave_updates = ON in [mysqld] of my.cnf, then restart".
func (f Fix) String() string {
	var parts []string
	if f.Cnf != "" {
		s := f.Cnf + " in [mysqld] of my.cnf"
		switch {
		case f.Restart:
			s += ", then restart (the variable is not dynamic)"
		case f.Now != "":
			s += "; " + f.Now + " applies it without a restart"
		}
		parts = append(parts, s)
	} else if f.Now != "" {
		parts = append(parts, f.Now)
	}
	if f.Advice != "" {
		parts = append(parts, f.Advice)
	}
	if len(parts) == 0 {
		return ""
	}
	return "fix: " + strings.Join(parts, "; ")
}

// Finding is the verdict of one rule on one server (or a relation).
type Finding struct {
	Rule   string // stable rule id, e.g. "log-slave-updates"
	Level  Level
	Node   *topology.Node   // the server it is about; relation findings use the first audited one
	Others []*topology.Node // other servers a relation finding involves
	Text   string           // what is wrong and why it matters; for Pass, what holds
	Fix    Fix
	// Privilege, on an Unknown finding, is the privilege the monitoring
	// account lacks on PrivilegeOn, which left the rule without its data.
	Privilege   string
	PrivilegeOn string
	// Headroom is set by the retention rule when it could compute it.
	Headroom *Headroom
}

// String is the one-line form used in summaries: "[rule] server: text".
func (f Finding) String() string {
	return fmt.Sprintf("[%s] %s: %s", f.Rule, f.Node.Label(), f.Text)
}
