package mysqlconn

import (
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/alecthomas/kingpin/v2"
)

// setup describes a command line and the option files around it.
type setup struct {
	args    []string          // command-line arguments
	files   map[string]string // standard option files, by name, in name order
	sockets []string          // socket candidates; "ok" entries become real sockets
	env     map[string]string // environment; MYSQL_PWD and MYSQL_GROUP_SUFFIX are unset unless given
}

// resolve runs Flags.Register, parses the arguments and calls Resolve.
// "$DIR" in arguments and file contents stands for the temporary directory.
func resolve(t *testing.T, s setup) (Config, error) {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"MYSQL_PWD", "MYSQL_GROUP_SUFFIX"} {
		t.Setenv(name, "")
		if err := os.Unsetenv(name); err != nil {
			t.Fatal(err)
		}
	}
	for k, v := range s.env {
		t.Setenv(k, v)
	}
	f := &Flags{files: []string{}, sockets: []string{filepath.Join(dir, "none.sock")}}
	names := make([]string, 0, len(s.files))
	for name := range s.files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		path := filepath.Join(dir, name)
		writeFile(t, path, strings.ReplaceAll(s.files[name], "$DIR", dir))
		if !strings.HasPrefix(name, "extra") {
			f.files = append(f.files, path)
		}
	}
	if s.sockets != nil {
		f.sockets = nil
		for _, name := range s.sockets {
			path := filepath.Join(dir, name)
			if strings.HasPrefix(name, "ok") {
				l, err := net.Listen("unix", path)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { l.Close() })
			}
			f.sockets = append(f.sockets, path)
		}
	}
	app := kingpin.New("test", "")
	f.Register(app)
	args := make([]string, len(s.args))
	for i, a := range s.args {
		args[i] = strings.ReplaceAll(a, "$DIR", dir)
	}
	if _, err := app.Parse(args); err != nil {
		t.Fatalf("parse %q: %v", args, err)
	}
	c, err := f.Resolve()
	// Report paths relative to the temporary directory.
	c.Socket = strings.ReplaceAll(c.Socket, dir, "$DIR")
	return c, err
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestResolvePrecedence(t *testing.T) {
	type want struct {
		host, socket, user, password string
		port                         int
	}
	me := loginName()
	local := "$DIR/none.sock"
	tests := []struct {
		name    string
		setup   setup
		want    want
		errPart string
	}{
		{name: "defaults",
			want: want{host: "localhost", port: 3306, socket: local, user: me}},
		{name: "MYSQL_PWD is used when nothing else sets a password",
			setup: setup{env: map[string]string{"MYSQL_PWD": "envpw"}},
			want:  want{host: "localhost", port: 3306, socket: local, user: me, password: "envpw"}},
		{name: "option file password beats MYSQL_PWD",
			setup: setup{env: map[string]string{"MYSQL_PWD": "envpw"},
				files: map[string]string{"a.cnf": "[client]\npassword=filepw\n"}},
			want: want{host: "localhost", port: 3306, socket: local, user: me, password: "filepw"}},
		{name: "empty option file password beats MYSQL_PWD",
			setup: setup{env: map[string]string{"MYSQL_PWD": "envpw"},
				files: map[string]string{"a.cnf": "[client]\npassword=\n"}},
			want: want{host: "localhost", port: 3306, socket: local, user: me, password: ""}},
		{name: "a bare password line (the client's prompt) does not hide MYSQL_PWD",
			setup: setup{env: map[string]string{"MYSQL_PWD": "envpw"},
				files: map[string]string{"a.cnf": "[client]\nuser=file\npassword\n"}},
			want: want{host: "localhost", port: 3306, socket: local, user: "file", password: "envpw"}},
		{name: "command line beats option file",
			setup: setup{args: []string{"-u", "cli", "-p", "clipw", "-H", "db1", "-P", "3310"},
				env:   map[string]string{"MYSQL_PWD": "envpw"},
				files: map[string]string{"a.cnf": "[client]\nuser=file\npassword=filepw\nhost=db2\nport=3307\n"}},
			want: want{host: "db1", port: 3310, user: "cli", password: "clipw"}},
		{name: "empty password on the command line beats option file",
			setup: setup{args: []string{"--password="},
				files: map[string]string{"a.cnf": "[client]\npassword=filepw\n"}},
			want: want{host: "localhost", port: 3306, socket: local, user: me, password: ""}},
		{name: "option file values used",
			setup: setup{files: map[string]string{"a.cnf": "[client]\nuser=file\nhost=db2\nport=3307\n"}},
			want:  want{host: "db2", port: 3307, user: "file"}},
		{name: "later standard file overrides earlier one",
			setup: setup{files: map[string]string{
				"a.cnf": "[client]\nuser=first\nhost=db1\n",
				"b.cnf": "[client]\nuser=second\n"}},
			want: want{host: "db1", port: 3306, user: "second"}},
		{name: "client-server and client-mariadb groups read, mysql group not",
			setup: setup{files: map[string]string{"a.cnf": "[client-server]\nuser=cs\n[mysql]\nhost=cli-only\n[client-mariadb]\nport=3400\n"}},
			want:  want{host: "localhost", port: 3400, socket: local, user: "cs"}},
		{name: "group suffix flag",
			setup: setup{args: []string{"--defaults-group-suffix", "_replmon"},
				files: map[string]string{"a.cnf": "[client]\nuser=plain\n[client_replmon]\nuser=mon\n[client_other]\nuser=other\n"}},
			want: want{host: "localhost", port: 3306, socket: local, user: "mon"}},
		{name: "group suffix from MYSQL_GROUP_SUFFIX",
			setup: setup{env: map[string]string{"MYSQL_GROUP_SUFFIX": "_other"},
				files: map[string]string{"a.cnf": "[client]\nuser=plain\n[client_replmon]\nuser=mon\n[client_other]\nuser=other\n"}},
			want: want{host: "localhost", port: 3306, socket: local, user: "other"}},
		{name: "include followed from a standard file",
			setup: setup{files: map[string]string{
				"a.cnf":       "[client]\nuser=a\n!include $DIR/extra/x.cnf\n",
				"extra/x.cnf": "[client]\npassword=included\n"}},
			want: want{host: "localhost", port: 3306, socket: local, user: "a", password: "included"}},
		{name: "defaults-file replaces the standard files",
			setup: setup{args: []string{"--defaults-file", "$DIR/extra/only.cnf"},
				files: map[string]string{
					"a.cnf":          "[client]\nuser=standard\nhost=db9\n",
					"extra/only.cnf": "[client]\nuser=only\n"}},
			want: want{host: "localhost", port: 3306, socket: local, user: "only"}},
		{name: "no-defaults reads no files but MYSQL_PWD",
			setup: setup{args: []string{"--no-defaults"}, env: map[string]string{"MYSQL_PWD": "envpw"},
				files: map[string]string{"a.cnf": "[client]\nuser=standard\npassword=filepw\n"}},
			want: want{host: "localhost", port: 3306, socket: local, user: me, password: "envpw"}},
		{name: "missing standard file skipped",
			setup: setup{files: map[string]string{"b.cnf": "[client]\nuser=b\n"}},
			want:  want{host: "localhost", port: 3306, socket: local, user: "b"}},

		{name: "missing defaults-file",
			setup:   setup{args: []string{"--defaults-file", "$DIR/nope.cnf"}},
			errPart: "cannot read option file"},
		{name: "defaults-file with no-defaults",
			setup:   setup{args: []string{"--defaults-file", "$DIR/x.cnf", "--no-defaults"}},
			errPart: "cannot be used together"},
		{name: "syntax error in a standard file",
			setup:   setup{files: map[string]string{"a.cnf": "[client]\npassword=\"filepw\n"}},
			errPart: "a.cnf:2: quoted value has no matching closing quote"},
		{name: "bad port in option file",
			setup:   setup{files: map[string]string{"a.cnf": "[client]\nport=33o6\n"}},
			errPart: "port in the option files"},
		{name: "bad port flag",
			setup:   setup{args: []string{"-P", "70000"}},
			errPart: "--port must be"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := resolve(t, tt.setup)
			if tt.errPart != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errPart) {
					t.Fatalf("got error %v, want one containing %q", err, tt.errPart)
				}
				for _, pw := range []string{"filepw", "clipw", "envpw"} {
					if strings.Contains(err.Error(), pw) {
						t.Fatalf("error %q contains a password", err)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			got := want{host: c.Host, port: c.Port, socket: c.Socket, user: c.User, password: c.password}
			if got != tt.want {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestResolveHostAndSocket(t *testing.T) {
	tests := []struct {
		name    string
		setup   setup
		addr    string // expected Config.Addr()
		errPart string
	}{
		{name: "first existing default socket",
			setup: setup{sockets: []string{"missing.sock", "ok1.sock", "ok2.sock"}},
			addr:  "unix:$DIR/ok1.sock"},
		{name: "no default socket exists",
			setup: setup{sockets: []string{"missing.sock", "missing2.sock"}},
			addr:  "unix:$DIR/missing.sock"},
		{name: "localhost explicitly is the socket",
			setup: setup{args: []string{"-H", "LocalHost"}, sockets: []string{"ok.sock"}},
			addr:  "unix:$DIR/ok.sock"},
		{name: "IP address means TCP",
			setup: setup{args: []string{"-H", "127.0.0.1"}, sockets: []string{"ok.sock"}},
			addr:  "127.0.0.1:3306"},
		{name: "IPv6 address",
			setup: setup{args: []string{"--host=::1", "--port=3307"}},
			addr:  "[::1]:3307"},
		{name: "port flag with localhost means TCP",
			setup: setup{args: []string{"-P", "3307"}, sockets: []string{"ok.sock"}},
			addr:  "localhost:3307"},
		{name: "port from option file keeps the socket",
			setup: setup{files: map[string]string{"a.cnf": "[client]\nport=3307\n"}, sockets: []string{"ok.sock"}},
			addr:  "unix:$DIR/ok.sock"},
		{name: "socket flag",
			setup: setup{args: []string{"-S", "/x/mysql.sock"}, sockets: []string{"ok.sock"}},
			addr:  "unix:/x/mysql.sock"},
		{name: "socket flag beats port flag",
			setup: setup{args: []string{"-S", "/x/mysql.sock", "-P", "3307"}},
			addr:  "unix:/x/mysql.sock"},
		{name: "socket flag beats option file host",
			setup: setup{args: []string{"-S", "/x/mysql.sock"}, files: map[string]string{"a.cnf": "[client]\nhost=db1\n"}},
			addr:  "unix:/x/mysql.sock"},
		{name: "socket from option file",
			setup: setup{files: map[string]string{"a.cnf": "[client]\nsocket=/y/mysqld.sock\n"}, sockets: []string{"ok.sock"}},
			addr:  "unix:/y/mysqld.sock"},
		{name: "socket flag beats option file socket",
			setup: setup{args: []string{"--socket=/x/mysql.sock"}, files: map[string]string{"a.cnf": "[client]\nsocket=/y/mysqld.sock\n"}},
			addr:  "unix:/x/mysql.sock"},
		{name: "option file socket ignored for a remote host",
			setup: setup{args: []string{"-H", "db1"}, files: map[string]string{"a.cnf": "[client]\nsocket=/y/mysqld.sock\n"}},
			addr:  "db1:3306"},
		{name: "socket flag with a remote host flag",
			setup:   setup{args: []string{"-S", "/x/mysql.sock", "-H", "db1"}},
			errPart: "--socket can only be used with --host localhost"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := resolve(t, tt.setup)
			if tt.errPart != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errPart) {
					t.Fatalf("got error %v, want one containing %q", err, tt.errPart)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got := c.Addr(); got != tt.addr {
				t.Fatalf("Addr() = %q, want %q", got, tt.addr)
			}
			if c.Socket != "" && c.Host != "localhost" {
				t.Fatalf("socket connection with host %q", c.Host)
			}
		})
	}
}

func TestStandardFiles(t *testing.T) {
	tests := []struct {
		home, mysqlHome string
		want            []string
	}{
		{home: "/home/mon", want: []string{"/etc/my.cnf", "/etc/mysql/my.cnf", "/home/mon/.my.cnf"}},
		{home: "/home/mon", mysqlHome: "/opt/mysql",
			want: []string{"/etc/my.cnf", "/etc/mysql/my.cnf", "/opt/mysql/my.cnf", "/home/mon/.my.cnf"}},
	}
	for _, tt := range tests {
		t.Setenv("HOME", tt.home)
		t.Setenv("MYSQL_HOME", tt.mysqlHome)
		got := standardFiles()
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("HOME=%s MYSQL_HOME=%s: got %q, want %q", tt.home, tt.mysqlHome, got, tt.want)
		}
	}
}

// TestServerGiven: -H, -P or -S on the command line name a server; option
// files and defaults do not.
func TestServerGiven(t *testing.T) {
	for args, want := range map[string]bool{
		"": false, "-u monitor": false, "-H db1": true, "-P 3307": true, "-S /run/mysqld/mysqld.sock": true, "--host=db1 --port=3307": true,
	} {
		f := &Flags{}
		app := kingpin.New("test", "")
		f.Register(app)
		if _, err := app.Parse(strings.Fields(args)); err != nil {
			t.Fatal(err)
		}
		if got := f.ServerGiven(); got != want {
			t.Errorf("%q: ServerGiven %v, want %v", args, got, want)
		}
	}
}
