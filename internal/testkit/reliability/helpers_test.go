package reliability

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/testkit/clitest"
	"github.com/replmon/replmon/internal/testkit/sandbox"
)

// plug is one plugin binary.
type plug struct {
	name  string // directory and binary name
	label string // first word of its output
}

var (
	pIO       = plug{"check_repl_io", "REPL_IO"}
	pChecksum = plug{"check_repl_checksum", "REPL_CHECKSUM"}
	pConfig   = plug{"check_repl_config", "REPL_CONFIG"}
	plugins   = []plug{pIO, pChecksum, pConfig}
)

// bin builds the plugin once per test process.
func (p plug) bin(t testing.TB) string { return clitest.Build(t, p.name) }

// target returns the arguments that point p at a replica and its source
// ("host:port" each): check_repl_io and check_repl_config audit the
// replica, check_repl_checksum compares the source with the replica.
func (p plug) target(src, rep string) []string {
	switch p {
	case pChecksum:
		h, port := split(src)
		return []string{"-H", h, "-P", port, "--replica", rep}
	default:
		h, port := split(rep)
		return []string{"-H", h, "-P", port}
	}
}

// first is the server p connects to first for target(src, rep).
func (p plug) first(src, rep string) string {
	if p == pChecksum {
		return src
	}
	return rep
}

func (p plug) run(t testing.TB, env []string, args ...string) clitest.Result {
	t.Helper()
	return clitest.Run(t, p.bin(t), env, args...)
}

func split(addr string) (string, string) {
	h, port, err := net.SplitHostPort(addr)
	if err != nil {
		panic(err)
	}
	return h, port
}

var (
	summaryLine = regexp.MustCompile(`^(REPL_[A-Z]+) (OK|WARNING|CRITICAL|UNKNOWN) - \S`)
	codes       = map[string]int{"OK": 0, "WARNING": 1, "CRITICAL": 2, "UNKNOWN": 3}
	crashTexts  = []string{"panic:", "goroutine ", "[running]", "runtime error", "SIGSEGV", ".go:"}
)

// verdict checks that res is exactly one plugin verdict of p: a summary
// line "LABEL STATE - text" whose state matches the exit code, no crash
// trace anywhere, and none of the secrets in stdout or stderr. It returns
// the exit code.
func verdict(t testing.TB, p plug, res clitest.Result, secrets ...string) int {
	t.Helper()
	m := summaryLine.FindStringSubmatch(res.Summary())
	switch {
	case m == nil || m[1] != p.label:
		t.Errorf("%s: summary %q is not a %s verdict", p.name, res.Summary(), p.label)
	case codes[m[2]] != res.Code:
		t.Errorf("%s: exit %d for a %s summary", p.name, res.Code, m[2])
	}
	for _, c := range crashTexts {
		if strings.Contains(res.Stdout+res.Stderr, c) {
			t.Errorf("%s: output contains %q (a crash or a trace):\n%s%s", p.name, c, res.Stdout, res.Stderr)
		}
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(res.Stdout+res.Stderr, s) {
			t.Errorf("%s: password %q printed:\n%s%s", p.name, s, res.Stdout, res.Stderr)
		}
	}
	return res.Code
}

// check fails the test with the message unless ok.
func check(t testing.TB, ok bool, format string, args ...any) {
	t.Helper()
	if !ok {
		t.Errorf(format, args...)
	}
}

// writeFile writes a file with the given mode (not changed by the umask).
func writeFile(t testing.TB, path, body string, mode os.FileMode) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	return path
}

// monitorCnf writes a private option file with the monitoring account.
func monitorCnf(t testing.TB) string {
	t.Helper()
	return writeFile(t, filepath.Join(t.TempDir(), "monitor.cnf"),
		fmt.Sprintf("[client]\nuser=%s\npassword=%s\n", sandbox.MonitorUser, sandbox.MonitorPassword), 0o600)
}

// pairTopology is a source m1 and a read-only replica r1, both writing a
// binary log, so that any write a plugin made on either would show.
func pairTopology() sandbox.Topology {
	return sandbox.Topology{Servers: []sandbox.ServerSpec{
		{Name: "m1", ServerID: 1, LogBin: true},
		{Name: "r1", ServerID: 11, LogBin: true, ReadOnly: true, Sources: []sandbox.Link{{Source: "m1"}}},
	}}
}

// appSchema is the data every pair holds: a few small tables.
var appSchema = []string{
	"CREATE DATABASE app",
	"CREATE TABLE app.users (id INT PRIMARY KEY, name VARCHAR(40))",
	"INSERT INTO app.users SELECT seq, CONCAT('user', seq) FROM app.seq_1_to_200",
	"CREATE TABLE app.orders (id INT PRIMARY KEY, user_id INT, total DECIMAL(10,2))",
	"INSERT INTO app.orders SELECT seq, seq % 200 + 1, seq * 1.5 FROM app.seq_1_to_500",
	"CREATE TABLE app.log (id BIGINT AUTO_INCREMENT PRIMARY KEY, msg TEXT)",
	"INSERT INTO app.log (msg) SELECT REPEAT('x', seq % 50) FROM app.seq_1_to_100",
}

// startPair starts a pair holding appSchema, replicated.
func startPair(t testing.TB, topo sandbox.Topology) *sandbox.Sandbox {
	t.Helper()
	sb := sandbox.StartT(t, topo)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := sb.Server("m1").Exec(ctx, appSchema...); err != nil {
		t.Fatal(err)
	}
	if err := sb.WaitReplicated(ctx); err != nil {
		t.Fatal(err)
	}
	return sb
}

// pairs are the sandboxes shared by the tests of this package, by name,
// started on first use and stopped by TestMain. A test that uses one must
// leave it as it found it: replicating, with the same databases.
var pairs struct {
	mu     sync.Mutex
	byName map[string]*sharedSandbox
}

type sharedSandbox struct {
	sb  *sandbox.Sandbox
	err error
}

// sharedPair returns the pair for the tests that only read.
func sharedPair(t *testing.T) *sandbox.Sandbox { return namedPair(t, "shared") }

// faultPair returns the pair for the tests that pause, kill and restart
// servers (and start them again).
func faultPair(t *testing.T) *sandbox.Sandbox { return namedPair(t, "faults") }

// namedPair returns the named shared pair, starting it on first use.
func namedPair(t *testing.T, name string) *sandbox.Sandbox {
	t.Helper()
	needServers(t)
	pairs.mu.Lock()
	defer pairs.mu.Unlock()
	if pairs.byName == nil {
		pairs.byName = map[string]*sharedSandbox{}
	}
	s, ok := pairs.byName[name]
	if !ok {
		s = &sharedSandbox{}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		s.sb, s.err = sandbox.Start(ctx, pairTopology())
		if s.err == nil {
			s.err = s.sb.Server("m1").Exec(ctx, appSchema...)
		}
		if s.err == nil {
			s.err = s.sb.WaitReplicated(ctx)
		}
		pairs.byName[name] = s
	}
	if s.err != nil {
		t.Fatalf("sandbox %s: %v", name, s.err)
	}
	return s.sb
}

func TestMain(m *testing.M) {
	code := m.Run()
	for name, s := range pairs.byName {
		if s.sb != nil {
			if err := s.sb.Stop(); err != nil {
				fmt.Fprintf(os.Stderr, "sandbox %s: %v\n", name, err)
			}
		}
	}
	os.Exit(code)
}

// needServers skips an integration test under -short.
func needServers(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: needs mariadbd")
	}
}

// mustExec runs statements as root and fails the test on error.
func mustExec(t testing.TB, s *sandbox.Server, stmts ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.Exec(ctx, stmts...); err != nil {
		t.Fatal(err)
	}
}

// query returns the first column of the first row, as root.
func query(t testing.TB, s *sandbox.Server, q string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	v, err := s.QueryString(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// waitFor polls cond every 50ms until it holds, failing after limit.
func waitFor(t testing.TB, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still not %s after %v", what, limit)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// slaveStatus returns one column of the replica's default connection.
func slaveStatus(t testing.TB, s *sandbox.Server, column string) string {
	t.Helper()
	db, err := s.RootDB()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rows, err := db.QueryContext(ctx, "SHOW SLAVE STATUS")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	if !rows.Next() {
		return ""
	}
	vals := make([]any, len(cols))
	raw := make([][]byte, len(cols))
	for i := range vals {
		vals[i] = &raw[i]
	}
	if err := rows.Scan(vals...); err != nil {
		t.Fatal(err)
	}
	for i, c := range cols {
		if c == column {
			return string(raw[i])
		}
	}
	t.Fatalf("no column %s", column)
	return ""
}

// waitReplicated waits until every replica of sb has applied what its
// sources have.
func waitReplicated(t testing.TB, sb *sandbox.Sandbox) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := sb.WaitReplicated(ctx); err != nil {
		t.Fatal(err)
	}
}

// freePort returns a port on 127.0.0.1 that nothing listens on.
func freePort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}
