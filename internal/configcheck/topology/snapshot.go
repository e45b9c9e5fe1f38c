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

	// What a server with log_bin ON tells about its binary logs.
	Binlogs     []BinlogFile // SHOW BINARY LOGS, oldest first
	BinlogsErr  error        // why they could not be listed
	Binlog      BinlogStatus // SHOW MASTER STATUS (SHOW BINLOG STATUS, SHOW BINARY LOG STATUS)
	BinlogErr   error
	Status      map[string]string // global status values read, by lower-case name (MariaDB: binlog_bytes_written, uptime)
	StatusErr   error
	BinlogsRead bool // the binary log statements were sent (log_bin is ON)
	// BinlogsStart is, on MariaDB, the GTID position its oldest binary log
	// starts at (BINLOG_GTID_POS): a replica by GTID needs at least that.
	BinlogsStart    string
	BinlogsStartErr error
}

// BinlogFile is one binary log a server keeps.
type BinlogFile struct {
	Name string
	Size int64 // bytes
}

// BinlogStatus is the server's current binary log position and the
// filters its binary log applies.
type BinlogStatus struct {
	Stmt     string // the statement that answered
	File     string
	Pos      int64
	DoDB     string // Binlog_Do_DB
	IgnoreDB string // Binlog_Ignore_DB
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
