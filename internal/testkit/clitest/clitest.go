// Package clitest builds the plugin binaries and runs them as users do, for
// tests: real flags, exit code, stdout and stderr; and compares output with
// golden files.
package clitest

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/testkit/perfdata"
)

// Update rewrites golden files instead of comparing: go test ./... -update
var Update = flag.Bool("update", false, "rewrite golden files")

var (
	buildMu  sync.Mutex
	built    = map[string]string{}
	buildDir string
)

// Root returns the repository root (the directory holding go.mod).
func Root(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", "..", ".."))
}

// Build compiles ./<name> (e.g. "check_repl_io") once per test process and
// returns the binary's path.
func Build(t testing.TB, name string) string {
	t.Helper()
	buildMu.Lock()
	defer buildMu.Unlock()
	if p, ok := built[name]; ok {
		return p
	}
	if buildDir == "" {
		d, err := os.MkdirTemp("", "replmon-bin")
		if err != nil {
			t.Fatal(err)
		}
		buildDir = d
	}
	out := filepath.Join(buildDir, name)
	cmd := exec.Command("go", "build", "-ldflags", "-X main.version=test", "-o", out, "./"+name)
	cmd.Dir = Root(t)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./%s: %v\n%s", name, err, b)
	}
	built[name] = out
	return out
}

// Result is what one run of a plugin produced.
type Result struct {
	Code           int
	Stdout, Stderr string
	Elapsed        time.Duration
}

// Summary is the first line of stdout.
func (r Result) Summary() string {
	first, _, _ := strings.Cut(r.Stdout, "\n")
	return first
}

// Run runs the binary with args and an environment without MYSQL_PWD (plus
// env entries "K=V"), bounded by one minute, and returns its result. Its
// performance data, if any, must pass the strict parser of
// internal/testkit/perfdata, or the test fails.
func Run(t testing.TB, bin string, env []string, args ...string) Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "MYSQL_PWD=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	res := Result{Stdout: out.String(), Stderr: errb.String(), Elapsed: time.Since(start)}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		res.Code = ee.ExitCode()
	default:
		t.Fatalf("running %s: %v", bin, err)
	}
	t.Logf("$ %s %s\n[exit %d in %v]\n%s%s", filepath.Base(bin), strings.Join(args, " "), res.Code, res.Elapsed.Round(time.Millisecond), res.Stdout, res.Stderr)
	// Whatever the test asserts, the performance data a monitoring system
	// would read must follow the plugin guidelines (internal/testkit/perfdata).
	if perf, ok := perfdata.Output(res.Stdout); ok {
		if _, err := perfdata.Parse(perf); err != nil {
			t.Errorf("%s %s: the performance data breaks the plugin guidelines: %v", filepath.Base(bin), strings.Join(args, " "), err)
		}
	}
	return res
}

// Golden compares got with the file at path (relative to the test's
// package directory); with -update it writes the file instead.
func Golden(t testing.TB, path, got string) {
	t.Helper()
	if *Update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden file %s: %v (run go test -update to create it)", path, err)
	}
	if string(want) != got {
		t.Errorf("output differs from %s\n--- want\n%s--- got\n%s", path, want, got)
	}
}
