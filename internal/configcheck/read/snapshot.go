package read

import (
	"context"
	"fmt"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/replica"
	"github.com/replmon/replmon/internal/server"
)

// readSnapshot reads one server over q: its identity, the audited
// variables (plus extra ones), its replication channels, its replicas and,
// when it writes a binary log, its binary log status and files (and on
// MariaDB its binlog write rate). user is the login name, used to read the
// processlist.
func readSnapshot(ctx context.Context, q query.Runner, addr address.Addr, user string, extra []string) *topology.Snapshot {
	s := &topology.Snapshot{Addr: addr}
	id, err := server.Detect(ctx, q)
	if err != nil {
		s.Err = err
		return s
	}
	s.ID = id
	if s.Vars, err = readVariables(ctx, q, VariableNames(extra)); err != nil {
		s.VarsErr = err
		s.Vars = map[string]string{}
	}
	if ctx.Err() != nil && s.VarsErr != nil {
		s.Err = fmt.Errorf("reading %s: %w", addr, ctx.Err())
		return s
	}
	s.Channels, s.ChannelsStmt, s.ChannelsErr = replica.Read(ctx, q, id)
	s.Replicas = readReplicas(ctx, q, id, user)
	readBinlogs(ctx, q, s)
	if ctx.Err() != nil && (s.ChannelsErr != nil || s.Replicas.Err != nil) {
		// A statement was cut short by the deadline: what was read is partial.
		s.Err = fmt.Errorf("reading %s: %w", addr, ctx.Err())
	}
	return s
}
