package servers

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/gtid"
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
	Hostname        string // @@hostname
	Port            int    // @@port
	UUID            string // MySQL @@server_uuid
	GTIDMode        bool   // MySQL gtid_mode=ON
	BinlogState     gtid.Pos
	StrictMode      bool // MariaDB gtid_strict_mode=ON
	LogBin          bool
	LogSlaveUpdates bool
	Channels        []replica.Channel
	ChannelsErr     error        // why the channels could not be read, if so
	Addr            address.Addr // where it was connected

	pool *pool

	mu      sync.Mutex
	lagging string           // set once a wait failed; later waits only look
	ups     map[string]*Node // the server each channel replicates from, by channel name, once resolved
}

// Key identifies the server: by its server_uuid where it has one (MySQL
// 5.6 and later), else by @@hostname, @@port and server_id together.
// Never by server_id alone: unrelated servers share server_ids (1 is the
// default of many installations).
func (n *Node) Key() string {
	if n.UUID != "" {
		return "uuid " + strings.ToLower(n.UUID)
	}
	return fmt.Sprintf("%s id %d", address.TCP(n.Hostname, n.Port).Key(), n.ServerID)
}

// Same reports whether n and o are one server.
func (n *Node) Same(o *Node) bool { return n == o || n.Key() == o.Key() }

// gtidOrdered reports whether the server's MariaDB GTID position says what
// a replica of it has applied: every domain of its binary log has a single
// originating server, or gtid_strict_mode keeps the sequence numbers of a
// domain rising in its binary log. A position keeps one GTID per domain and
// MASTER_GTID_WAIT compares sequence numbers only, so with two servers
// writing one domain (the seed's masters, which share domain 0) 0-1-N can
// stand for a 0-2-N not applied yet.
func (n *Node) gtidOrdered() bool {
	if n.StrictMode {
		return true
	}
	origin := map[uint32]uint32{}
	for _, g := range n.BinlogState {
		if o, ok := origin[g.Domain]; ok && o != g.Server {
			return false
		}
		origin[g.Domain] = g.Server
	}
	return true
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
	db, err := cfg.Open(ctx, o.Parallel+1) // and one to send KILL QUERY from
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

// Take takes one of the server's sessions for a sequence of statements that
// must run on it alone (a lock, a transaction); Give returns it.
func (n *Node) Take(ctx context.Context) (*sql.Conn, error) { return n.pool.get(ctx) }

// Give returns a session taken with Take; err, when it wraps
// ErrSessionDone or is not a server error, closes it.
func (n *Node) Give(c *sql.Conn, err error) { n.pool.put(c, err) }

// Close releases the server's sessions.
func (n *Node) Close() {
	if n.pool != nil {
		n.pool.close()
	}
}
