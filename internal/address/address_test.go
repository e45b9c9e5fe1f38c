package address

import (
	"net"
	"strconv"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in       string
		host     string
		port     int
		errorMsg string
	}{
		{in: "db1", host: "db1"},
		{in: "db1.example.com:3306", host: "db1.example.com", port: 3306},
		{in: "10.0.0.5:65535", host: "10.0.0.5", port: 65535},
		{in: "my_host-2", host: "my_host-2"},
		{in: "localhost", host: "localhost"},
		{in: "[::1]:3310", host: "::1", port: 3310},
		{in: "[fe80::1%eth0]:3310", host: "fe80::1%eth0", port: 3310},
		{in: "[2001:db8::7]", host: "2001:db8::7"},
		{in: "2001:db8::7", host: "2001:db8::7"},
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
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
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
				t.Fatalf("got %+v, want host %q port %d", got, tt.host, tt.port)
			}
		})
	}
}

func TestStringAndDefaultPort(t *testing.T) {
	tests := []struct {
		a    Addr
		want string
	}{
		{TCP("127.0.0.1", 3306), "127.0.0.1:3306"},
		{TCP("::1", 3307), "[::1]:3307"},
		{TCP("db1", 0), "db1"},
		{TCP("::1", 0), "[::1]"},
		{Unix("/run/mysqld/mysqld.sock"), "unix:/run/mysqld/mysqld.sock"},
		{TCP("db1", 0).WithDefaultPort(3307), "db1:3307"},
		{TCP("db1", 3306).WithDefaultPort(3307), "db1:3306"},
		{Unix("/s").WithDefaultPort(3307), "unix:/s"},
	}
	for _, tt := range tests {
		if got := tt.a.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.a, got, tt.want)
		}
	}
}

// TestSame is the one rule of "same server by address" every plugin uses.
func TestSame(t *testing.T) {
	same := [][2]Addr{
		{TCP("DB1.example.com", 3306), TCP("db1.example.com", 3306)},
		{TCP("localhost", 3306), TCP("127.0.0.1", 3306)},
		{TCP("::1", 3306), TCP("127.0.0.1", 3306)},
		{TCP("[::1]", 3306), TCP("localhost.localdomain", 3306)},
		{TCP("2001:DB8::7", 1), TCP("2001:db8:0::7", 1)},
		{Unix("/s"), Unix("/s")},
	}
	for _, p := range same {
		if !p[0].Same(p[1]) || !p[1].Same(p[0]) {
			t.Errorf("%v and %v should be the same server (keys %q, %q)", p[0], p[1], p[0].Key(), p[1].Key())
		}
	}
	differ := [][2]Addr{
		{TCP("db1", 3306), TCP("db1", 3307)},
		{TCP("127.0.0.2", 3306), TCP("127.0.0.1", 3306)},
		{TCP("db1", 3306), TCP("db2", 3306)},
		{Unix("/s"), TCP("127.0.0.1", 3306)},
	}
	for _, p := range differ {
		if p[0].Same(p[1]) {
			t.Errorf("%v and %v should differ", p[0], p[1])
		}
	}
}

func TestListFlag(t *testing.T) {
	l := List{Flag: "--replica"}
	for _, v := range []string{"a:1", "b:2,c:3", "d:4 e:5", "[::1]:6"} {
		if err := l.Set(v); err != nil {
			t.Fatalf("Set(%q): %v", v, err)
		}
	}
	if got := l.String(); got != "a:1,b:2,c:3,d:4,e:5,[::1]:6" {
		t.Errorf("List = %q", got)
	}
	err := l.Set("a:1,b:99999")
	if err == nil || err.Error() != `--replica: invalid server address "b:99999": the port must be a number from 1 to 65535` {
		t.Errorf("bad list: %v", err)
	}
	var v Value
	v.Flag = "--expect-source"
	if err := v.Set("db1:99999"); err == nil || !strings.HasPrefix(err.Error(), `--expect-source: invalid server address "db1:99999"`) {
		t.Errorf("Value.Set: %v", err)
	}
	if v.IsSet() || v.String() != "" {
		t.Errorf("a failed Set left %v set", v)
	}
	if err := v.Set("db1"); err != nil || !v.IsSet() || v.String() != "db1" {
		t.Errorf("Value.Set(db1) = %v, %v", v, err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"db1", "db1:3306", "[::1]:3306", "::1", "[fe80::1%eth0]:1", "", ":", "[", "]:1",
		"a:b:c", "db1:99999", "10.0.0.1:0", "[::1]x", "x%y", "db\x00:1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		if a.Host == "" || a.Port < 0 || a.Port > 65535 {
			t.Fatalf("Parse(%q) = %+v", s, a)
		}
		if strings.ContainsAny(a.Host, " \t\r\n/@[]") {
			t.Fatalf("Parse(%q) accepted host %q", s, a.Host)
		}
		// The address printed for a parsed spec parses back to the same.
		a = a.WithDefaultPort(3306)
		if a.String() != net.JoinHostPort(a.Host, strconv.Itoa(a.Port)) {
			t.Fatalf("String of %+v is %q", a, a.String())
		}
		b, err := Parse(a.String())
		if err != nil || b != a {
			t.Fatalf("round trip of %q via %q gave %+v, %v", s, a.String(), b, err)
		}
	})
}
