// Package mysqlconn turns the shared connection flags and the MySQL option
// files into a connection to one server.
package mysqlconn

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/replmon/replmon/internal/address"
)

// SSLMode is how a connection uses TLS, as the mysql client's --ssl-mode.
type SSLMode int

// The TLS modes, weakest first.
const (
	SSLDisabled       SSLMode = iota // no TLS
	SSLPreferred                     // TLS if the server offers it, without verification
	SSLRequired                      // TLS, without verification
	SSLVerifyCA                      // TLS, certificate chain verified, host name not
	SSLVerifyIdentity                // TLS, certificate chain and host name verified
)

var sslModeNames = []string{"DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY"}

// ParseSSLMode parses an --ssl-mode value, ignoring case.
func ParseSSLMode(s string) (SSLMode, error) {
	for i, name := range sslModeNames {
		if strings.EqualFold(s, name) {
			return SSLMode(i), nil
		}
	}
	return 0, fmt.Errorf("ssl-mode %q is not one of %s", s, strings.Join(sslModeNames, ", "))
}

// String returns the --ssl-mode spelling of m.
func (m SSLMode) String() string {
	if m < 0 || int(m) >= len(sslModeNames) {
		return "SSLMode(" + strconv.Itoa(int(m)) + ")"
	}
	return sslModeNames[m]
}

// description is the mode as shown in Config.String.
func (m SSLMode) description() string {
	return strings.ReplaceAll(strings.ToLower(m.String()), "_", " ")
}

// Config is everything needed to connect to one server. Printing it in any
// form never shows the password.
type Config struct {
	Host    string  // server host name or IP address; "localhost" for a socket connection
	Port    int     // server TCP port
	Socket  string  // Unix socket path; non-empty means a socket connection
	User    string  // account name
	SSLMode SSLMode // how TLS is used
	SSLCA   string  // PEM file of trusted CA certificates, if any
	SSLCert string  // PEM file of the client certificate, if any
	SSLKey  string  // PEM file of the client key, if any

	// Warnings are the problems Resolve noticed without failing, one
	// sentence each, for stderr; WithAddr does not copy them.
	Warnings []string
	// OptionFiles are the option files read, for -v; SkippedFiles those not
	// used, each "path: why", which a failed connection names.
	OptionFiles, SkippedFiles []string

	password string
	roots    *x509.CertPool    // loaded from SSLCA for the verifying modes
	certs    []tls.Certificate // loaded from SSLCert and SSLKey
}

// Addr returns the server address for messages: "host:port" or "unix:/path".
func (c Config) Addr() string { return c.Address().String() }

// String describes the connection without the password, e.g.
// "monitor@127.0.0.1:3306 (TLS preferred)".
func (c Config) String() string {
	user := ""
	if c.User != "" {
		user = c.User + "@"
	}
	return fmt.Sprintf("%s%s (TLS %s)", user, c.Addr(), c.SSLMode.description())
}

// Format prints c as String does for every verb, so that no verb shows the
// password field.
func (c Config) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", c.String())
		return
	}
	_, _ = io.WriteString(f, c.String())
}

// Address returns the server's address.
func (c Config) Address() address.Addr {
	if c.Socket != "" {
		return address.Unix(c.Socket)
	}
	return address.TCP(c.Host, c.Port)
}

// WithAddr returns a copy of c for another server reached over TCP, with the
// same credentials and TLS settings; an address without a port keeps c's.
func (c Config) WithAddr(a address.Addr) Config {
	a = a.WithDefaultPort(c.Port)
	c.Host, c.Port, c.Socket = a.Host, a.Port, ""
	if a.Socket != "" {
		c.Host, c.Socket = "localhost", a.Socket
	}
	c.Warnings = nil
	return c
}
