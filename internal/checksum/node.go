package checksum

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/mysqlconn"
	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/replica"
	"github.com/replmon/replmon/internal/server"
)

// node is one server the check talks to: the source, a replica, or an
// intermediate server on a replica's way from the source.
type node struct {
	Label           string // as the user named it, or host:port for an intermediate
	Source          bool   // the source of the comparison
	ID              server.Identity
	ServerID        uint32
	UUID            string // MySQL @@server_uuid
	GTIDMode        bool   // MySQL gtid_mode=ON
	LogBin          bool
	LogSlaveUpdates bool
	Channels        []replica.Channel
	ChannelsErr     error // why the channels could not be read, if so

	Addr address.Addr // where it was connected
	pool *pool

	mu      sync.Mutex
	lagging string // set once a wait failed; later waits only look
}

// connectOptions bound how servers are opened.
type connectOptions struct {
	Parallel int           // sessions per server
	LockWait time.Duration // lock_wait_timeout of every session
	Deadline time.Time     // end of the run's work
}

// connect opens a server, identifies it and reads its replication facts.
func connect(ctx context.Context, label string, cfg mysqlconn.Config, o connectOptions) (*node, error) {
	db, err := cfg.Open(ctx, o.Parallel)
	if err != nil {
		return nil, unreachableError{err}
	}
	n := &node{Label: label, Addr: cfg.Address()}
	if err := n.identify(ctx, mysqlconn.SQL(db)); err != nil {
		go db.Close()
		return nil, err
	}
	n.pool = newPool(db, o.Parallel, sessionSetup(n.ID, o.LockWait, o.Deadline))
	return n, nil
}

// unreachableError is a server that refused or failed the connection or
// the login, as opposed to one that answered and then failed a statement.
type unreachableError struct{ err error }

func (e unreachableError) Error() string { return e.err.Error() }
func (e unreachableError) Unwrap() error { return e.err }

// identify reads the server's identity, replication facts and channels. A
// failure to read the channels is kept in ChannelsErr: the replica is then
// compared without knowing its route.
func (n *node) identify(ctx context.Context, q query.Runner) error {
	var err error
	if n.ID, err = server.Detect(ctx, q); err != nil {
		return err
	}
	if err := n.readFacts(ctx, q); err != nil {
		return err
	}
	n.Channels, _, n.ChannelsErr = replica.Read(ctx, q, n.ID)
	if n.ChannelsErr != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	return nil
}

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

// readFacts runs factsQuery.
func (n *node) readFacts(ctx context.Context, q query.Runner) error {
	stmt := factsQuery(n.ID)
	res, err := q.Query(ctx, stmt)
	if err != nil {
		return fmt.Errorf("%s: %w", stmt, query.Explain(err))
	}
	if len(res.Rows) != 1 {
		return fmt.Errorf("%s: no row", stmt)
	}
	return n.setFacts(res)
}

// setFacts reads the one row of factsQuery's answer.
func (n *node) setFacts(res *query.Result) error {
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

// mariaGTIDs reports whether the server keeps MariaDB GTID positions
// usable with MASTER_GTID_WAIT (MariaDB 10.0.9 and later).
func (n *node) mariaGTIDs() bool {
	return n.ID.Flavor == server.MariaDB && n.ID.Version.AtLeast(10, 0, 9)
}

// mysqlGTIDs reports whether the server runs MySQL GTIDs (gtid_mode=ON).
func (n *node) mysqlGTIDs() bool {
	return n.ID.Flavor != server.MariaDB && n.GTIDMode
}

// laggingReason returns why an earlier wait failed, or "".
func (n *node) laggingReason() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.lagging
}

// setLagging records that a wait failed, keeping the first reason.
func (n *node) setLagging(why string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.lagging == "" {
		n.lagging = why
	}
}

// where names the server in messages about one table and replica.
func (n *node) where() string {
	if n.Source {
		return "the source"
	}
	return n.Label
}

// describe is the server in one phrase for the long output.
func (n *node) describe() string {
	return fmt.Sprintf("%s (%s, server_id %d)", n.Label, n.ID, n.ServerID)
}

// close releases the server's sessions.
func (n *node) close() {
	if n.pool != nil {
		n.pool.close()
	}
}
