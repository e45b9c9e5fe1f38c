package chunks

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/checksum/plan"
	"github.com/replmon/replmon/internal/checksum/servers"
	"github.com/replmon/replmon/internal/mysqlconn"
	"github.com/replmon/replmon/internal/query"
)

// Server error numbers interpreted here.
const (
	errNoSuchTable     = 1146 // ER_NO_SUCH_TABLE
	errLockWaitTimeout = 1205 // ER_LOCK_WAIT_TIMEOUT
	errDBAccess        = 1044 // ER_DBACCESS_DENIED_ERROR
	errTableAccess     = 1142 // ER_TABLEACCESS_DENIED_ERROR
)

// TableLock is a source session holding LOCK TABLES ... READ on one table
// (--lock: writers of the table stall while it is compared), or a locking
// read of one chunk in a transaction (--lock-chunk, LockRange).
type TableLock struct {
	src    *servers.Node
	mu     sync.Mutex
	conn   *sql.Conn
	unlock string // the statement that ends the lock
}

// LockRefusedError is LOCK TABLES refused for want of the privilege: every
// further table would be refused alike.
type LockRefusedError struct{ msg string }

// Error names the privilege, the grant that gives it and the server's refusal.
func (e *LockRefusedError) Error() string { return e.msg }

// LockTable takes LOCK TABLES t READ on a session of the source src,
// waiting at most lockWait (the session's lock_wait_timeout). A table that
// does not exist gives judge.ErrMissing, a missing privilege a
// *LockRefusedError.
func LockTable(ctx context.Context, src *servers.Node, t plan.TableName, lockWait time.Duration) (*TableLock, error) {
	conn, err := src.Take(ctx)
	if err != nil {
		return nil, err
	}
	err = mysqlconn.SQL(conn).Exec(ctx, "LOCK TABLES "+plan.QuoteTable(t)+" READ")
	if err != nil {
		src.Give(conn, err)
		switch {
		case query.IsError(err, errNoSuchTable):
			return nil, fmt.Errorf("%s on %s: %w", t, src.Label, judge.ErrMissing)
		case query.IsError(err, errDBAccess, errTableAccess):
			var me *query.ServerError
			errors.As(err, &me)
			return nil, &LockRefusedError{fmt.Sprintf("--lock needs the LOCK TABLES privilege on the source %s (GRANT LOCK TABLES ON %s.* TO the monitoring account): "+
				"LOCK TABLES %s READ was refused with error %d: %s", src.Label, plan.QuoteIdent(t.Schema), plan.QuoteTable(t), me.Number, me.Message)}
		case query.IsError(err, errLockWaitTimeout):
			return nil, fmt.Errorf("--lock: could not lock %s on the source within --lock-wait-timeout %s", t, judge.Seconds(lockWait))
		}
		return nil, fmt.Errorf("--lock: LOCK TABLES %s READ on the source: %w", t, query.Explain(err))
	}
	return &TableLock{src: src, conn: conn, unlock: "UNLOCK TABLES"}, nil
}

// With runs f on the locked session, one statement sequence at a time.
func (l *TableLock) With(ctx context.Context, f func(s query.Session) error) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return f(mysqlconn.SQL(l.conn))
}

// Release ends the lock (UNLOCK TABLES, or ROLLBACK of a locking read's
// transaction) and returns the session; a session that cannot end it is
// closed, which releases the lock.
func (l *TableLock) Release() {
	l.mu.Lock()
	defer l.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := mysqlconn.SQL(l.conn).Exec(ctx, l.unlock); err != nil {
		l.src.Give(l.conn, fmt.Errorf("%s: %w", l.unlock, servers.ErrSessionDone))
		return
	}
	l.src.Give(l.conn, nil)
}

// LockRange starts a transaction on a session of the source src and runs
// lockQuery, a locking read (SELECT ... LOCK IN SHARE MODE), in it
// (--lock-chunk): the rows it reads, and the gaps between them, cannot
// change until Release. The session is read-only: the transaction writes
// nothing.
func LockRange(ctx context.Context, src *servers.Node, lockQuery string) (*TableLock, error) {
	conn, err := src.Take(ctx)
	if err != nil {
		return nil, err
	}
	q := mysqlconn.SQL(conn)
	if err = q.Exec(ctx, "START TRANSACTION"); err == nil {
		_, err = q.Query(ctx, lockQuery)
	}
	if err != nil {
		_ = q.Exec(context.WithoutCancel(ctx), "ROLLBACK")
		src.Give(conn, err)
		return nil, fmt.Errorf("the locking read on the source was refused: %w", query.Explain(err))
	}
	return &TableLock{src: src, conn: conn, unlock: "ROLLBACK"}, nil
}
