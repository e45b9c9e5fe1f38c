// Package mysqlconn turns the shared connection flags and the MySQL option
// files into a connection to one server.
package mysqlconn

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
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

	password string
	roots    *x509.CertPool    // loaded from SSLCA for the verifying modes
	certs    []tls.Certificate // loaded from SSLCert and SSLKey
}

// Addr returns the server address for messages: "host:port" or "unix:/path".
func (c Config) Addr() string {
	if c.Socket != "" {
		return "unix:" + c.Socket
	}
	return net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
}

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

// WithAddr returns a copy of c for another server reached over TCP, with the
// same credentials and TLS settings. hostport is "host", "host:port",
// "[ipv6]:port" or a bare IPv6 address; without a port c.Port is kept.
func (c Config) WithAddr(hostport string) (Config, error) {
	host, port, err := parseHostPort(hostport, c.Port)
	if err != nil {
		return Config{}, err
	}
	c.Host, c.Port, c.Socket = host, port, ""
	c.Warnings = nil
	return c, nil
}

// ParseHostPort splits a server address written as WithAddr accepts it;
// defPort is used when it has no port.
func ParseHostPort(s string, defPort int) (host string, port int, err error) {
	return parseHostPort(s, defPort)
}

// parseHostPort splits a server address; defPort is used when it has no port.
func parseHostPort(s string, defPort int) (string, int, error) {
	fail := func(why string) (string, int, error) {
		return "", 0, fmt.Errorf("invalid server address %q: %s", s, why)
	}
	if s == "" {
		return fail("it is empty")
	}
	host, portStr, hasPort := s, "", false
	switch {
	case strings.HasPrefix(s, "["):
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return fail("missing ']'")
		}
		host = s[1:end]
		rest := s[end+1:]
		if !isIPv6(host) {
			return fail("only an IPv6 address may be written in brackets")
		}
		if rest != "" {
			if rest[0] != ':' {
				return fail("unexpected text after ']'")
			}
			portStr, hasPort = rest[1:], true
		}
	case strings.Count(s, ":") > 1:
		if !isIPv6(s) {
			return fail("write an IPv6 address with a port as [address]:port")
		}
	case strings.Contains(s, ":"):
		i := strings.IndexByte(s, ':')
		host, portStr, hasPort = s[:i], s[i+1:], true
		if !validHostName(host) {
			return fail("the host is not a valid host name or IPv4 address")
		}
	default:
		if !validHostName(host) {
			return fail("the host is not a valid host name or IPv4 address")
		}
	}
	port := defPort
	if hasPort {
		p, ok := parsePort(portStr)
		if !ok {
			return fail("the port must be a number from 1 to 65535")
		}
		port = p
	}
	return host, port, nil
}

// parsePort accepts only plain decimal digits in the TCP port range.
func parsePort(s string) (int, bool) {
	if s == "" || len(s) > 5 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	p, err := strconv.Atoi(s)
	return p, err == nil && p >= 1 && p <= 65535
}

// isIPv6 reports whether s is an IPv6 address, optionally with a %zone.
func isIPv6(s string) bool {
	addr, zone, hasZone := strings.Cut(s, "%")
	if hasZone && !validZone(zone) {
		return false
	}
	ip := net.ParseIP(addr)
	return ip != nil && strings.Contains(addr, ":")
}

func validZone(z string) bool {
	if z == "" {
		return false
	}
	for i := 0; i < len(z); i++ {
		c := z[i]
		if !(isAlnum(c) || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// validHostName accepts DNS-style names (letters, digits, '-', '_', '.')
// and IPv4 addresses.
func validHostName(h string) bool {
	if h == "" || len(h) > 253 || h[0] == '.' || h[0] == '-' {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !(isAlnum(c) || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return !strings.Contains(h, "..")
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}
