package reliability

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/testkit/faultproxy"
	"github.com/replmon/replmon/internal/testkit/sandbox"
)

// pwSource is one way of giving the password.
type pwSource struct {
	name string
	// setup returns the arguments and environment that give pw, writing
	// option files into dir when it needs them.
	setup func(t *testing.T, dir, pw string) (args, env []string)
}

var pwSources = []pwSource{
	{"-p PW", func(t *testing.T, dir, pw string) ([]string, []string) {
		return []string{"--no-defaults", "-u", sandbox.MonitorUser, "-p", pw}, nil
	}},
	{"-pPW", func(t *testing.T, dir, pw string) ([]string, []string) {
		return []string{"--no-defaults", "-u", sandbox.MonitorUser, "-p" + pw}, nil
	}},
	{"--password PW", func(t *testing.T, dir, pw string) ([]string, []string) {
		return []string{"--no-defaults", "-u", sandbox.MonitorUser, "--password", pw}, nil
	}},
	{"--password=PW", func(t *testing.T, dir, pw string) ([]string, []string) {
		return []string{"--no-defaults", "-u", sandbox.MonitorUser, "--password=" + pw}, nil
	}},
	{"MYSQL_PWD", func(t *testing.T, dir, pw string) ([]string, []string) {
		return []string{"--no-defaults", "-u", sandbox.MonitorUser}, []string{"MYSQL_PWD=" + pw}
	}},
	{"option file [client]", func(t *testing.T, dir, pw string) ([]string, []string) {
		f := writeFile(t, filepath.Join(dir, "my.cnf"), fmt.Sprintf("[client]\nuser=%s\npassword=%s\n", sandbox.MonitorUser, pw), 0o600)
		return []string{"--defaults-file=" + f}, nil
	}},
	{"option file, quoted", func(t *testing.T, dir, pw string) ([]string, []string) {
		f := writeFile(t, filepath.Join(dir, "my.cnf"), fmt.Sprintf("[client]\nuser = %s\npassword = \"%s\" # comment\n", sandbox.MonitorUser, pw), 0o600)
		return []string{"--defaults-file=" + f}, nil
	}},
	{"option file, --defaults-group-suffix", func(t *testing.T, dir, pw string) ([]string, []string) {
		f := writeFile(t, filepath.Join(dir, "my.cnf"),
			fmt.Sprintf("[client]\nuser=%s\npassword=not-this-one\n[client_mon]\npassword=%s\n", sandbox.MonitorUser, pw), 0o600)
		return []string{"--defaults-file=" + f, "--defaults-group-suffix=_mon"}, nil
	}},
	{"option file, !include", func(t *testing.T, dir, pw string) ([]string, []string) {
		inc := writeFile(t, filepath.Join(dir, "secret.cnf"), fmt.Sprintf("[client]\npassword=%s\n", pw), 0o600)
		f := writeFile(t, filepath.Join(dir, "my.cnf"), fmt.Sprintf("[client]\nuser=%s\n!include %s\n", sandbox.MonitorUser, inc), 0o600)
		return []string{"--defaults-file=" + f}, nil
	}},
	{"option file, !includedir", func(t *testing.T, dir, pw string) ([]string, []string) {
		d := filepath.Join(dir, "conf.d")
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(d, "secret.cnf"), fmt.Sprintf("[client]\npassword=%s\n", pw), 0o600)
		f := writeFile(t, filepath.Join(dir, "my.cnf"), fmt.Sprintf("[client]\nuser=%s\n!includedir %s\n", sandbox.MonitorUser, d), 0o600)
		return []string{"--defaults-file=" + f}, nil
	}},
}

// TestSecrets gives every plugin the password in every way the client
// accepts, with -vvv, on a run that succeeds, on a refused login, on a
// closed port and on a link that times out: the password never appears in
// the output, the long output, the errors or the -v detail.
func TestSecrets(t *testing.T) {
	sb := sharedPair(t)
	m1, r1 := sb.Server("m1"), sb.Server("r1")
	const wrong = "Wrong-Secret-777"
	closed := "127.0.0.1:" + freePort(t)
	stalled := faultproxy.NewT(t, r1.Addr())
	stalled.Stall()
	stalledSrc := faultproxy.NewT(t, m1.Addr())
	stalledSrc.Stall()
	for _, p := range plugins {
		for _, src := range pwSources {
			t.Run(p.name+"/"+src.name, func(t *testing.T) {
				// The right password: the run succeeds, so the password was used.
				args, env := src.setup(t, t.TempDir(), sandbox.MonitorPassword)
				res := p.run(t, env, append(append(args, p.target(m1.Addr(), r1.Addr())...), "-vvv")...)
				if verdict(t, p, res, sandbox.MonitorPassword) != 0 {
					t.Errorf("exit %d with the right password, want OK", res.Code)
				}
				if res.Stderr == "" {
					t.Error("-vvv printed no detail: nothing was checked there")
				}
				// A wrong one, where it is most likely to be echoed; a timeout
				// (a stalled link) for the three kinds of source.
				targets := [][2]string{{m1.Addr(), r1.Addr()}, {closed, closed}}
				if src.name == "-p PW" || src.name == "MYSQL_PWD" || src.name == "option file [client]" {
					targets = append(targets, [2]string{stalledSrc.Addr(), stalled.Addr()})
				}
				for _, target := range targets {
					args, env := src.setup(t, t.TempDir(), wrong)
					res := p.run(t, env, append(append(args, p.target(target[0], target[1])...), "-vvv", "-t", "0.5")...)
					if verdict(t, p, res, wrong) == 0 {
						t.Errorf("exit 0 against %v with a wrong password", target)
					}
				}
			})
		}
	}
}

// TestOptionFileWarnings: an option file that other users can read and
// that holds a password gets a warning on stderr (the check still runs);
// a world-writable one is ignored with a warning, as the mysql client does.
func TestOptionFileWarnings(t *testing.T) {
	sb := sharedPair(t)
	m1, r1 := sb.Server("m1"), sb.Server("r1")
	for _, p := range plugins {
		t.Run(p.name, func(t *testing.T) {
			dir := t.TempDir()
			body := fmt.Sprintf("[client]\nuser=%s\npassword=%s\n", sandbox.MonitorUser, sandbox.MonitorPassword)

			readable := writeFile(t, filepath.Join(dir, "readable.cnf"), body, 0o644)
			res := p.run(t, nil, append([]string{"--defaults-file=" + readable}, p.target(m1.Addr(), r1.Addr())...)...)
			verdict(t, p, res, sandbox.MonitorPassword)
			if res.Code != 0 || strings.Contains(res.Stdout, readable) {
				t.Errorf("readable option file: exit %d, stdout %q; want OK with the warning kept off stdout", res.Code, res.Stdout)
			}
			want := "warning: option file " + readable + " contains a password and is readable by all users"
			check(t, strings.Contains(res.Stderr, want), "stderr %q lacks %q", res.Stderr, want)

			writable := writeFile(t, filepath.Join(dir, "writable.cnf"), body, 0o666)
			res = p.run(t, nil, append([]string{"--defaults-file=" + writable}, p.target(m1.Addr(), r1.Addr())...)...)
			verdict(t, p, res, sandbox.MonitorPassword)
			if res.Code == 0 {
				t.Errorf("world-writable option file was used: exit 0")
			}
			want = "warning: ignoring world-writable option file " + writable
			check(t, strings.Contains(res.Stderr, want), "stderr %q lacks %q", res.Stderr, want)
			// Stderr is dropped by NRPE and the daemons: the failed
			// connection says itself which file was not used and why.
			want = "option file not used: " + writable + ": world-writable, ignored as the mysql client does (chmod o-w " + writable + ")"
			check(t, strings.Contains(res.Stdout, want), "stdout %q lacks %q", res.Stdout, want)
			res = p.run(t, nil, append([]string{"--defaults-file=" + readable, "-v"}, p.target(m1.Addr(), r1.Addr())...)...)
			want = "option files read: " + readable
			check(t, res.Code == 0 && strings.Contains(res.Stderr, want), "-v: exit %d, stderr %q lacks %q", res.Code, res.Stderr, want)
		})
	}
}

// TestCommonWordPasswords: passwords that are common words, or stand in
// the output anyway, leave the output whole. The output is never searched
// for the password and masked, since a mask shows where the password stood
// ("****ting" for "replicating" with the password "replica").
func TestCommonWordPasswords(t *testing.T) {
	sb := sharedPair(t)
	m1, r1 := sb.Server("m1"), sb.Server("r1")
	healthy := map[plug]string{pIO: "replicating, lag 0s", pChecksum: "in sync", pConfig: "rule checks pass"}
	ctx := context.Background()
	for i, pw := range []string{"replica", "OK", "1", "a", "in sync", "127.0.0.1"} {
		user := fmt.Sprintf("pw%d", i)
		for _, s := range []*sandbox.Server{m1, r1} {
			if err := s.Exec(ctx, "SET SESSION sql_log_bin=0",
				fmt.Sprintf("CREATE USER '%s'@'127.0.0.1' IDENTIFIED BY '%s'", user, pw),
				fmt.Sprintf("GRANT %s ON *.* TO '%s'@'127.0.0.1'", strings.Join(sandbox.MonitorGrants, ", "), user)); err != nil {
				t.Fatal(err)
			}
			defer s.Exec(ctx, "SET SESSION sql_log_bin=0", fmt.Sprintf("DROP USER '%s'@'127.0.0.1'", user))
		}
		for _, p := range plugins {
			res := p.run(t, nil, append([]string{"--no-defaults", "-u", user, "-p", pw}, p.target(m1.Addr(), r1.Addr())...)...)
			sum := res.Summary()
			if res.Code != 0 || !strings.HasPrefix(sum, p.label+" OK - ") || !strings.Contains(sum, healthy[p]) || strings.Contains(res.Stdout+res.Stderr, "****") {
				t.Errorf("%s with password %q: exit %d, output %q; want OK with %q, nothing masked", p.name, pw, res.Code, res.Stdout, healthy[p])
			}
		}
	}
	for _, p := range plugins {
		// A user name equal to the (wrong) password is still named.
		res := p.run(t, nil, append([]string{"--no-defaults", "-u", "monitor", "-p", "monitor"}, p.target(m1.Addr(), r1.Addr())...)...)
		if want := "Access denied for user 'monitor'@"; res.Code == 0 || !strings.Contains(res.Stdout, want) {
			t.Errorf("%s -u monitor -p monitor: exit %d, output %q; want it to name %q", p.name, res.Code, res.Stdout, want)
		}
		// A host name that holds the password is printed whole.
		args := []string{"--no-defaults", "-u", "monitor", "-p", "nex", "-t", "5"}
		if p == pChecksum {
			args = append(args, "-H", "nonexistent.invalid", "--replica", r1.Addr())
		} else {
			args = append(args, "-H", "nonexistent.invalid")
		}
		res = p.run(t, nil, args...)
		if res.Code == 0 || !strings.Contains(res.Stdout, "nonexistent.invalid") {
			t.Errorf("%s -H nonexistent.invalid -p nex: exit %d, output %q; want the host named whole", p.name, res.Code, res.Stdout)
		}
	}
}
