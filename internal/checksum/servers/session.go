package servers

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/mysqlconn"
	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/server"
)

// pool hands out at most n read-only sessions to one server. Each session
// is set up once when it is opened (read-only, known sql_mode, bounded lock
// waits), so a statement never runs on a session that could write.
type pool struct {
	db    *sql.DB
	setup []string // statements run on each new session
	idle  chan *sql.Conn
	slots chan struct{} // one token per open or opening session

	mu  sync.Mutex
	ids map[*sql.Conn]string // CONNECTION_ID() of each session, for KILL QUERY
}

// newPool wraps db, whose own pool must allow n+1 connections: n sessions
// and one to send KILL QUERY from.
func newPool(db *sql.DB, n int, setup []string) *pool {
	return &pool{db: db, setup: setup, idle: make(chan *sql.Conn, n), slots: make(chan struct{}, n), ids: map[*sql.Conn]string{}}
}

// sessionSetup returns the statements that make a session read-only and
// predictable on a server of identity id. deadline bounds statements on
// MariaDB (max_statement_time) and MySQL (max_execution_time, SELECT only).
func sessionSetup(id server.Identity, lockWait time.Duration, deadline time.Time) []string {
	stmts := []string{
		// Empty sql_mode: backslash escapes, backtick identifiers and CHAR
		// values without padding on every server alike.
		"SET SESSION sql_mode = ''",
		// TIMESTAMP values, and the chunk boundaries read from them, in
		// UTC on every server whatever its time_zone: the rows method
		// hashes their text.
		"SET SESSION time_zone = '+00:00'",
		fmt.Sprintf("SET SESSION lock_wait_timeout = %d", max(1, int(math.Ceil(lockWait.Seconds())))),
	}
	remaining := time.Until(deadline)
	switch {
	case id.Flavor == server.MariaDB && id.Version.AtLeast(10, 1, 1):
		if remaining > 0 {
			stmts = append(stmts, fmt.Sprintf("SET SESSION max_statement_time = %.3f", remaining.Seconds()))
		}
	case id.Flavor != server.MariaDB && id.Version.AtLeast(5, 7, 8):
		if remaining > 0 {
			stmts = append(stmts, fmt.Sprintf("SET SESSION max_execution_time = %d", remaining.Milliseconds()))
		}
	}
	if id.Flavor == server.MariaDB || id.Version.AtLeast(5, 6, 5) {
		stmts = append(stmts, "SET SESSION TRANSACTION READ ONLY")
	}
	return stmts
}

// get returns an idle session or opens one, waiting while n are in use.
func (p *pool) get(ctx context.Context) (*sql.Conn, error) {
	select {
	case c := <-p.idle:
		return c, nil
	default:
	}
	select {
	case c := <-p.idle:
		return c, nil
	case p.slots <- struct{}{}:
		c, err := p.open(ctx)
		if err != nil {
			<-p.slots
			return nil, err
		}
		return c, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (p *pool) open(ctx context.Context) (*sql.Conn, error) {
	c, err := p.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	for _, s := range p.setup {
		if err := mysqlconn.SQL(c).Exec(ctx, s); err != nil {
			c.Close()
			return nil, fmt.Errorf("%s: %w", s, query.Explain(err))
		}
	}
	res, err := mysqlconn.SQL(c).Query(ctx, "SELECT CONNECTION_ID()")
	if err != nil || len(res.Rows) != 1 {
		c.Close()
		return nil, fmt.Errorf("SELECT CONNECTION_ID(): %w", query.Explain(err))
	}
	p.mu.Lock()
	p.ids[c] = res.Text(0, 0)
	p.mu.Unlock()
	return c, nil
}

// killWait bounds KILL QUERY, sent after the run's deadline.
const killWait = 500 * time.Millisecond

// kill ends the statement running on session c with KILL QUERY from
// another connection of the same account (any account may end its own
// statements): closing a connection does not stop its statement, and
// MySQL bounds neither CHECKSUM TABLE nor, before 5.7.8, any statement.
func (p *pool) kill(c *sql.Conn) {
	p.mu.Lock()
	id := p.ids[c]
	p.mu.Unlock()
	if id == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), killWait)
	defer cancel()
	k, err := p.db.Conn(ctx)
	if err != nil {
		return
	}
	defer k.Close()
	_ = mysqlconn.SQL(k).Exec(ctx, "KILL QUERY "+id)
}

// put returns a session; one that failed for another reason than a
// server error is closed, as the driver may have dropped it.
func (p *pool) put(c *sql.Conn, err error) {
	_, serverError := query.Number(err)
	keep := err == nil || serverError || errors.Is(err, judge.ErrMissing)
	if !keep || errors.Is(err, driver.ErrBadConn) || errors.Is(err, ErrSessionDone) {
		_ = c.Raw(func(any) error { return driver.ErrBadConn })
		c.Close()
		p.mu.Lock()
		delete(p.ids, c)
		p.mu.Unlock()
		<-p.slots
		return
	}
	p.idle <- c
}

// ErrSessionDone marks a session that must be closed, not reused: give it
// back with an error wrapping it.
var ErrSessionDone = errors.New("session closed")

// Exec runs f on one session of a server: a pool's (Node.With), or the one
// holding a table lock (TableLock.With).
type Exec func(ctx context.Context, f func(s query.Session) error) error

// with runs f on a session.
func (p *pool) with(ctx context.Context, f func(s query.Session) error) error {
	c, err := p.get(ctx)
	if err != nil {
		return err
	}
	// A statement still running when ctx ends is killed on the server.
	done := make(chan struct{})
	killed := make(chan bool, 1)
	go func() {
		select {
		case <-done:
			killed <- false
		case <-ctx.Done():
			p.kill(c)
			killed <- true
		}
	}()
	err = f(mysqlconn.SQL(c))
	close(done)
	if <-killed {
		// KILL QUERY may have reached the session between statements,
		// where it would end the next one: the session is not reused.
		p.put(c, fmt.Errorf("statement killed: %w", ErrSessionDone))
		return err
	}
	p.put(c, err)
	return err
}

// close closes every idle session (with COM_QUIT, so the server does not
// count an aborted connection) and the pool, waiting at most a moment for
// sessions still busy: their statements end with the run's context.
func (p *pool) close() {
	for {
		select {
		case c := <-p.idle:
			c.Close()
			continue
		default:
		}
		break
	}
	done := make(chan struct{})
	go func() {
		p.db.Close()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(200 * time.Millisecond):
	}
}
