package servers

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/replmon/replmon/internal/gtid"
	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/server"
)

// factsQuery returns the statement reading the server's identity and
// replication facts: server_id, log_bin, log_slave_updates, @@hostname and
// @@port, then gtid_binlog_state and gtid_strict_mode (MariaDB 10.0.9 and
// later) or server_uuid and gtid_mode (MySQL 5.6.5 and later); columns a
// server does not have are left out.
func factsQuery(id server.Identity) string {
	q := "SELECT @@GLOBAL.server_id, @@GLOBAL.log_bin, @@GLOBAL." + id.LogReplicaUpdatesVar() + ", @@hostname, @@port"
	switch {
	case id.Flavor == server.MariaDB && id.Version.AtLeast(10, 0, 9):
		q += ", @@GLOBAL.gtid_binlog_state, @@GLOBAL.gtid_strict_mode"
	case id.Flavor != server.MariaDB && id.Version.AtLeast(5, 6, 5):
		q += ", @@GLOBAL.server_uuid, @@GLOBAL.gtid_mode"
	}
	return q
}

// readFacts runs factsQuery on q and records the answer in n.
func readFacts(ctx context.Context, q query.Runner, n *Node) error {
	stmt := factsQuery(n.ID)
	res, err := q.Query(ctx, stmt)
	if err != nil {
		return fmt.Errorf("%s: %w", stmt, query.Explain(err))
	}
	if len(res.Rows) != 1 {
		return fmt.Errorf("%s: no row", stmt)
	}
	return setFacts(n, res)
}

// setFacts records the one row of factsQuery's answer in n.
func setFacts(n *Node, res *query.Result) error {
	id, err := strconv.ParseUint(res.Text(0, 0), 10, 32)
	if err != nil {
		return fmt.Errorf("server_id %q is not a number", res.Text(0, 0))
	}
	n.ServerID = uint32(id)
	n.LogBin = isOn(res.Text(0, 1))
	n.LogSlaveUpdates = isOn(res.Text(0, 2))
	if len(res.Rows[0]) < 5 {
		return fmt.Errorf("%d columns, want at least 5", len(res.Rows[0]))
	}
	n.Hostname = res.Text(0, 3)
	if n.Port, err = strconv.Atoi(res.Text(0, 4)); err != nil {
		return fmt.Errorf("port %q is not a number", res.Text(0, 4))
	}
	if len(res.Rows[0]) < 7 {
		return nil
	}
	if n.ID.Flavor == server.MariaDB {
		if n.BinlogState, err = gtid.ParseMariaDB(res.Text(0, 5)); err != nil {
			return fmt.Errorf("gtid_binlog_state: %w", err)
		}
		n.StrictMode = isOn(res.Text(0, 6))
		return nil
	}
	n.UUID = res.Text(0, 5)
	n.GTIDMode = strings.EqualFold(res.Text(0, 6), "ON")
	return nil
}

func isOn(v string) bool {
	switch strings.ToUpper(strings.TrimSpace(v)) {
	case "1", "ON", "YES", "TRUE":
		return true
	}
	return false
}
