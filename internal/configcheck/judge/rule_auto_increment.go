package judge

import (
	"fmt"
	"strings"

	"github.com/replmon/replmon/internal/configcheck/topology"
)

// autoIncrement (auto-increment): a ring member, or a server that may be
// one, spaces AUTO_INCREMENT for the ring: an increment of at least the
// number of masters and an offset within it. ringOffsets, a relation,
// checks that the members' offsets do not collide.
func autoIncrement(j *audit) {
	f := j.F
	if f.Ring == topology.No {
		return
	}
	inc, ok1 := j.N.Int("auto_increment_increment")
	off, ok2 := j.N.Int("auto_increment_offset")
	if !ok1 || !ok2 {
		j.Missing(RuleAutoIncrement, "auto_increment_increment or auto_increment_offset")
		return
	}
	size := int64(max(f.RingSize, 2))
	var problems []string
	var fix Fix
	if inc < size {
		problems = append(problems, fmt.Sprintf(
			"auto_increment_increment is %d but the ring has %d masters: masters generate the same AUTO_INCREMENT values and replication stops on the duplicate key",
			inc, size))
		fix = Fix{Cnf: fmt.Sprintf("auto_increment_increment = %d", size), Now: fmt.Sprintf("SET GLOBAL auto_increment_increment = %d", size)}
	}
	if off < 1 || off > inc {
		problems = append(problems, fmt.Sprintf(
			"auto_increment_offset is %d, outside 1..%d (auto_increment_increment): the server ignores it and uses 1",
			off, inc))
		if fix.Cnf == "" {
			fix = Fix{Cnf: fmt.Sprintf("auto_increment_offset = <1..%d, different on each master>", inc),
				Now: "SET GLOBAL auto_increment_offset = <that number>"}
		}
	}
	switch {
	case len(problems) == 0 && f.Ring == topology.Yes:
		j.Add(RuleAutoIncrement, Pass, Fix{}, "auto_increment_increment %d, auto_increment_offset %d fit a ring of %d", inc, off, size)
	case len(problems) == 0:
		// Not known to be in a ring, and fit for the smallest one: nothing to judge.
	case f.Ring == topology.Yes:
		j.Add(RuleAutoIncrement, Critical, fix, "%s", strings.Join(problems, "; "))
	default:
		j.NotJudged(RuleAutoIncrement, fmt.Sprintf("a member of a ring of %d masters needs auto_increment_increment of at least %d and an offset within it", size, size), topology.AskRing)
	}
}

// ringOffsets reports pairs of ring members that generate the same
// AUTO_INCREMENT values: offsets a and b with increments m and n collide
// when a ≡ b (mod gcd(m, n)). Members whose own settings already fail the
// auto-increment rule are left to it.
func ringOffsets(t *topology.Topology) []Finding {
	var out []Finding
	for _, r := range t.Rings {
		type member struct {
			n        *topology.Node
			inc, off int64
		}
		var ms []member
		for _, n := range r.Members {
			if !n.Reachable() {
				continue
			}
			inc, ok1 := n.Int("auto_increment_increment")
			off, ok2 := n.Int("auto_increment_offset")
			if !ok1 || !ok2 || inc < int64(len(r.Members)) || off < 1 || off > inc {
				continue
			}
			ms = append(ms, member{n, inc, off})
		}
		clash := map[*topology.Node]bool{}
		for i := range ms {
			for k := i + 1; k < len(ms); k++ {
				a, b := ms[i], ms[k]
				if (a.off-b.off)%gcd(a.inc, b.inc) != 0 {
					continue
				}
				first, other := a, b
				if !first.n.Audited {
					first, other = b, a
				}
				if !first.n.Audited {
					continue
				}
				clash[a.n], clash[b.n] = true, true
				out = append(out, Finding{Rule: RuleAutoIncrementOffsets, Level: Critical, Node: first.n, Others: []*topology.Node{other.n},
					Fix: Fix{Cnf: fmt.Sprintf("auto_increment_offset = <1..%d, different on each master>", first.inc),
						Now: "SET GLOBAL auto_increment_offset = <that number>"},
					Text: fmt.Sprintf("auto_increment_offset %d (increment %d) collides with %s, offset %d (increment %d), in the same ring: both masters generate the same AUTO_INCREMENT values and replication stops on the duplicate key",
						first.off, first.inc, other.n.Label(), other.off, other.inc)})
			}
		}
		for _, m := range ms {
			if m.n.Audited && !clash[m.n] && len(ms) > 1 {
				out = append(out, Finding{Rule: RuleAutoIncrementOffsets, Level: Pass, Node: m.n,
					Text: fmt.Sprintf("auto_increment_offset %d is distinct within its ring", m.off)})
			}
		}
	}
	return out
}

// gcd returns the greatest common divisor of two positive numbers.
func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
