// Package configtopo builds check_repl_config topologies by hand, server by
// server, for the tests of its judge and renderer: snapshots as the reader
// would leave them, without a server or a recording.
package configtopo

import (
	"net"
	"strconv"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/configcheck/read"
	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/replica"
	"github.com/replmon/replmon/internal/server"
)

// Server returns the snapshot of a healthy-looking server at addr
// ("host:port"): id is its server_id, version its @@version
// ("10.11.6-MariaDB" or "8.0.36"), kv overrides variables in pairs
// ("read_only", "OFF"; the value "-" removes the variable). The GTID
// variables are those of a server that never wrote a GTID.
func Server(addr string, id int, version string, kv ...string) *topology.Snapshot {
	ident, err := server.Parse(version, "")
	if err != nil {
		panic(err)
	}
	_, port, _ := net.SplitHostPort(addr)
	vars := map[string]string{
		"server_id": strconv.Itoa(id), "port": port, "hostname": "h" + strconv.Itoa(id),
		"log_bin": "ON", ident.LogReplicaUpdatesVar(): "ON", "read_only": "ON",
		"auto_increment_increment": "1", "auto_increment_offset": "1",
		"relay_log_recovery": "ON", "sync_binlog": "1", "innodb_flush_log_at_trx_commit": "1",
	}
	if ident.Flavor != server.MariaDB && ident.Version.AtLeast(5, 7, 8) {
		vars["super_read_only"] = "ON"
	}
	switch {
	case ident.Flavor == server.MariaDB && ident.Version.AtLeast(10, 0, 2):
		for _, v := range []string{"gtid_binlog_pos", "gtid_binlog_state", "gtid_current_pos", "gtid_slave_pos"} {
			vars[v] = ""
		}
		vars["gtid_domain_id"], vars["gtid_strict_mode"] = "0", "OFF"
	case ident.Flavor != server.MariaDB && ident.Version.AtLeast(5, 6, 5):
		vars["gtid_mode"], vars["enforce_gtid_consistency"], vars["gtid_executed"], vars["gtid_purged"] = "OFF", "OFF", "", ""
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "-" {
			delete(vars, kv[i])
		} else {
			vars[kv[i]] = kv[i+1]
		}
	}
	a, err := address.Parse(addr)
	if err != nil {
		panic(err)
	}
	return &topology.Snapshot{Addr: a, ID: ident, Vars: vars, Replicas: topology.Replicas{Stmt: "SHOW SLAVE HOSTS"}}
}

// From adds to s a running channel from each source address and returns s.
func From(s *topology.Snapshot, addrs ...string) *topology.Snapshot {
	for _, a := range addrs {
		h, p, _ := net.SplitHostPort(a)
		port, _ := strconv.Atoi(p)
		s.Channels = append(s.Channels, replica.Channel{SourceHost: h, SourcePort: port, IO: replica.Running, SQL: replica.Running, SSLAllowed: "No"})
	}
	return s
}

// Dumps makes s list n Binlog Dump sessions from host, as read from its
// processlist, and returns s.
func Dumps(s *topology.Snapshot, n int, host string) *topology.Snapshot {
	s.Replicas = topology.Replicas{Stmt: read.ProcesslistQuery, Processlist: true, OthersVisible: true}
	for range n {
		s.Replicas.Dumps = append(s.Replicas.Dumps, topology.DumpThread{User: "repl", Host: host, Command: "Binlog Dump"})
	}
	return s
}

// Build returns the topology of the snapshots, every server audited and
// named on the command line.
func Build(mode topology.Mode, snaps ...*topology.Snapshot) *topology.Topology {
	var nodes []*topology.Node
	for _, s := range snaps {
		nodes = append(nodes, &topology.Node{Snapshot: s, Audited: true, Given: true})
	}
	return topology.Build(mode, nodes)
}
