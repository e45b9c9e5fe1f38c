package reliability

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// optPassword is the password in the malformed option files; it must never
// be printed.
const optPassword = "Opt-Secret-991"

// badCase is one malformed command line: args, with "$DIR" standing for a
// directory holding the files of files.
type badCase struct {
	name  string
	args  []string
	files map[string]string // option files to create, by name
}

// commonBadCases apply to every plugin.
func commonBadCases() []badCase {
	cnf := func(name, body string) badCase {
		return badCase{name: "option file: " + name, args: []string{"--defaults-file=$DIR/my.cnf"},
			files: map[string]string{"my.cnf": body}}
	}
	pw := "password=" + optPassword + "\n"
	return []badCase{
		{name: "unknown flag", args: []string{"--no-defaults", "--bogus"}},
		{name: "positional argument", args: []string{"--no-defaults", "extra"}},
		{name: "timeout not a number", args: []string{"--no-defaults", "-t", "abc"}},
		{name: "timeout zero", args: []string{"--no-defaults", "-t", "0"}},
		{name: "timeout negative", args: []string{"--no-defaults", "--timeout=-1"}},
		{name: "timeout too long", args: []string{"--no-defaults", "-t", "1e9"}},
		{name: "port zero", args: []string{"--no-defaults", "-H", "127.0.0.1", "-P", "0"}},
		{name: "port too large", args: []string{"--no-defaults", "-H", "127.0.0.1", "-P", "70000"}},
		{name: "port not a number", args: []string{"--no-defaults", "-H", "127.0.0.1", "-P", "abc"}},
		{name: "host with a port", args: []string{"--no-defaults", "-H", "db1:3306"}},
		{name: "host with a space", args: []string{"--no-defaults", "-H", "db 1"}},
		{name: "host in brackets", args: []string{"--no-defaults", "-H", "[::1]"}},
		{name: "host without value", args: []string{"--no-defaults", "-H"}},
		{name: "ssl mode unknown", args: []string{"--no-defaults", "-H", "127.0.0.1", "--ssl-mode", "bogus"}},
		{name: "verify ca without ca", args: []string{"--no-defaults", "-H", "127.0.0.1", "--ssl-mode=VERIFY_CA"}},
		{name: "ca file missing", args: []string{"--no-defaults", "-H", "127.0.0.1", "--ssl-ca", "$DIR/nonexistent.pem"}},
		{name: "ca file without certificate", args: []string{"--no-defaults", "-H", "127.0.0.1", "--ssl-ca", "$DIR/junk.pem"},
			files: map[string]string{"junk.pem": "not a certificate\n"}},
		{name: "client cert without key", args: []string{"--no-defaults", "-H", "127.0.0.1", "--ssl-cert", "$DIR/junk.pem"},
			files: map[string]string{"junk.pem": "not a certificate\n"}},
		{name: "defaults file missing", args: []string{"--defaults-file=$DIR/nonexistent.cnf"}},
		{name: "defaults file is a directory", args: []string{"--defaults-file=$DIR"}},
		{name: "defaults file with no-defaults", args: []string{"--defaults-file=$DIR/my.cnf", "--no-defaults"},
			files: map[string]string{"my.cnf": "[client]\n" + pw}},
		cnf("option before any group", pw+"[client]\nuser=monitor\n"),
		cnf("unclosed group header", "[client\n"+pw),
		cnf("empty group name", "[]\n"+pw),
		cnf("unclosed quote", "[client]\npassword=\""+optPassword+"\n"),
		cnf("binary garbage", "\x00\xff\xfe[client]\n\x00"+pw),
		cnf("include without path", "[client]\n"+pw+"!include\n"),
		cnf("missing include directory", "[client]\n"+pw+"!includedir $DIR/nonexistent.d\n"),
		{name: "option file: include cycle", args: []string{"--defaults-file=$DIR/a.cnf"},
			files: map[string]string{"a.cnf": "[client]\n" + pw + "!include $DIR/b.cnf\n", "b.cnf": "!include $DIR/a.cnf\n"}},
		cnf("port not a number", "[client]\n"+pw+"port=abc\n"),
		cnf("ssl-mode unknown", "[client]\n"+pw+"ssl-mode=sometimes\n"),
		cnf("ssl not a boolean", "[client]\n"+pw+"ssl=maybe\n"),
		cnf("host with a port", "[client]\n"+pw+"host=db1:3306\n"),
	}
}

// ownBadCases are each plugin's own flags.
var ownBadCases = map[plug][]badCase{
	pIO: {
		{name: "threshold with two colons", args: []string{"--no-defaults", "-w", "1:2:3"}},
		{name: "threshold tilde alone", args: []string{"--no-defaults", "-c", "~"}},
		{name: "threshold in hex", args: []string{"--no-defaults", "-w", "0x10"}},
		{name: "expect-source bad host", args: []string{"--no-defaults", "--expect-source", "a b:1"}},
	},
	pChecksum: {
		{name: "no replica", args: []string{"--no-defaults"}},
		{name: "replica bad port", args: []string{"--no-defaults", "--replica", "db1:99999"}},
		{name: "replica unclosed bracket", args: []string{"--no-defaults", "--replica", "[::1"}},
		{name: "replica empty", args: []string{"--no-defaults", "--replica", ""}},
		{name: "replica given twice", args: []string{"--no-defaults", "-H", "127.0.0.1", "-P", "1", "--replica", "127.0.0.1:2", "--replica", "127.0.0.1:2"}},
		{name: "table without database", args: []string{"--no-defaults", "--replica", "db2", "--table", "users"}},
		{name: "table bad glob", args: []string{"--no-defaults", "--replica", "db2", "--table", "app.[a"}},
		{name: "database empty", args: []string{"--no-defaults", "--replica", "db2", "--database", ""}},
		{name: "exclude bad glob", args: []string{"--no-defaults", "--replica", "db2", "--exclude", "["}},
		{name: "method unknown", args: []string{"--no-defaults", "--replica", "db2", "--method", "md5"}},
		{name: "retries negative", args: []string{"--no-defaults", "--replica", "db2", "--retries=-1"}},
		{name: "parallel zero", args: []string{"--no-defaults", "--replica", "db2", "--parallel", "0"}},
		{name: "chunk size zero", args: []string{"--no-defaults", "--replica", "db2", "--chunk-size", "0"}},
		{name: "lock wait zero", args: []string{"--no-defaults", "--replica", "db2", "--lock-wait-timeout", "0"}},
		{name: "show rows negative", args: []string{"--no-defaults", "--replica", "db2", "--show-rows=-2"}},
		{name: "unsettled state unknown", args: []string{"--no-defaults", "--replica", "db2", "--unsettled", "maybe"}},
		{name: "lagging state unknown", args: []string{"--no-defaults", "--replica", "db2", "--lagging", "x"}},
	},
	pConfig: {
		{name: "server with two colons", args: []string{"--no-defaults", "--server", "a:b:c"}},
		{name: "server empty", args: []string{"--no-defaults", "--server", ""}},
		{name: "server bad port", args: []string{"--no-defaults", "--server", "db1:0"}},
		{name: "role unknown", args: []string{"--no-defaults", "--role", "king"}},
		{name: "role with servers", args: []string{"--no-defaults", "--role", "source", "--server", "127.0.0.1:1"}},
		{name: "expect without value", args: []string{"--no-defaults", "--expect", "binlog_format"}},
		{name: "expect without name", args: []string{"--no-defaults", "--expect", "=ROW"}},
		{name: "expect bad name", args: []string{"--no-defaults", "--expect", "bad name=1"}},
		{name: "unreachable state unknown", args: []string{"--no-defaults", "--unreachable", "maybe"}},
	},
}

// TestBadInput runs every plugin with every malformed flag, threshold, host
// spec and option file: each must end within a second with exit 3 and one
// line (never a panic or a trace), and never print the password of the
// option file.
func TestBadInput(t *testing.T) {
	for _, p := range plugins {
		cases := append(commonBadCases(), ownBadCases[p]...)
		for _, c := range cases {
			t.Run(p.name+"/"+c.name, func(t *testing.T) {
				dir := t.TempDir()
				for name, body := range c.files {
					writeFile(t, filepath.Join(dir, name), strings.ReplaceAll(body, "$DIR", dir), 0o600)
				}
				var args []string
				for _, a := range c.args {
					args = append(args, strings.ReplaceAll(a, "$DIR", dir))
				}
				if p == pChecksum && !hasFlag(args, "--replica") && c.name != "no replica" {
					// so that the input under test is the only problem
					args = append(args, "--replica", "127.0.0.1:1")
				}
				res := p.run(t, []string{"HOME=" + dir}, args...)
				verdict(t, p, res, optPassword)
				if res.Code != 3 || strings.Count(res.Stdout, "\n") != 1 || !strings.HasPrefix(res.Stdout, p.label+" UNKNOWN - ") {
					t.Errorf("want exit 3 and one UNKNOWN line, got exit %d:\n%s", res.Code, res.Stdout)
				}
				for _, l := range strings.Split(strings.TrimSuffix(res.Stderr, "\n"), "\n") {
					if l != "" && !strings.HasPrefix(l, "warning: ") {
						t.Errorf("stderr line %q is not a warning", l)
					}
				}
				if res.Elapsed > time.Second {
					t.Errorf("took %v, want under a second", res.Elapsed)
				}
			})
		}
	}
}

func hasFlag(args []string, flag string) bool {
	for _, a := range args {
		if a == flag || strings.HasPrefix(a, flag+"=") {
			return true
		}
	}
	return false
}

// TestBadInputPasswordLast: a password given before a malformed flag stays
// out of the error, whatever the spelling, and the error names the flag.
func TestBadInputPasswordLast(t *testing.T) {
	const secret = "Cmd-Secret-5150"
	for _, p := range plugins {
		for _, pw := range [][]string{{"-p", secret}, {"-p" + secret}, {"--password", secret}, {"--password=" + secret}} {
			args := append([]string{"--no-defaults", "-u", "monitor"}, pw...)
			args = append(args, "-P", "not-a-port")
			res := p.run(t, nil, args...)
			verdict(t, p, res, secret)
			if want := `invalid command line: --port: "not-a-port" is not a number`; res.Code != 3 || !strings.Contains(res.Stdout, want) {
				t.Errorf("%s %v: exit %d, output %q; want 3 and %q", p.name, pw, res.Code, res.Stdout, want)
			}
		}
	}
}
