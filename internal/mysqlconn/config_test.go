package mysqlconn

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

const secret = "Pa55-w0rd!x"

func baseConfig() Config {
	return Config{Host: "localhost", Port: 3307, Socket: "/run/mysqld/mysqld.sock", User: "monitor",
		SSLMode: SSLRequired, password: secret, Warnings: []string{"w"}}
}

func TestWithAddr(t *testing.T) {
	tests := []struct {
		in       string
		host     string
		port     int
		errorMsg string
	}{
		{in: "db1", host: "db1", port: 3307},
		{in: "db1.example.com:3306", host: "db1.example.com", port: 3306},
		{in: "10.0.0.5:65535", host: "10.0.0.5", port: 65535},
		{in: "my_host-2", host: "my_host-2", port: 3307},
		{in: "localhost", host: "localhost", port: 3307},
		{in: "[::1]:3310", host: "::1", port: 3310},
		{in: "[fe80::1%eth0]:3310", host: "fe80::1%eth0", port: 3310},
		{in: "[2001:db8::7]", host: "2001:db8::7", port: 3307},
		{in: "2001:db8::7", host: "2001:db8::7", port: 3307},
		{in: "", errorMsg: `invalid server address "": it is empty`},
		{in: "db1:", errorMsg: "the port must be a number from 1 to 65535"},
		{in: "db1:0", errorMsg: "the port must be a number from 1 to 65535"},
		{in: "db1:65536", errorMsg: "the port must be a number from 1 to 65535"},
		{in: "db1:+33", errorMsg: "the port must be a number from 1 to 65535"},
		{in: "db1:-1", errorMsg: "the port must be a number from 1 to 65535"},
		{in: "db1:33o6", errorMsg: "the port must be a number from 1 to 65535"},
		{in: ":3306", errorMsg: "not a valid host name"},
		{in: "db 1", errorMsg: "not a valid host name"},
		{in: "user@db1", errorMsg: "not a valid host name"},
		{in: "db1/x", errorMsg: "not a valid host name"},
		{in: "db1..example", errorMsg: "not a valid host name"},
		{in: "-db1", errorMsg: "not a valid host name"},
		{in: "[::1", errorMsg: "missing ']'"},
		{in: "[db1]:3306", errorMsg: "only an IPv6 address may be written in brackets"},
		{in: "[10.0.0.1]:3306", errorMsg: "only an IPv6 address may be written in brackets"},
		{in: "[::1]3306", errorMsg: "unexpected text after ']'"},
		{in: "::1:3306:x", errorMsg: "write an IPv6 address with a port as [address]:port"},
		{in: "[fe80::1%]:1", errorMsg: "only an IPv6 address"},
	}
	base := baseConfig()
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := base.WithAddr(tt.in)
			if tt.errorMsg != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errorMsg) {
					t.Fatalf("got %v, %v; want error containing %q", got, err, tt.errorMsg)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got.Host != tt.host || got.Port != tt.port || got.Socket != "" {
				t.Fatalf("got host %q port %d socket %q, want %q %d over TCP", got.Host, got.Port, got.Socket, tt.host, tt.port)
			}
			if got.User != base.User || got.password != base.password || got.SSLMode != base.SSLMode || got.Warnings != nil {
				t.Fatalf("credentials or TLS not copied, or warnings kept: %+v", got)
			}
		})
	}
}

func TestAddrAndString(t *testing.T) {
	tests := []struct {
		c         Config
		addr, str string
	}{
		{Config{Host: "127.0.0.1", Port: 3306, User: "monitor", SSLMode: SSLPreferred},
			"127.0.0.1:3306", "monitor@127.0.0.1:3306 (TLS preferred)"},
		{Config{Host: "::1", Port: 3307, User: "monitor", SSLMode: SSLVerifyIdentity},
			"[::1]:3307", "monitor@[::1]:3307 (TLS verify identity)"},
		{Config{Host: "localhost", Port: 3306, Socket: "/run/mysqld/mysqld.sock", User: "nagios", SSLMode: SSLDisabled},
			"unix:/run/mysqld/mysqld.sock", "nagios@unix:/run/mysqld/mysqld.sock (TLS disabled)"},
		{Config{Host: "db1", Port: 3306, SSLMode: SSLVerifyCA},
			"db1:3306", "db1:3306 (TLS verify ca)"},
	}
	for _, tt := range tests {
		if got := tt.c.Addr(); got != tt.addr {
			t.Errorf("Addr() = %q, want %q", got, tt.addr)
		}
		if got := tt.c.String(); got != tt.str {
			t.Errorf("String() = %q, want %q", got, tt.str)
		}
	}
}

func TestSSLModeNames(t *testing.T) {
	for m := SSLDisabled; m <= SSLVerifyIdentity; m++ {
		got, err := ParseSSLMode(strings.ToLower(m.String()))
		if err != nil || got != m {
			t.Errorf("ParseSSLMode(%q) = %v, %v", strings.ToLower(m.String()), got, err)
		}
	}
	if _, err := ParseSSLMode("VERIFY-CA"); err == nil {
		t.Error("ParseSSLMode accepted VERIFY-CA")
	}
}

func TestConfigNeverPrintsPassword(t *testing.T) {
	c := baseConfig()
	c.certs = nil
	formats := []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T %v", "%60v", "%-10s"}
	for _, f := range formats {
		for _, arg := range []any{c, &c, []Config{c}, map[string]Config{"a": c}, struct{ C Config }{c}} {
			out := fmt.Sprintf(f, arg)
			if strings.Contains(out, secret) || strings.Contains(strings.ToLower(out), strings.ToLower(fmt.Sprintf("%x", secret))) {
				t.Errorf("Sprintf(%q, %T) = %q shows the password", f, arg, out)
			}
		}
	}
	if !strings.Contains(fmt.Sprintf("%v", c), "monitor@unix:/run/mysqld/mysqld.sock") {
		t.Errorf("%%v = %q does not describe the connection", fmt.Sprintf("%v", c))
	}
}

// closedPort returns a local TCP port that nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

func TestOpenFails(t *testing.T) {
	port := closedPort(t)
	tests := []struct {
		name  string
		c     Config
		parts []string // expected parts of the error
		is    error
	}{
		{name: "refused TCP",
			c:     Config{Host: "127.0.0.1", Port: port, User: "monitor", SSLMode: SSLPreferred, password: secret},
			parts: []string{"cannot connect to monitor@127.0.0.1:" + strconv.Itoa(port), "connection refused"}},
		{name: "missing socket",
			c:     Config{Host: "localhost", Port: 3306, Socket: "/nonexistent/mysqld.sock", User: "monitor", password: secret},
			parts: []string{"cannot connect to monitor@unix:/nonexistent/mysqld.sock", "no such file or directory"}},
		{name: "expired context",
			c:     Config{Host: "127.0.0.1", Port: port, User: "monitor", password: secret},
			parts: []string{"cannot connect to monitor@127.0.0.1"}, is: context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			if tt.is != nil {
				ctx, cancel = context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
			}
			defer cancel()
			db, err := tt.c.Open(ctx, 2)
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded")
			}
			msg := err.Error()
			for _, p := range tt.parts {
				if !strings.Contains(msg, p) {
					t.Errorf("error %q does not contain %q", msg, p)
				}
			}
			if strings.Contains(msg, secret) {
				t.Errorf("error %q contains the password", msg)
			}
			if strings.Count(msg, "\n") != 0 {
				t.Errorf("error %q spans lines", msg)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %q is not %v", msg, tt.is)
			}
		})
	}
}

func TestDriverConfig(t *testing.T) {
	c := baseConfig()
	c.Socket = ""
	mc := c.driverConfig()
	if mc.Net != "tcp" || mc.Addr != "localhost:3307" || mc.User != "monitor" || mc.Passwd != secret {
		t.Errorf("address or credentials wrong: %s %s %s", mc.Net, mc.Addr, mc.User)
	}
	if mc.InterpolateParams || mc.ParseTime || mc.MultiStatements || mc.AllowCleartextPasswords || !mc.AllowNativePasswords {
		t.Errorf("driver flags wrong: %+v", mc)
	}
	if mc.TLS == nil || !mc.TLS.InsecureSkipVerify || mc.AllowFallbackToPlaintext {
		t.Errorf("REQUIRED should mean TLS without verification or fallback")
	}
	// A deadline bounds each dial.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	clone := mc.Clone()
	if err := boundDial(ctx, clone); err != nil || clone.Timeout <= 50*time.Second || clone.Timeout > time.Minute {
		t.Errorf("boundDial set timeout %v, %v", clone.Timeout, err)
	}
}

func FuzzParseHostPort(f *testing.F) {
	for _, s := range []string{"db1", "db1:3306", "[::1]:3306", "::1", "[fe80::1%eth0]:1", "", ":", "[", "]:1",
		"a:b:c", "db1:99999", "10.0.0.1:0", "[::1]x", "x%y", "db\x00:1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		host, port, err := parseHostPort(s, 3306)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		if host == "" || port < 1 || port > 65535 {
			t.Fatalf("parseHostPort(%q) = %q, %d", s, host, port)
		}
		if strings.ContainsAny(host, " \t\r\n/@[]") {
			t.Fatalf("parseHostPort(%q) accepted host %q", s, host)
		}
		// The address printed for a parsed spec parses back to the same.
		addr := net.JoinHostPort(host, strconv.Itoa(port))
		h2, p2, err := parseHostPort(addr, 1)
		if err != nil || h2 != host || p2 != port {
			t.Fatalf("round trip of %q via %q gave %q, %d, %v", s, addr, h2, p2, err)
		}
	})
}
