package read

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/server"
)

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
func readReplicas(ctx context.Context, q query.Runner, id server.Identity, user string) topology.Replicas {
	var r topology.Replicas
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
		return r
	}
	if !r.OthersVisible {
		// An idle server shows no other session even to an account with
		// PROCESS: ask whether the account holds it.
		r.OthersVisible = holdsProcess(ctx, q)
	}
	return r
}

// ProcessPrivilegeQuery returns a row when the account holds the global
// PROCESS privilege (information_schema shows an account its own grants).
const ProcessPrivilegeQuery = "SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES WHERE PRIVILEGE_TYPE = 'PROCESS'"

// holdsProcess reports whether the account holds PROCESS; false when that
// cannot be read.
func holdsProcess(ctx context.Context, q query.Runner) bool {
	rs, err := q.Query(ctx, ProcessPrivilegeQuery)
	return err == nil && len(rs.Rows) > 0
}

// parseReplicaHosts reads the rows of SHOW SLAVE HOSTS (MySQL 5.1 to 8.0,
// MariaDB), SHOW REPLICA HOSTS (MariaDB 10.5.1+) or SHOW REPLICAS (MySQL
// 8.0.22+), by column name.
func parseReplicaHosts(rs *query.Result) ([]topology.ReplicaHost, error) {
	id, host, port := rs.Column("Server_id"), rs.Column("Host"), rs.Column("Port")
	src, uuid := rs.Column("Source_id", "Master_id"), rs.Column("Replica_UUID", "Slave_UUID")
	if id < 0 || host < 0 || port < 0 {
		return nil, fmt.Errorf("want columns Server_id, Host and Port, got %s", strings.Join(rs.Columns, ", "))
	}
	var out []topology.ReplicaHost
	for _, row := range rs.Rows {
		var h topology.ReplicaHost
		if v, ok := query.Value(row, id); ok {
			h.ServerID, _ = topology.ParseInt(v)
		}
		h.Host, _ = query.Value(row, host)
		if v, ok := query.Value(row, port); ok {
			p, _ := topology.ParseInt(v)
			h.Port = int(p)
		}
		if v, ok := query.Value(row, src); ok {
			h.SourceID, _ = topology.ParseInt(v)
		}
		h.UUID, _ = query.Value(row, uuid)
		out = append(out, h)
	}
	return out, nil
}
