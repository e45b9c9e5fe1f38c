package mysqlconn

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
)

// Open returns a pool of at most maxConns connections to the server and
// checks that it accepts them: one connection is made and logged in, then
// kept in the pool for the first statement. Connecting is the connect
// stage of ctx (ConnectStage): a server that refuses the connection or the
// login, or has not completed the handshake by the end of the stage, is
// unreachable, and the error is an *UnreachableError. Errors name the
// server and never contain the password.
func (c Config) Open(ctx context.Context, maxConns int) (*sql.DB, error) {
	if maxConns < 1 {
		maxConns = 1
	}
	connector, err := mysql.NewConnector(c.driverConfig())
	if err != nil {
		return nil, c.connectError(err)
	}
	db := sql.OpenDB(connector)
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	stage, cancel := ConnectStage(ctx)
	defer cancel()
	start := time.Now()
	// A completed login already proves the server accepts the account; a
	// ping on top of it would cost every check one more round trip.
	conn, err := db.Conn(stage)
	if err != nil {
		_ = db.Close()
		if stage.Err() != nil && ctx.Err() == nil {
			err = fmt.Errorf("no answer within %s", time.Since(start).Round(10*time.Millisecond))
		}
		return nil, &UnreachableError{c.connectError(err)}
	}
	_ = conn.Close() // back to the pool, logged in
	return db, nil
}

// ConnectStage returns the part of ctx's time that connecting may take:
// all of it but a tenth (at least 150ms, at most half), kept to report a
// server that did not answer instead of running out of -t.
func ConnectStage(ctx context.Context) (context.Context, context.CancelFunc) {
	deadline, ok := ctx.Deadline()
	if !ok {
		return context.WithCancel(ctx)
	}
	left := time.Until(deadline)
	keep := min(max(left/10, 150*time.Millisecond), left/2)
	return context.WithDeadline(ctx, deadline.Add(-keep))
}

// UnreachableError is a server that refused the connection or the login,
// or did not complete the handshake within the connect stage: an outage,
// judged by --unreachable, as opposed to a server that answered and then
// failed a statement.
type UnreachableError struct{ Err error }

func (e *UnreachableError) Error() string { return e.Err.Error() }
func (e *UnreachableError) Unwrap() error { return e.Err }

// connectError describes a failed connection in one sentence, naming the
// option files that were not used (their user, password or socket may be
// what is missing). Neither c's description nor the driver's errors hold
// the password.
func (c Config) connectError(err error) error {
	err = fmt.Errorf("cannot connect to %s: %w", c, ServerError(err))
	if len(c.SkippedFiles) > 0 {
		err = &skippedError{err: err, skipped: c.SkippedFiles}
	}
	return err
}

// skippedError is a failed connection with the option files not used.
type skippedError struct {
	err     error
	skipped []string
}

func (e *skippedError) Error() string {
	what := "option file not used: "
	if len(e.skipped) > 1 {
		what = "option files not used: "
	}
	return e.err.Error() + " (" + what + strings.Join(e.skipped, "; ") + ")"
}

func (e *skippedError) Unwrap() error { return e.err }

// driverConfig builds the driver settings for c, for a pool.
func (c Config) driverConfig() *mysql.Config {
	mc := mysql.NewConfig()
	mc.User = c.User
	mc.Passwd = c.password
	if c.Socket != "" {
		mc.Net, mc.Addr = "unix", c.Socket
	} else {
		mc.Net, mc.Addr = "tcp", c.Addr()
	}
	mc.TLS, mc.AllowFallbackToPlaintext = c.tlsConfig()
	mc.AllowNativePasswords = true
	mc.AllowCleartextPasswords = false
	mc.InterpolateParams = false
	mc.ParseTime = false
	mc.MultiStatements = false
	mc.Logger = &mysql.NopLogger{} // failures come back as errors
	// With a BeforeConnect hook the driver works on a copy of mc for each
	// connection, so the TLS fallback of one cannot race with another, and
	// each dial is bounded by the deadline of the context that asks for it.
	_ = mc.Apply(mysql.BeforeConnect(boundDial))
	return mc
}

// boundDial sets the dial timeout of one connection from its context.
func boundDial(ctx context.Context, mc *mysql.Config) error {
	if deadline, ok := ctx.Deadline(); ok {
		d := time.Until(deadline)
		if d <= 0 {
			return context.DeadlineExceeded
		}
		mc.Timeout = d
	}
	return nil
}

// tlsConfig returns the TLS settings for c's mode, and whether the driver
// may fall back to plain text when the server offers no TLS.
func (c Config) tlsConfig() (*tls.Config, bool) {
	switch c.SSLMode {
	case SSLPreferred:
		if c.Socket != "" {
			return nil, false // as the mysql client, no TLS over a local socket
		}
		return &tls.Config{InsecureSkipVerify: true, Certificates: c.certs}, true
	case SSLRequired:
		return &tls.Config{InsecureSkipVerify: true, Certificates: c.certs}, false
	case SSLVerifyCA:
		roots := c.roots
		return &tls.Config{
			// The chain is verified below, without the host name.
			InsecureSkipVerify: true,
			Certificates:       c.certs,
			VerifyConnection: func(cs tls.ConnectionState) error {
				return verifyChain(cs.PeerCertificates, roots)
			},
		}, false
	case SSLVerifyIdentity:
		return &tls.Config{ServerName: c.Host, RootCAs: c.roots, Certificates: c.certs}, false
	}
	return nil, false
}

// verifyChain checks that the server certificate chains to roots.
func verifyChain(certs []*x509.Certificate, roots *x509.CertPool) error {
	if len(certs) == 0 {
		return errors.New("server sent no certificate")
	}
	inter := x509.NewCertPool()
	for _, cert := range certs[1:] {
		inter.AddCert(cert)
	}
	_, err := certs[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter})
	return err
}
