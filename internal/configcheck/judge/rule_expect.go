package judge

import (
	"strings"

	"github.com/replmon/replmon/internal/configcheck/topology"
)

// expect (expect): each --expect VAR=VALUE holds, under either spelling of
// a renamed variable.
func expect(j *audit) {
	for _, x := range j.O.Expect {
		name := x.Name
		got, ok := j.N.Var(name)
		if !ok {
			for _, a := range topology.VariableAliases(name) {
				if got, ok = j.N.Var(a); ok {
					name = a
					break
				}
			}
		}
		switch {
		case !ok:
			j.Add(RuleExpect, Unknown, Fix{}, "%s does not exist on %s (--expect %s=%s)", x.Name, j.N.ID, x.Name, x.Value)
		case sameValue(got, x.Value):
			j.Add(RuleExpect, Pass, Fix{}, "%s is %s", name, got)
		default:
			j.Add(RuleExpect, Warning, Fix{Cnf: name + " = " + x.Value, Advice: "SET GLOBAL " + name + " applies it at once if the variable is dynamic"},
				"%s is %s, expected %s (--expect)", name, got, x.Value)
		}
	}
}

// sameValue compares a variable's value with the one a site expects:
// booleans by meaning (ON = 1 = YES), everything else ignoring case.
func sameValue(got, want string) bool {
	if g, ok := topology.ParseBool(got); ok {
		if w, ok := topology.ParseBool(want); ok {
			return g == w
		}
	}
	if g, ok := topology.ParseInt(got); ok {
		if w, ok := topology.ParseInt(want); ok {
			return g == w
		}
	}
	return strings.EqualFold(strings.TrimSpace(got), strings.TrimSpace(want))
}
