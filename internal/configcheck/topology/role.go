package topology

import (
	"fmt"
	"strings"
)

// Role is what a server is in replication, as --role names it.
type Role int

// The roles --role accepts; RoleAuto means "detect from the server".
const (
	RoleAuto       Role = iota
	RoleStandalone      // neither a replica nor a source
	RoleSource          // a source (master) that replicates from nobody
	RoleReplica         // a replica with no replicas of its own
	RoleRelay           // a replica that is the source of other replicas
	RoleRing            // a member of a ring of masters replicating each other
)

var roleNames = map[string]Role{
	"auto": RoleAuto, "standalone": RoleStandalone,
	"source": RoleSource, "master": RoleSource,
	"replica": RoleReplica, "slave": RoleReplica,
	"relay": RoleRelay, "intermediate": RoleRelay,
	"ring": RoleRing, "multi-master": RoleRing,
}

// ParseRole reads a --role value.
func ParseRole(s string) (Role, error) {
	if r, ok := roleNames[strings.ToLower(strings.TrimSpace(s))]; ok {
		return r, nil
	}
	return RoleAuto, fmt.Errorf("role %q is not one of auto, standalone, source, replica, relay, ring", s)
}

// String returns the role's --role spelling.
func (r Role) String() string {
	switch r {
	case RoleStandalone:
		return "standalone"
	case RoleSource:
		return "source"
	case RoleReplica:
		return "replica"
	case RoleRelay:
		return "relay"
	case RoleRing:
		return "ring"
	}
	return "auto"
}
