package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/cli"
	"github.com/replmon/replmon/internal/testkit/clitest"
)

// mainFiles returns the plugin directories of the repository, the same
// list the Makefile builds: check_repl_*/main.go.
func mainFiles(t *testing.T) map[string]string {
	t.Helper()
	root := clitest.Root(t)
	matches, err := filepath.Glob(filepath.Join(root, "check_repl_*", "main.go"))
	if err != nil || len(matches) == 0 {
		t.Fatalf("no check_repl_*/main.go under %s (%v)", root, err)
	}
	out := map[string]string{}
	for _, m := range matches {
		out[filepath.Base(filepath.Dir(m))] = m
	}
	return out
}

// TestEveryPluginRegistered fails when a plugin's main.go has no registry
// entry, or passes cli.Main another constructor than the registered one.
func TestEveryPluginRegistered(t *testing.T) {
	byName := map[string]entry{}
	for _, e := range registry {
		byName[e.New().Name] = e
	}
	for name, path := range mainFiles(t) {
		e, ok := byName[name]
		if !ok {
			t.Errorf("%s has no entry in tools/manpage/plugins.go: add its Plugin constructor, examples and grants", name)
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		// e.g. "github.com/replmon/replmon/internal/iocheck.Plugin"
		full := runtime.FuncForPC(reflect.ValueOf(e.New).Pointer()).Name()
		dot := strings.LastIndex(full, ".")
		importPath, fn := full[:dot], full[dot+1:]
		call := filepath.Base(importPath) + "." + fn + "()"
		if !bytes.Contains(src, []byte(`"`+importPath+`"`)) || !bytes.Contains(src, []byte("cli.Main("+call)) {
			t.Errorf("%s does not call cli.Main(%s) from %q, the registered constructor", path, call, importPath)
		}
		delete(byName, name)
	}
	for name := range byName {
		t.Errorf("registry entry %s has no %s/main.go", name, name)
	}
}

// TestEveryFlagInPage checks that each visible flag of each plugin, read
// from plugin.App, appears in its page with its help text.
func TestEveryFlagInPage(t *testing.T) {
	for _, e := range registry {
		p := e.New()
		pg := page(e, "1.2.3", nil)
		n := 0
		for _, f := range cli.App(p, "").Model().Flags {
			if f.Hidden {
				continue
			}
			n++
			long := strings.ReplaceAll("--"+f.Name, "-", `\-`)
			if !strings.Contains(pg, `\fB`+long+`\fR`) {
				t.Errorf("%s: page lacks %s", p.Name, long)
			}
			if f.Short != 0 && !strings.Contains(pg, `\fB\-`+string(f.Short)+`\fR, \fB`+long) {
				t.Errorf("%s: page lacks -%c for --%s", p.Name, f.Short, f.Name)
			}
			if !strings.Contains(pg, text(f.Help)) {
				t.Errorf("%s: page lacks the help of --%s: %q", p.Name, f.Name, f.Help)
			}
		}
		if n < 10 {
			t.Errorf("%s: only %d flags read; the model looks wrong", p.Name, n)
		}
		for _, sect := range []string{"NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "EXAMPLES", "PRIVILEGES"} {
			if !strings.Contains(pg, "\n.SH "+sect+"\n") {
				t.Errorf("%s: page has no %s section", p.Name, sect)
			}
		}
		if !strings.HasPrefix(pg, `.TH `+strings.ToUpper(p.Name)+` 1 "" "replmon 1.2.3"`) {
			t.Errorf("%s: title line: %q", p.Name, strings.SplitN(pg, "\n", 2)[0])
		}
	}
}

// TestExamplesParse runs every EXAMPLES command line through the plugin's
// own flag parser, so an example cannot name a flag that is gone.
func TestExamplesParse(t *testing.T) {
	for _, e := range registry {
		p := e.New()
		if len(e.Examples) == 0 {
			t.Errorf("%s has no examples", p.Name)
		}
		for _, ex := range e.Examples {
			if _, err := cli.App(p, "").Parse(ex.Args); err != nil {
				t.Errorf("%s example %q: %v", p.Name, ex.Args, err)
			}
		}
		if len(e.Privileges) == 0 {
			t.Errorf("%s has no privilege table", p.Name)
		}
	}
}

// TestGroffAcceptsPages renders the written pages with groff's warnings on.
func TestGroffAcceptsPages(t *testing.T) {
	groff, err := exec.LookPath("groff")
	if err != nil {
		t.Skip("groff is not installed")
	}
	dir := t.TempDir()
	if err := write(dir, "1.2.3"); err != nil {
		t.Fatal(err)
	}
	for _, p := range plugins() {
		path := filepath.Join(dir, p.Name+".1")
		var stderr bytes.Buffer
		cmd := exec.Command(groff, "-man", "-ww", "-Tutf8", path)
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil || stderr.Len() > 0 {
			t.Errorf("groff %s: %v\n%s", path, err, stderr.String())
		}
		if !bytes.Contains(out, []byte(p.Name)) {
			t.Errorf("groff %s: the rendered page does not name the plugin", path)
		}
	}
}

func TestSummary(t *testing.T) {
	for in, want := range map[string]string{
		"Checks that X replicates: IO and SQL.": "checks that X replicates",
		"Audits one server. Then more.":         "audits one server",
		"Compares tables — fast":                "compares tables",
		"Plain":                                 "plain",
	} {
		if got := summary(in); got != want {
			t.Errorf("summary(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCommandLine(t *testing.T) {
	got := commandLine("check_repl_checksum", []string{"-H", "db-m1.example.net", "--defaults-file=/etc/nagios/replmon.cnf",
		"--replica", "db-m1r1.example.net", "--lock", "--table", "it's"})
	want := "check_repl_checksum -H db-m1.example.net \\\n" +
		"    --defaults-file=/etc/nagios/replmon.cnf \\\n" +
		"    --replica db-m1r1.example.net --lock --table 'it'\\''s'"
	if got != want {
		t.Errorf("commandLine:\n%s\nwant:\n%s", got, want)
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"--defaults-file=/etc/x.cnf": "--defaults-file=/etc/x.cnf",
		"a b":                        "'a b'",
		"it's":                       `'it'\''s'`,
		"":                           "''",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %q, want %q", in, got, want)
		}
	}
}
