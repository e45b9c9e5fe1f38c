package topology

import (
	"strings"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/replica"
	"github.com/replmon/replmon/internal/server"
)

// Snapshot is everything read from one server; the rules judge snapshots
// without a connection.
type Snapshot struct {
	Addr address.Addr // the address it was reached at
	// Err is set when the server could not be reached or identified; nothing
	// else is known then.
	Err error

	ID      server.Identity
	Vars    map[string]string // global variables by lower-case name; only those the server has
	VarsErr error

	Channels     []replica.Channel // its replication channels (none: not a replica)
	ChannelsStmt string            // the statement that listed them
	ChannelsErr  error             // why they could not be read

	Replicas Replicas // what it tells about its own replicas
}

// Reachable reports whether the server answered.
func (s *Snapshot) Reachable() bool { return s.Err == nil }

// Var returns a global variable's value and whether the server has it.
func (s *Snapshot) Var(name string) (string, bool) {
	v, ok := s.Vars[strings.ToLower(name)]
	return v, ok
}

// Bool returns a boolean variable; ok is false when it is absent or not boolean.
func (s *Snapshot) Bool(name string) (on, ok bool) {
	v, found := s.Var(name)
	if !found {
		return false, false
	}
	return ParseBool(v)
}

// Int returns a numeric variable; ok is false when it is absent or not a number.
func (s *Snapshot) Int(name string) (int64, bool) {
	v, found := s.Var(name)
	if !found {
		return 0, false
	}
	return ParseInt(v)
}

// ServerID returns @@server_id, and false when it is unknown.
func (s *Snapshot) ServerID() (int64, bool) { return s.Int("server_id") }

// LogReplicaUpdatesVar returns the name this server gives log_slave_updates
// (log_replica_updates on MySQL 8.0.26+), falling back to the spelling the
// server actually returned.
func (s *Snapshot) LogReplicaUpdatesVar() string {
	name := s.ID.LogReplicaUpdatesVar()
	if _, ok := s.Var(name); ok {
		return name
	}
	for _, n := range []string{server.LogReplicaUpdates, server.LogSlaveUpdates} {
		if _, ok := s.Var(n); ok {
			return n
		}
	}
	return name
}
