package configcheck

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/server"
)

// ReplicaHost is one replica registered with a source (one row of SHOW
// SLAVE HOSTS, SHOW REPLICA HOSTS or SHOW REPLICAS).
type ReplicaHost struct {
	ServerID int64  // Server_id of the replica
	Host     string // its report_host ("" when it reports none)
	Port     int    // its report_port (0 when unknown)
	SourceID int64  // Master_id / Source_id: the server_id it replicates from
	UUID     string // Slave_UUID / Replica_UUID (MySQL 5.6+), "" otherwise
}

// Addr returns the replica's reported address, or the zero Addr when it
// reported no host or no port.
func (h ReplicaHost) Addr() address.Addr {
	if h.Host == "" || h.Port == 0 {
		return address.Addr{}
	}
	return address.TCP(h.Host, h.Port)
}

// Replicas is what a server tells about the replicas connected to it.
type Replicas struct {
	Stmt       string        // the statement that answered ("" when none did)
	Registered []ReplicaHost // registered replicas, when a hosts statement answered
	// Processlist is true when the Binlog Dump threads of the processlist
	// were counted instead of registered replicas.
	Processlist bool
	Dumps       []DumpThread // the Binlog Dump threads (Processlist only)
	// OthersVisible is true when the processlist shows sessions of other
	// accounts: the PROCESS privilege is in effect, so no dump thread is hidden.
	OthersVisible bool
	HostsErr      error // why the hosts statement was not used, when it failed
	Err           error // why nothing could be read
}

// Count returns how many replicas the server reported.
func (r Replicas) Count() int {
	if r.Processlist {
		return len(r.Dumps)
	}
	return len(r.Registered)
}

// Complete reports whether a count of zero can be trusted: a hosts statement
// answered, or the processlist shows other accounts' sessions. It returns
// why not otherwise.
func (r Replicas) Complete() (bool, string) {
	switch {
	case r.Err != nil:
		return false, r.Err.Error()
	case !r.Processlist:
		return true, ""
	case r.OthersVisible:
		return true, ""
	}
	why := "the processlist shows only this account's own sessions, so Binlog Dump threads may be hidden (needs PROCESS)"
	if r.HostsErr != nil {
		why = r.HostsErr.Error() + "; " + why
	}
	return false, why
}

// replicaHostsStatement returns the statement that lists a server's
// replicas, or "" when the processlist must be used instead: MySQL before
// 5.5 lists only the replicas started with --report-host.
func replicaHostsStatement(id server.Identity) string {
	if id.Flavor != server.MariaDB && id.Version.Less(server.Version{Major: 5, Minor: 5}) {
		return ""
	}
	return id.ReplicaHostsQuery()
}

// readReplicas asks the server for its replicas: the hosts statement of its
// version (SHOW SLAVE HOSTS where the spelling is unknown), and the Binlog
// Dump threads of the processlist when that statement is refused for lack
// of a privilege (MariaDB 10.5.2+ wants REPLICATION MASTER ADMIN, MySQL
// REPLICATION SLAVE).
func readReplicas(ctx context.Context, q query.Runner, id server.Identity, user string) Replicas {
	var r Replicas
	if stmt := replicaHostsStatement(id); stmt != "" {
		rs, err := q.Query(ctx, stmt)
		if err != nil && query.IsSyntaxError(err) && stmt != server.ShowSlaveHosts {
			stmt = server.ShowSlaveHosts
			rs, err = q.Query(ctx, stmt)
		}
		if err == nil {
			r.Stmt = stmt
			r.Registered, err = parseReplicaHosts(rs)
			if err != nil {
				r.Err = fmt.Errorf("%s: %w", stmt, err)
			}
			return r
		}
		err = query.Explain(err)
		var ae *query.AccessError
		if !errors.As(err, &ae) {
			r.Err = fmt.Errorf("%s: %w", stmt, err)
			return r
		}
		r.HostsErr = fmt.Errorf("%s: %w", stmt, err)
	}
	rs, err := q.Query(ctx, ProcesslistQuery)
	if err != nil {
		err = fmt.Errorf("%s: %w", ProcesslistQuery, query.Explain(err))
		if r.HostsErr != nil {
			err = fmt.Errorf("%v; %w", r.HostsErr, err)
		}
		r.Err = err
		return r
	}
	r.Stmt, r.Processlist = ProcesslistQuery, true
	r.Dumps, r.OthersVisible, err = parseProcesslist(rs, user)
	if err != nil {
		r.Err = err
	}
	return r
}

// parseReplicaHosts reads the rows of SHOW SLAVE HOSTS (MySQL 5.1 to 8.0,
// MariaDB), SHOW REPLICA HOSTS (MariaDB 10.5.1+) or SHOW REPLICAS (MySQL
// 8.0.22+), by column name.
func parseReplicaHosts(rs *query.Result) ([]ReplicaHost, error) {
	id, host, port := rs.Column("Server_id"), rs.Column("Host"), rs.Column("Port")
	src, uuid := rs.Column("Source_id", "Master_id"), rs.Column("Replica_UUID", "Slave_UUID")
	if id < 0 || host < 0 || port < 0 {
		return nil, fmt.Errorf("want columns Server_id, Host and Port, got %s", strings.Join(rs.Columns, ", "))
	}
	var out []ReplicaHost
	for _, row := range rs.Rows {
		var h ReplicaHost
		if v, ok := query.Value(row, id); ok {
			h.ServerID, _ = parseInt(v)
		}
		h.Host, _ = query.Value(row, host)
		if v, ok := query.Value(row, port); ok {
			p, _ := parseInt(v)
			h.Port = int(p)
		}
		if v, ok := query.Value(row, src); ok {
			h.SourceID, _ = parseInt(v)
		}
		h.UUID, _ = query.Value(row, uuid)
		out = append(out, h)
	}
	return out, nil
}
