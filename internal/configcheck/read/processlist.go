package read

import (
	"fmt"
	"strings"

	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/query"
)

// ProcesslistQuery lists the server's sessions; a source serves each
// connected replica from one "Binlog Dump" (or "Binlog Dump GTID") thread.
const ProcesslistQuery = "SHOW PROCESSLIST"

// parseProcesslist returns the Binlog Dump threads of a SHOW PROCESSLIST
// result and whether sessions of accounts other than this one are visible
// (without PROCESS a server shows an account only its own sessions). The
// session running SHOW PROCESSLIST tells the account's name; user, the
// login name, is used when no row says so.
func parseProcesslist(rs *query.Result, user string) ([]topology.DumpThread, bool, error) {
	u, h, cmd, info := rs.Column("User"), rs.Column("Host"), rs.Column("Command"), rs.Column("Info")
	if u < 0 || h < 0 || cmd < 0 {
		return nil, false, fmt.Errorf("%s: want columns User, Host and Command, got %s", ProcesslistQuery, strings.Join(rs.Columns, ", "))
	}
	for _, row := range rs.Rows {
		if in, _ := query.Value(row, info); strings.EqualFold(strings.TrimSpace(in), ProcesslistQuery) {
			user, _ = query.Value(row, u)
			break
		}
	}
	var dumps []topology.DumpThread
	others := false
	for _, row := range rs.Rows {
		ru, _ := query.Value(row, u)
		if ru != user {
			others = true
		}
		c, _ := query.Value(row, cmd)
		if !strings.HasPrefix(strings.ToLower(c), "binlog dump") {
			continue
		}
		host, _ := query.Value(row, h)
		dumps = append(dumps, topology.DumpThread{User: ru, Host: clientHost(host), Command: c})
	}
	return dumps, others, nil
}

// clientHost strips the client port from a processlist Host ("10.0.0.5:51234").
func clientHost(h string) string {
	i := strings.LastIndexByte(h, ':')
	if i < 0 {
		return h
	}
	for _, c := range h[i+1:] {
		if c < '0' || c > '9' {
			return h
		}
	}
	if i == len(h)-1 {
		return h
	}
	return strings.Trim(h[:i], "[]")
}
