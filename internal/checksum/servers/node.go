package servers

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/mysqlconn"
	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/replica"
	"github.com/replmon/replmon/internal/server"
)

// Node is one server the check talks to: the source, a replica, or an
// intermediate server on a replica's way from the source.
type Node struct {
	Label           string // as the user named it, or host:port for an intermediate
	Source          bool   // the source of the comparison
	ID              server.Identity
	ServerID        uint32
	UUID            string // MySQL @@server_uuid
	GTIDMode        bool   // MySQL gtid_mode=ON
	LogBin          bool
	LogSlaveUpdates bool
	Channels        []replica.Channel
	ChannelsErr     error        // why the channels could not be read, if so
	Addr            address.Addr // where it was connected

	pool *pool

	mu      sync.Mutex
	lagging string // set once a wait failed; later waits only look
}

// ConnectOptions bound how servers are opened.
type ConnectOptions struct {
	Parallel int           // sessions per server
	LockWait time.Duration // lock_wait_timeout of every session
	Deadline time.Time     // end of the run's work
}

// Bound is how long one server may take to connect and answer: a third of
// the time left, at least a second.
func (o ConnectOptions) Bound() time.Duration {
	return max(time.Second, time.Until(o.Deadline)/3)
}

// Connect opens a server, identifies it and reads its replication facts.
// A server that refuses the connection or the login, or does not complete
// it within the connect stage, gives a *mysqlconn.UnreachableError.
func Connect(ctx context.Context, label string, cfg mysqlconn.Config, o ConnectOptions) (*Node, error) {
	db, err := cfg.Open(ctx, o.Parallel)
	if err != nil {
		return nil, err
	}
	n := &Node{Label: label, Addr: cfg.Address()}
	if err := n.identify(ctx, mysqlconn.SQL(db)); err != nil {
		go db.Close()
		return nil, err
	}
	n.pool = newPool(db, o.Parallel, sessionSetup(n.ID, o.LockWait, o.Deadline))
	return n, nil
}

// identify reads the server's identity, replication facts and channels. A
// failure to read the channels is kept in ChannelsErr: the replica is then
// compared without knowing its route.
func (n *Node) identify(ctx context.Context, q query.Runner) error {
	var err error
	if n.ID, err = server.Detect(ctx, q); err != nil {
		return err
	}
	if err := readFacts(ctx, q, n); err != nil {
		return err
	}
	n.Channels, _, n.ChannelsErr = replica.Read(ctx, q, n.ID)
	if n.ChannelsErr != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	return nil
}

// mariaGTIDs reports whether the server keeps MariaDB GTID positions
// usable with MASTER_GTID_WAIT (MariaDB 10.0.9 and later).
func (n *Node) mariaGTIDs() bool {
	return n.ID.Flavor == server.MariaDB && n.ID.Version.AtLeast(10, 0, 9)
}

// mysqlGTIDs reports whether the server runs MySQL GTIDs (gtid_mode=ON).
func (n *Node) mysqlGTIDs() bool {
	return n.ID.Flavor != server.MariaDB && n.GTIDMode
}

// laggingReason returns why an earlier wait failed, or "".
func (n *Node) laggingReason() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.lagging
}

// setLagging records that a wait failed, keeping the first reason.
func (n *Node) setLagging(why string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.lagging == "" {
		n.lagging = why
	}
}

// Where names the server in messages about one table and replica.
func (n *Node) Where() string {
	if n.Source {
		return "the source"
	}
	return n.Label
}

// Describe is the server in one phrase for the long output.
func (n *Node) Describe() string {
	return fmt.Sprintf("%s (%s, server_id %d)", n.Label, n.ID, n.ServerID)
}

// With runs f on one of the server's sessions.
func (n *Node) With(ctx context.Context, f func(s query.Session) error) error {
	return n.pool.with(ctx, f)
}

// Close releases the server's sessions.
func (n *Node) Close() {
	if n.pool != nil {
		n.pool.close()
	}
}
