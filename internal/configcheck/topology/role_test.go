package topology

import "testing"

func TestParseRole(t *testing.T) {
	for in, want := range map[string]Role{"master": RoleSource, "Slave": RoleReplica, "intermediate": RoleRelay, "multi-master": RoleRing, "auto": RoleAuto, "standalone": RoleStandalone} {
		if r, err := ParseRole(in); err != nil || r != want {
			t.Errorf("ParseRole(%q) = %v, %v", in, r, err)
		}
	}
}
