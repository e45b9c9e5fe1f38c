package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/testkit/clitest"
	"github.com/replmon/replmon/internal/testkit/sandbox"
)

// TestPrivilegesDoc keeps docs/INSTALL.md's privilege tables equal to
// privilegesMarkdown (-update rewrites them), and the README free of a
// second, drifting copy: it links to them instead.
func TestPrivilegesDoc(t *testing.T) {
	root := clitest.Root(t)
	path := filepath.Join(root, "docs", "INSTALL.md")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	want := strings.TrimSuffix(privilegesMarkdown(), "\n")
	begin, end := strings.Index(doc, privilegesBegin), strings.Index(doc, privilegesEnd)
	if begin < 0 || end < begin {
		t.Fatalf("docs/INSTALL.md has no %q ... %q block", privilegesBegin, privilegesEnd)
	}
	got := doc[begin : end+len(privilegesEnd)]
	if got != want {
		if *clitest.Update {
			if err := os.WriteFile(path, []byte(doc[:begin]+want+doc[end+len(privilegesEnd):]), 0o644); err != nil {
				t.Fatal(err)
			}
		} else {
			t.Errorf("the privilege tables of docs/INSTALL.md are not what tools/manpage/privileges.go says; go test ./tools/manpage -update rewrites them")
		}
	}
	if strings.Count(doc, privilegesBegin) != 1 {
		t.Errorf("docs/INSTALL.md has %d privilege blocks, want 1", strings.Count(doc, privilegesBegin))
	}

	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if regexp.MustCompile(`GRANT [A-Z][A-Z ,]* ON `).Match(readme) {
		t.Errorf("README.md shows a GRANT: privileges are listed in docs/INSTALL.md only, so that they cannot disagree")
	}
	if !strings.Contains(string(readme), "(docs/INSTALL.md#the-monitoring-account)") {
		t.Errorf("README.md does not link to the privilege tables, docs/INSTALL.md#the-monitoring-account")
	}
	for _, e := range registry {
		for _, p := range e.Privileges {
			for _, g := range p.Grant {
				// SELECT is also the statement, which the README names.
				if g != "" && g != "SELECT" && strings.Contains(string(readme), "`"+g+"`") {
					t.Errorf("README.md names the privilege %s: privileges are listed in docs/INSTALL.md only, so that they cannot disagree", g)
				}
			}
		}
	}
}

// TestSandboxAccount: the sandbox's monitoring account, which every
// integration test logs in with, has exactly the documented GRANT of
// MariaDB 10.5.9 and later, no more.
func TestSandboxAccount(t *testing.T) {
	if want := accountGrants(0); !slices.Equal(sandbox.MonitorGrants, want) {
		t.Errorf("sandbox.MonitorGrants = %q, the documented account (%s) is %q", sandbox.MonitorGrants, serverRanges[0], want)
	}
}

// TestPrivileges checks every MariaDB 10.5.9+ row of the privilege tables
// on a real MariaDB (the sandbox's, 10.11): for each plugin an account
// with exactly the documented grants runs OK; without each grant, the
// plugin ends in the documented state and says what the table says it
// says; a flag's grant is tried with the flag, an optional one with and
// without.
func TestPrivileges(t *testing.T) {
	if testing.Short() {
		t.Skip("starts MariaDB servers")
	}
	sb := sandbox.StartT(t, sandbox.Pair())
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if err := sb.LoadSample(ctx); err != nil {
		t.Fatal(err)
	}
	m1, r1 := sb.Server("m1"), sb.Server("r1")
	base := map[string][]string{
		"check_repl_io":       {"-H", "127.0.0.1", "-P", strconv.Itoa(r1.Port)},
		"check_repl_checksum": {"-H", "127.0.0.1", "-P", strconv.Itoa(m1.Port), "--replica", r1.Addr()},
		"check_repl_config":   {"--server", m1.Addr(), "--server", r1.Addr()},
	}
	n := 0
	// run creates an account with grants (ON *.*) on both servers, runs the
	// plugin with it and drops it.
	source := map[string][]string{
		"check_repl_io":       base["check_repl_io"],
		"check_repl_checksum": base["check_repl_checksum"],
		"check_repl_config":   {"--server", m1.Addr()},
	}
	run := func(t *testing.T, name string, grants []string, pr privilege) clitest.Result {
		t.Helper()
		n++
		user := fmt.Sprintf("priv%d", n)
		for _, s := range []*sandbox.Server{m1, r1} {
			stmts := []string{"SET SESSION sql_log_bin = 0", "CREATE USER '" + user + "'@'127.0.0.1' IDENTIFIED BY 'pw'"}
			if len(grants) > 0 {
				stmts = append(stmts, "GRANT "+strings.Join(grants, ", ")+" ON *.* TO '"+user+"'@'127.0.0.1'")
			}
			if err := s.Exec(ctx, stmts...); err != nil {
				t.Fatal(err)
			}
			defer s.Exec(ctx, "SET SESSION sql_log_bin = 0", "DROP USER '"+user+"'@'127.0.0.1'")
		}
		t.Logf("account %s: %s", user, grantList(grants))
		servers := base[name]
		if pr.SourceOnly {
			servers = source[name]
		}
		return clitest.Run(t, clitest.Build(t, name), nil, append(append([]string{"-u", user, "-p", "pw"}, servers...), pr.Args...)...)
	}
	codes := map[string]int{"OK": 0, "WARNING": 1, "UNKNOWN": 3}
	expect := func(t *testing.T, r clitest.Result, label, state, says string, present bool) {
		t.Helper()
		if !strings.HasPrefix(r.Stdout, label+" "+state+" - ") || r.Code != codes[state] {
			t.Errorf("exit %d, %q; want %s (exit %d)", r.Code, r.Summary(), state, codes[state])
		}
		if says != "" && strings.Contains(r.Stdout, says) != present {
			verb := "does not say"
			if !present {
				verb = "says"
			}
			t.Errorf("the output %s %q:\n%s", verb, says, r.Stdout)
		}
	}

	for _, e := range registry {
		p := e.New()
		var required []string
		for _, pr := range e.Privileges {
			if pr.required() && pr.Grant[0] != "" {
				required = append(required, pr.Grant[0])
			}
		}
		t.Run(p.Name+" with exactly the documented grants", func(t *testing.T) {
			expect(t, run(t, p.Name, required, privilege{}), p.Label, "OK", "", true)
		})
		for _, pr := range e.Privileges {
			if pr.Grant[0] == "" {
				continue // nothing to grant on MariaDB 10.5.9+
			}
			if pr.CoveredBy != "" {
				continue // TestPrivilegesCoveredBy checks the test exists
			}
			if pr.Says == "" || pr.State == "" {
				t.Errorf("%s: the row %q does not say what to expect without %s", p.Name, pr.For, pr.Grant[0])
				continue
			}
			g := pr.Grant[0]
			if pr.required() {
				t.Run(p.Name+" without "+g, func(t *testing.T) {
					expect(t, run(t, p.Name, without(required, g), pr), p.Label, pr.State, pr.Says, true)
				})
				continue
			}
			t.Run(p.Name+" "+pr.When+" with "+g, func(t *testing.T) {
				expect(t, run(t, p.Name, append(slices.Clone(required), g), pr), p.Label, "OK", pr.Says, false)
			})
			t.Run(p.Name+" "+pr.When+" without "+g, func(t *testing.T) {
				expect(t, run(t, p.Name, required, pr), p.Label, pr.State, pr.Says, true)
			})
		}
	}
}

// without returns list without s.
func without(list []string, s string) []string {
	return slices.DeleteFunc(slices.Clone(list), func(x string) bool { return x == s })
}

func grantList(grants []string) string {
	if len(grants) == 0 {
		return "no privilege"
	}
	return strings.Join(grants, ", ")
}

// TestPrivilegeRows checks the table itself: every row says what it is
// for, on what, and what happens without it; names in Grant are
// privileges MariaDB or MySQL know.
func TestPrivilegeRows(t *testing.T) {
	known := regexp.MustCompile(`^(SELECT|PROCESS|LOCK TABLES|REPLICATION CLIENT|REPLICATION SLAVE|SLAVE MONITOR|BINLOG MONITOR|REPLICATION SLAVE ADMIN|REPLICATION MASTER ADMIN)$`)
	for _, e := range registry {
		for _, p := range e.Privileges {
			if p.For == "" || p.On == "" || p.Without == "" {
				t.Errorf("%s: a row lacks For, On or Without: %+v", e.New().Name, p)
			}
			for r, g := range p.Grant {
				if g != "" && !known.MatchString(g) {
					t.Errorf("%s: %q (%s) is not a privilege", e.New().Name, g, serverRanges[r])
				}
			}
		}
	}
}

// TestPrivilegesCoveredBy: a privilege row proved by another test names a
// test that exists.
func TestPrivilegesCoveredBy(t *testing.T) {
	for _, e := range registry {
		for _, pr := range e.Privileges {
			if pr.CoveredBy == "" {
				continue
			}
			dir, name, ok := strings.Cut(pr.CoveredBy, "/")
			if !ok {
				t.Errorf("%s: CoveredBy %q is not package/TestName", e.New().Name, pr.CoveredBy)
				continue
			}
			files, _ := filepath.Glob(filepath.Join(clitest.Root(t), dir, "*_test.go"))
			found := false
			for _, f := range files {
				b, err := os.ReadFile(f)
				if err == nil && strings.Contains(string(b), "\nfunc "+name+"(t *testing.T)") {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: the row %q is covered by %s, which does not exist", e.New().Name, pr.For, pr.CoveredBy)
			}
		}
	}
}
