package topology

import (
	"regexp"
	"strconv"
	"strings"
)

// variableName is what a variable name may look like; names are put into
// the statement literally, so nothing else is accepted.
var variableName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// ValidVariableName reports whether name (lower case) can be a server variable.
func ValidVariableName(name string) bool { return variableName.MatchString(name) }

// VariableAliases returns a variable's other spellings (MySQL 8.0.26
// renamed master/slave variables to source/replica), so --expect accepts
// either on every server.
func VariableAliases(name string) []string {
	var out []string
	for _, p := range [][2]string{{"slave", "replica"}, {"master", "source"}} {
		if strings.Contains(name, p[0]) {
			out = append(out, strings.ReplaceAll(name, p[0], p[1]))
		}
		if strings.Contains(name, p[1]) {
			out = append(out, strings.ReplaceAll(name, p[1], p[0]))
		}
	}
	return out
}

// ParseBool reads a boolean variable as servers print it (ON/OFF, 1/0, YES/NO).
func ParseBool(v string) (bool, bool) {
	switch strings.ToUpper(strings.TrimSpace(v)) {
	case "ON", "1", "YES", "TRUE":
		return true, true
	case "OFF", "0", "NO", "FALSE":
		return false, true
	}
	return false, false
}

// ParseInt reads a numeric variable.
func ParseInt(v string) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	return n, err == nil
}
