package mysqlconn

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"time"

	"github.com/go-sql-driver/mysql"
)

// Conn is one connection to a server used through the driver directly,
// without database/sql: for a check that sends a few statements one after
// the other, a pool only adds goroutines, locks and allocations. It keeps
// what the pool would do for such a check: before each statement it checks
// that the idle connection is still alive, and a connection the driver
// reports as bad before the statement was sent is replaced and the statement
// tried again, as often as database/sql would. A Conn is not safe for
// concurrent use.
type Conn struct {
	cfg   Config
	dc    driver.Conn // nil after the connection went bad
	reset bool        // dc was handed out before: check it before the next statement
}

// maxBadConnRetries is how often database/sql retries an operation that
// failed with driver.ErrBadConn on a pooled or new connection, before one
// last try on a new connection.
const maxBadConnRetries = 2

// Connect logs in to the server, bounded by ctx, and returns the
// connection. Errors are those of Open: they name the server and never
// contain the password.
func (c Config) Connect(ctx context.Context) (*Conn, error) {
	conn := &Conn{cfg: c}
	err := retryBadConn(func(bool) error { return conn.open(ctx) })
	if err != nil {
		return nil, c.connectError(err)
	}
	// Just logged in: the first statement needs no liveness check.
	return conn, nil
}

// retryBadConn runs fn until it succeeds or fails with another error than
// driver.ErrBadConn, at most maxBadConnRetries+1 times; last is true on the
// final try, which must use a new connection.
func retryBadConn(fn func(last bool) error) error {
	var err error
	for i := 0; i <= maxBadConnRetries; i++ {
		err = fn(i == maxBadConnRetries)
		if err == nil || !errors.Is(err, driver.ErrBadConn) {
			return err
		}
	}
	return err
}

// open makes a new connection, as the pool does when it has none idle,
// with driver settings of its own (the driver changes them on a fallback to
// plain text) and its dial bounded by ctx, as boundDial bounds a pool's.
func (c *Conn) open(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	mc := c.cfg.plainDriverConfig()
	if err := boundDial(ctx, mc); err != nil {
		return err
	}
	connector, err := mysql.NewConnector(mc)
	if err != nil {
		return err
	}
	dc, err := connector.Connect(ctx)
	if err != nil {
		return err
	}
	c.dc, c.reset = dc, false
	return nil
}

// drop closes a connection that went bad.
func (c *Conn) drop() {
	if c.dc != nil {
		_ = c.dc.Close()
		c.dc = nil
	}
}

// Close says goodbye to the server and closes the connection.
func (c *Conn) Close() error {
	if c.dc == nil {
		return nil
	}
	err := c.dc.Close()
	c.dc = nil
	return err
}

// rows starts stmt on a live connection and returns its result.
func (c *Conn) rows(ctx context.Context, stmt string) (driver.Rows, error) {
	var rows driver.Rows
	err := retryBadConn(func(last bool) error {
		if last {
			c.drop()
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if c.dc == nil {
			if err := c.open(ctx); err != nil {
				return err
			}
		} else if r, ok := c.dc.(driver.SessionResetter); ok && c.reset {
			// The pool checks a connection it hands out again: the
			// driver's liveness check of an idle connection.
			if err := r.ResetSession(ctx); err != nil {
				c.drop()
				return err
			}
		}
		c.reset = false
		q, ok := c.dc.(driver.QueryerContext)
		if !ok {
			return fmt.Errorf("driver connection %T cannot run queries", c.dc)
		}
		var err error
		rows, err = q.QueryContext(ctx, stmt, nil)
		if errors.Is(err, driver.ErrBadConn) {
			c.drop()
		}
		return err
	})
	return rows, err
}

// release is what the pool does with a connection whose result was read.
func (c *Conn) release(err error) {
	if errors.Is(err, driver.ErrBadConn) {
		c.drop()
		return
	}
	if v, ok := c.dc.(driver.Validator); ok && !v.IsValid() {
		c.drop()
		return
	}
	c.reset = true
}

// QueryText runs stmt and returns its column names and every row, each
// value as text or nil for NULL, converted as database/sql converts a value
// scanned into a sql.NullString.
func (c *Conn) QueryText(ctx context.Context, stmt string) (columns []string, values [][]*string, err error) {
	rows, err := c.rows(ctx, stmt)
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		cerr := rows.Close()
		if err == nil {
			err = cerr
		}
		c.release(err)
	}()
	columns = rows.Columns()
	dest := make([]driver.Value, len(columns))
	for {
		if err := rows.Next(dest); err == io.EOF {
			break
		} else if err != nil {
			return nil, nil, err
		}
		row := make([]*string, len(dest))
		for i, v := range dest {
			if v == nil {
				continue
			}
			s, err := asText(v)
			if err != nil {
				return nil, nil, fmt.Errorf("sql: Scan error on column index %d, name %q: %w", i, columns[i], err)
			}
			row[i] = &s
		}
		values = append(values, row)
	}
	return columns, values, nil
}

// asText converts one non-NULL value from the driver to text as
// database/sql's convertAssign does for a *string destination.
func asText(v driver.Value) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case []byte:
		return string(v), nil
	case time.Time:
		return v.Format(time.RFC3339Nano), nil
	case int64:
		return strconv.FormatInt(v, 10), nil
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64), nil
	case bool:
		return strconv.FormatBool(v), nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(rv.Uint(), 10), nil
	case reflect.Float64:
		return strconv.FormatFloat(rv.Float(), 'g', -1, 64), nil
	case reflect.Float32:
		return strconv.FormatFloat(rv.Float(), 'g', -1, 32), nil
	case reflect.Bool:
		return strconv.FormatBool(rv.Bool()), nil
	}
	return "", fmt.Errorf("unsupported Scan, storing driver.Value type %T into type *string", v)
}
