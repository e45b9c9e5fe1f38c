// Package address is the one way the plugins name a server: parse a
// "host[:port]" as the user writes it, normalise it, compare two of them
// and print one. --expect-source, --replica, --server, discovery, the
// replication channels' Master_Host/Master_Port and the topology all use
// it, so that two parts of the suite never disagree on whether two
// addresses are the same server.
package address

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// Addr is a server's address: a host (name, IPv4 or IPv6) and a TCP port,
// or a Unix socket.
type Addr struct {
	Host   string // as written, without brackets; "" for a socket
	Port   int    // 1-65535; 0 when not given (see WithDefaultPort)
	Socket string // Unix socket path; "" for TCP
}

// TCP returns the address of host and port.
func TCP(host string, port int) Addr { return Addr{Host: host, Port: port} }

// Unix returns the address of a Unix socket.
func Unix(path string) Addr { return Addr{Socket: path} }

// Parse reads "host", "host:port", "[ipv6]:port", "[ipv6]" or a bare IPv6
// address; without a port, Port is 0. Errors are one sentence:
// `invalid server address "db1:99999": the port must be a number from 1 to 65535`.
func Parse(s string) (Addr, error) {
	fail := func(why string) (Addr, error) {
		return Addr{}, fmt.Errorf("invalid server address %q: %s", s, why)
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
		if !IsIPv6(host) {
			return fail("only an IPv6 address may be written in brackets")
		}
		if rest != "" {
			if rest[0] != ':' {
				return fail("unexpected text after ']'")
			}
			portStr, hasPort = rest[1:], true
		}
	case strings.Count(s, ":") > 1:
		if !IsIPv6(s) {
			return fail("write an IPv6 address with a port as [address]:port")
		}
	case strings.Contains(s, ":"):
		i := strings.IndexByte(s, ':')
		host, portStr, hasPort = s[:i], s[i+1:], true
		if !ValidHostName(host) {
			return fail("the host is not a valid host name or IPv4 address")
		}
	default:
		if !ValidHostName(host) {
			return fail("the host is not a valid host name or IPv4 address")
		}
	}
	a := Addr{Host: host}
	if hasPort {
		p, ok := ParsePort(portStr)
		if !ok {
			return fail("the port must be a number from 1 to 65535")
		}
		a.Port = p
	}
	return a, nil
}

// WithDefaultPort returns a with port p when it has none.
func (a Addr) WithDefaultPort(p int) Addr {
	if a.Socket == "" && a.Port == 0 {
		a.Port = p
	}
	return a
}

// String writes the address for people and messages: "host:port",
// "[ipv6]:port", "unix:/path", or the host alone when it has no port.
func (a Addr) String() string {
	switch {
	case a.Socket != "":
		return "unix:" + a.Socket
	case a.Port == 0 && strings.Contains(a.Host, ":"):
		return "[" + a.Host + "]"
	case a.Port == 0:
		return a.Host
	}
	h := a.Host
	if strings.Contains(h, ":") {
		h = "[" + h + "]"
	}
	return h + ":" + strconv.Itoa(a.Port)
}

// IsZero reports whether a is the zero Addr.
func (a Addr) IsZero() bool { return a == Addr{} }

// Key is the normalised form two addresses of one server share: the host
// in lower case with the loopback names (localhost, localhost.localdomain,
// ::1, 127.0.0.1) folded into 127.0.0.1 and IPv6 written canonically, and
// the port; "unix:/path" for a socket.
func (a Addr) Key() string {
	if a.Socket != "" {
		return "unix:" + a.Socket
	}
	return NormalHost(a.Host) + ":" + strconv.Itoa(a.Port)
}

// Same reports whether a and b name the same server by address.
func (a Addr) Same(b Addr) bool { return a.Key() == b.Key() }

// NormalHost normalises a host name or address for comparison.
func NormalHost(host string) string {
	h := strings.ToLower(strings.Trim(host, "[]"))
	if ip, err := netip.ParseAddr(h); err == nil {
		if ip == netip.IPv6Loopback() || ip == netip.AddrFrom4([4]byte{127, 0, 0, 1}) {
			return "127.0.0.1"
		}
		return ip.String()
	}
	switch h {
	case "localhost", "localhost.localdomain":
		return "127.0.0.1"
	}
	return h
}

// ParsePort accepts only plain decimal digits in the TCP port range.
func ParsePort(s string) (int, bool) {
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

// IsIPv6 reports whether s is an IPv6 address, optionally with a %zone.
func IsIPv6(s string) bool {
	addr, zone, hasZone := strings.Cut(s, "%")
	if hasZone && !validZone(zone) {
		return false
	}
	ip, err := netip.ParseAddr(addr)
	return err == nil && ip.Is6() && strings.Contains(addr, ":")
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

// ValidHostName accepts DNS-style names (letters, digits, '-', '_', '.')
// and IPv4 addresses.
func ValidHostName(h string) bool {
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
