package render

import (
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/testkit/configtopo"
)

// TestDescribeForcedRole: a role given with --role is named, and the
// server described as that role.
func TestDescribeForcedRole(t *testing.T) {
	s := configtopo.Server("s:3306", 1, "8.0.36", "read_only", "OFF", "log_replica_updates", "OFF")
	tp := configtopo.Build(topology.Single, s)
	tp.Role = topology.RoleRing
	if d := Describe(tp, tp.Nodes[0]); !strings.HasPrefix(d, "role ring (--role), ring member (2 masters)") {
		t.Errorf("describe %q", d)
	}
}
