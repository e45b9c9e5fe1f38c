package servers

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/server"
)

// factsQuery returns the statement reading the server's replication facts:
// server_id, server_uuid, gtid_mode, log_bin, log_slave_updates; columns a
// server does not have are left out.
func factsQuery(id server.Identity) string {
	if id.Flavor != server.MariaDB && id.Version.AtLeast(5, 6, 5) {
		return "SELECT @@GLOBAL.server_id, @@GLOBAL.log_bin, @@GLOBAL." + id.LogReplicaUpdatesVar() +
			", @@GLOBAL.server_uuid, @@GLOBAL.gtid_mode"
	}
	return "SELECT @@GLOBAL.server_id, @@GLOBAL.log_bin, @@GLOBAL." + id.LogReplicaUpdatesVar()
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
	if len(res.Rows[0]) >= 5 {
		n.UUID = res.Text(0, 3)
		n.GTIDMode = strings.EqualFold(res.Text(0, 4), "ON")
	}
	return nil
}

func isOn(v string) bool {
	switch strings.ToUpper(strings.TrimSpace(v)) {
	case "1", "ON", "YES", "TRUE":
		return true
	}
	return false
}
