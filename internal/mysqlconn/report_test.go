package mysqlconn

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/alecthomas/kingpin/v2"
)

type recorder struct {
	warnings, debug []string
}

func (r *recorder) Debugf(level int, format string, args ...any) {
	r.debug = append(r.debug, fmt.Sprintf(format, args...))
}

func (r *recorder) Warn(format string, args ...any) {
	r.warnings = append(r.warnings, fmt.Sprintf(format, args...))
}

func TestResolveFor(t *testing.T) {
	app := kingpin.New("t", "")
	var f Flags
	f.Register(app)
	cnf := filepath.Join(t.TempDir(), "my.cnf")
	if err := os.WriteFile(cnf, []byte("[client]\nuser=mon\npassword=pw-1234\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(cnf, 0o644); err != nil { // whatever the umask
		t.Fatal(err)
	}
	if _, err := app.Parse([]string{"--defaults-file", cnf}); err != nil {
		t.Fatal(err)
	}
	var r recorder
	cfg, err := f.ResolveFor(&r)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.User != "mon" || cfg.password != "pw-1234" {
		t.Errorf("user %q, password %q; want mon and the option file's password", cfg.User, cfg.password)
	}
	if len(r.warnings) != 1 || r.warnings[0] != "option file "+cnf+" contains a password and is readable by all users" {
		t.Errorf("warnings %q", r.warnings)
	}
	if len(r.debug) != 1 || r.debug[0] != "option files read: "+cnf {
		t.Errorf("-v detail %q", r.debug)
	}
}
