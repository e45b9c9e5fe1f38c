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

	"github.com/replmon/replmon/internal/address"
)

const secret = "Pa55-w0rd!x"

func baseConfig() Config {
	return Config{Host: "localhost", Port: 3307, Socket: "/run/mysqld/mysqld.sock", User: "monitor",
		SSLMode: SSLRequired, password: secret, Warnings: []string{"w"}}
}

func TestWithAddr(t *testing.T) {
	base := baseConfig()
	for in, want := range map[string]string{
		"db1": "db1:3307", "db1:3306": "db1:3306", "[::1]:3310": "[::1]:3310", "2001:db8::7": "[2001:db8::7]:3307",
	} {
		a, err := address.Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		got := base.WithAddr(a)
		if got.Addr() != want || got.Socket != "" {
			t.Errorf("WithAddr(%q) = %s (socket %q), want %s over TCP", in, got.Addr(), got.Socket, want)
		}
		if got.User != base.User || got.password != base.password || got.SSLMode != base.SSLMode || got.Warnings != nil {
			t.Errorf("credentials or TLS not copied, or warnings kept: %+v", got)
		}
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
