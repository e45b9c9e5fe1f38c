package packaging

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/testkit/clitest"
)

// stateDir is check_repl_checksum's default --state-file directory, which
// the package's postinst makes and its postrm purges.
const stateDir = "/var/lib/replmon-plugins"

// TestNfpmRunsScripts checks that the package carries postinst and postrm:
// without them no .deb makes the state directory.
func TestNfpmRunsScripts(t *testing.T) {
	conf := read(t, filepath.Join(clitest.Root(t), "packaging", "nfpm.yaml"))
	for _, s := range []struct{ key, file string }{{"postinstall", "packaging/postinst"}, {"postremove", "packaging/postrm"}} {
		if !regexp.MustCompile(`(?m)^scripts:\n(?:  .*\n)*  ` + s.key + `: ` + regexp.QuoteMeta(s.file) + `\n`).MatchString(conf) {
			t.Errorf("packaging/nfpm.yaml does not run %s as the package's %s", s.file, s.key)
		}
	}
}

// fakeTools puts on PATH a getent that knows the nagios user and group or
// not, a dpkg-statoverride that has an override of the state directory or
// not, and a chown that records its arguments in the returned file instead
// of changing anything (the test runs as any user, on a host that may lack
// nagios).
func fakeTools(t *testing.T, nagios, override bool) (env []string, chownLog string) {
	t.Helper()
	bin := t.TempDir()
	chownLog = filepath.Join(bin, "chown.log")
	exit := func(ok bool) string {
		if ok {
			return "exit 0"
		}
		return "exit 2"
	}
	tools := map[string]string{
		"getent":            `case "$1 $2" in "passwd nagios"|"group nagios") ` + exit(nagios) + `;; esac; exit 2`,
		"dpkg-statoverride": `[ "$1 $2" = "--list ` + stateDir + `" ] && ` + exit(override) + `; exit 1`,
		"chown":             `echo "$@" >> '` + chownLog + `'`,
	}
	for name, body := range tools {
		if err := os.WriteFile(filepath.Join(bin, name), []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH")), chownLog
}

// runScript runs a maintainer script of packaging/ with sh, dpkg's way,
// under DPKG_ROOT=root.
func runScript(t *testing.T, env []string, root, script string, args ...string) {
	t.Helper()
	cmd := exec.Command("sh", append([]string{filepath.Join(clitest.Root(t), "packaging", script)}, args...)...)
	cmd.Env = append(env, "DPKG_ROOT="+root)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", script, strings.Join(args, " "), err, out)
	}
}

// TestPostinstStateDir checks that postinst configure makes the state
// directory mode 0750 and gives it to nagios:nagios when both exist,
// leaves the owner alone without them or under a dpkg-statoverride, and
// repairs the mode of a directory that is already there.
func TestPostinstStateDir(t *testing.T) {
	for _, c := range []struct {
		name             string
		nagios, override bool
		before           os.FileMode // 0: the directory does not exist yet
		wantChown        string
		wantMode         os.FileMode
	}{
		{name: "nagios exists", nagios: true, wantChown: "nagios:nagios " + stateDir, wantMode: 0o750},
		{name: "no nagios yet", nagios: false, wantMode: 0o750},
		{name: "statoverride", nagios: true, override: true, before: 0o700, wantMode: 0o700},
		{name: "upgrade repairs the mode", nagios: true, before: 0o755, wantChown: "nagios:nagios " + stateDir, wantMode: 0o750},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			dir := filepath.Join(root, stateDir)
			if c.before != 0 {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(dir, c.before); err != nil {
					t.Fatal(err)
				}
			}
			env, chownLog := fakeTools(t, c.nagios, c.override)
			runScript(t, env, root, "postinst", "configure", "")
			fi, err := os.Stat(dir)
			if err != nil || !fi.IsDir() {
				t.Fatalf("postinst configure made no %s: %v", stateDir, err)
			}
			if got := fi.Mode().Perm(); got != c.wantMode {
				t.Errorf("%s has mode %#o, want %#o", stateDir, got, c.wantMode)
			}
			got, _ := os.ReadFile(chownLog)
			if want := strings.TrimSpace(strings.ReplaceAll(c.wantChown, stateDir, dir)); strings.TrimSpace(string(got)) != want {
				t.Errorf("postinst ran chown %q, want %q", strings.TrimSpace(string(got)), want)
			}
		})
	}
}

// TestPostrmStateDir checks that remove keeps the cursors of
// check_repl_checksum and purge removes the directory with them.
func TestPostrmStateDir(t *testing.T) {
	env, _ := fakeTools(t, true, false)
	root := t.TempDir()
	dir := filepath.Join(root, stateDir)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "m1-data-in-sync"), []byte("state"), 0o640); err != nil {
		t.Fatal(err)
	}
	runScript(t, env, root, "postrm", "remove")
	if _, err := os.Stat(filepath.Join(dir, "m1-data-in-sync")); err != nil {
		t.Errorf("postrm remove removed the state: %v", err)
	}
	runScript(t, env, root, "postrm", "purge")
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("postrm purge left %s: %v", stateDir, err)
	}
}
