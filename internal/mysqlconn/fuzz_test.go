package mysqlconn

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alecthomas/kingpin/v2"

	"github.com/replmon/replmon/internal/address"
)

// FuzzResolve feeds a --host flag and an option file built from the
// fuzzed values through the flags and Resolve: whatever they hold, Resolve
// returns a usable configuration or a one-line error, never panics, and
// never prints the password.
func FuzzResolve(f *testing.F) {
	seeds := [][5]string{
		{"127.0.0.1", "3306", "VERIFY_IDENTITY", "s3cret-pw", ""},
		{"db:3306", "", "", "s3cret-pw", ""},
		{"[::1]", "3306", "", "s3cret-pw", ""},
		{"::1", "0", "", "s3cret-pw", ""},
		{"a b", "99999", "bogus", "s3cret-pw", "ssl=maybe"},
		{"localhost", "abc", "", "s3cret-pw", "socket=/nonexistent.sock"},
		{"-H", "", "DISABLED", "s3cret-pw", "ssl-ca=/nonexistent/ca.pem"},
		{"db.example.", "1", "VERIFY_CA", "s3cret-pw", "ssl-cert=/x.pem"},
		{"fe80::1%eth0", "65535", "", "s3cret-pw", "[client_x]\nhost=db:1"},
		{"db..x", "3306", "", "s3cret-pw", "skip-ssl\nssl-verify-server-cert=1"},
		{"", "", "", "\"s3cret-pw", "!include /nonexistent.cnf"},
		{"h\x00", "\t7", "required", "pw\\", "user=s3cret-pw"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1], s[2], s[3], s[4])
	}
	f.Fuzz(func(t *testing.T, host, port, sslMode, password, extra string) {
		all := host + port + sslMode + password + extra
		if strings.Contains(all, "/dev") || strings.Contains(all, "/proc") || strings.Contains(all, "/sys") {
			t.Skip("could name a device file that never ends")
		}
		dir := t.TempDir()
		body := fmt.Sprintf("[client]\nport=%s\nssl-mode=%s\npassword=%s\n%s\n", port, sslMode, password, extra)
		path := filepath.Join(dir, "my.cnf")
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		var fl Flags
		fl.files, fl.sockets = []string{}, []string{filepath.Join(dir, "none.sock")}
		app := kingpin.New("fuzz", "")
		app.Terminate(nil)
		fl.Register(app)
		if _, err := app.Parse([]string{"--defaults-file=" + path, "--host=" + host}); err != nil {
			return
		}
		cfg, err := fl.Resolve()
		// The password may legitimately show only where another value
		// holds the same text (a host or path echoed in a message).
		visible := len(password) >= 3 && !strings.Contains(host+port+sslMode+extra+path, password) &&
			!strings.Contains(benignWords, password)
		if err != nil {
			msg := err.Error()
			if msg == "" || strings.ContainsAny(msg, "\n\r") {
				t.Fatalf("error %q is not one line", msg)
			}
			if visible && strings.Contains(msg, password) {
				t.Fatalf("error %q shows the password %q", msg, password)
			}
			return
		}
		if cfg.Socket == "" && !address.ValidHostName(cfg.Host) && !address.IsIPv6(cfg.Host) {
			t.Fatalf("accepted host %q", cfg.Host)
		}
		if cfg.Port < 1 || cfg.Port > 65535 {
			t.Fatalf("accepted port %d", cfg.Port)
		}
		if shown := fmt.Sprintf("%v %+v %#v %s %q", cfg, cfg, cfg, cfg, cfg); visible && strings.Contains(shown, password) {
			t.Fatalf("printing the configuration shows the password %q: %s", password, shown)
		}
	})
}

// benignWords appear in messages and descriptions whatever the input.
const benignWords = "cannot connect invalid server address host name or IP address option files port must be a number from 1 to 65535 " +
	"ssl-mode TLS preferred required verify ca identity disabled unix localhost tcp"
