package iocheck

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/iocheck/judge"
	"github.com/replmon/replmon/internal/iocheck/render"
	"github.com/replmon/replmon/internal/mysqlconn"
	"github.com/replmon/replmon/internal/plugin"
	"github.com/replmon/replmon/internal/testkit/clitest"
	"github.com/replmon/replmon/internal/testkit/fakedb"
	"github.com/replmon/replmon/internal/testkit/fakeserver"
	"github.com/replmon/replmon/internal/testkit/fixture"
)

// TestGolden replays every recorded result set (each dialect and each
// scenario) through Check and compares the exact plugin output with
// testdata/golden/<fixture>.txt.
func TestGolden(t *testing.T) {
	fixtures, err := fixture.LoadDir(filepath.Join(clitest.Root(t), "testdata", "replica_status"))
	if err != nil {
		t.Fatal(err)
	}
	if len(fixtures) < 20 {
		t.Fatalf("only %d fixtures found", len(fixtures))
	}
	for _, fx := range fixtures {
		t.Run(fx.Name(), func(t *testing.T) {
			srv := fakeServer(fx)
			db := srv.DB()
			defer db.Close()
			r := plugin.NewReport(nil, 0)
			opts := defaults()
			if err := Check(context.Background(), r, mysqlconn.SQL(db), "db1:3306", opts); err != nil {
				r.Add(plugin.UNKNOWN, "%s", err)
			}
			clitest.Golden(t, filepath.Join("testdata", "golden", fx.Name()+".txt"), r.Render("REPL_IO"))
			// The statement chosen from the version is the recorded one, a
			// fallback is only taken after a syntax error, and nothing but
			// the recorded further statements follows it.
			checkStatements(t, fx, srv.Queries())
		})
	}
}

// checkStatements requires the recorded replica status statement among
// the queries sent, followed by exactly the fixture's further statements.
func checkStatements(t *testing.T, fx fixture.Fixture, queries []string) {
	t.Helper()
	at := -1
	for i, q := range queries {
		if q == fx.Statement {
			at = i
		}
	}
	if at < 0 {
		t.Fatalf("%q never sent (sent: %q)", fx.Statement, queries)
	}
	if got, want := queries[at+1:], fx.AnswerStatements(); !reflect.DeepEqual(got, want) && (len(got) > 0 || len(want) > 0) {
		t.Errorf("after %q sent %q, want %q", fx.Statement, got, want)
	}
}

// TestGoldenOverTheWire replays every fixture as TestGolden does, but from
// a wire-level fake server through Check on a connection the way
// check_repl_io makes one: the output must be the same golden file.
func TestGoldenOverTheWire(t *testing.T) {
	fixtures, err := fixture.LoadDir(filepath.Join(clitest.Root(t), "testdata", "replica_status"))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("MYSQL_PWD", "pw")
	for _, fx := range fixtures {
		t.Run(fx.Name(), func(t *testing.T) {
			srv := fakeserver.StartT(t, fakeserver.FromFixture(fx, "monitor", "pw"))
			flags := mysqlconn.Flags{Host: "127.0.0.1", Port: srv.Port(), User: "monitor", NoDefaults: true, SSLMode: "DISABLED"}
			cfg, err := flags.Resolve()
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			db, err := cfg.Open(ctx, 1)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			r := plugin.NewReport(nil, 0)
			if err := Check(ctx, r, mysqlconn.SQL(db), "db1:3306", defaults()); err != nil {
				r.Add(plugin.UNKNOWN, "%s", err)
			}
			clitest.Golden(t, filepath.Join("testdata", "golden", fx.Name()+".txt"), r.Render("REPL_IO"))
			checkStatements(t, fx, srv.Queries())
		})
	}
}

// TestPerfdataLabelsStable checks that the same healthy default channel
// gives the same perfdata labels whatever the dialect's column names.
func TestPerfdataLabelsStable(t *testing.T) {
	fixtures, err := fixture.LoadDir(filepath.Join(clitest.Root(t), "testdata", "replica_status"))
	if err != nil {
		t.Fatal(err)
	}
	want := "lag io_running sql_running read_exec_distance relay_log_space"
	for _, fx := range fixtures {
		if !strings.HasPrefix(fx.Name(), "mysql-5.") && !strings.HasPrefix(fx.Name(), "mysql-8") {
			continue
		}
		chans, _ := replicaChannels(t, fx)
		if len(chans) != 1 {
			continue
		}
		r := plugin.NewReport(nil, 0)
		render.Render(r, judge.Judge(judge.Facts{Channels: chans}, defaults()), defaults())
		out := r.Render("X")
		_, perf, _ := strings.Cut(strings.SplitN(out, "\n", 2)[0], " | ")
		var labels []string
		for _, p := range strings.Fields(perf) {
			labels = append(labels, strings.SplitN(p, "=", 2)[0])
		}
		if got := strings.Join(labels, " "); got != want {
			t.Errorf("%s: labels %q, want %q", fx.Name(), got, want)
		}
	}
}

// optionCase is a recorded result set judged with other options than the
// defaults, with the answers to the further statements those options
// send; its output is kept in testdata/golden/<fixture>--<name>.txt.
type optionCase struct {
	fixture, name string
	opts          func(*judge.Options)
	extra         map[string]fakedb.Result
}

var optionCases = append([]optionCase{
	{"scenario-delayed", "subtract-delay", func(o *judge.Options) { o.SubtractDelay = true }, nil},
	{"scenario-sql-stopped-by-mysqldump", "during-backup-warning", func(o *judge.Options) { o.DuringBackup = plugin.WARNING }, nil},
	{"scenario-sql-stopped-mysqldump-sleeping", "during-backup-warning", func(o *judge.Options) { o.DuringBackup = plugin.WARNING }, nil},
	{"scenario-sql-stopped-by-mysqldump", "during-backup-ok", func(o *judge.Options) { o.DuringBackup = plugin.OK }, nil},
	{"scenario-sql-stopped", "during-backup-warning", func(o *judge.Options) { o.DuringBackup = plugin.WARNING }, nil},
	// A DBA's own account named as a backup account: its idle session counts.
	{"scenario-sql-stopped", "backup-user", func(o *judge.Options) { o.DuringBackup = plugin.WARNING; o.BackupUsers = []string{"dba"} }, nil},
}, heartbeatCases...)

// TestGoldenOptions replays fixtures through Check with the options of
// optionCases and compares the exact output with its golden file.
func TestGoldenOptions(t *testing.T) {
	dir := filepath.Join(clitest.Root(t), "testdata", "replica_status")
	for _, oc := range optionCases {
		t.Run(oc.fixture+"--"+oc.name, func(t *testing.T) {
			fx, err := fixture.LoadFixture(filepath.Join(dir, oc.fixture+".json"))
			if err != nil {
				t.Fatal(err)
			}
			script := fx.Script()
			for stmt, res := range oc.extra {
				script[stmt] = res
			}
			srv := fakedb.New(script)
			db := srv.DB()
			defer db.Close()
			opts := defaults()
			oc.opts(&opts)
			r := plugin.NewReport(nil, 0)
			if err := Check(context.Background(), r, mysqlconn.SQL(db), "db1:3306", opts); err != nil {
				r.Add(plugin.UNKNOWN, "%s", err)
			}
			clitest.Golden(t, filepath.Join("testdata", "golden", oc.fixture+"--"+oc.name+".txt"), r.Render("REPL_IO"))
			// Every further statement these options send is answered: none
			// falls into the fake server's syntax error.
			for _, q := range srv.Queries() {
				if _, ok := script[q]; !ok {
					t.Errorf("unanswered statement %q", q)
				}
			}
		})
	}
}
