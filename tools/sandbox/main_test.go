package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/testkit/clitest"
	"github.com/replmon/replmon/internal/testkit/sandbox"
)

// TestMain lets the test binary act as the sandbox command, so the tests
// run it as users do without a separate build.
func TestMain(m *testing.M) {
	if os.Getenv("SANDBOX_TEST_AS_COMMAND") == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// command returns the test binary set up to run as `sandbox args...`.
func command(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "SANDBOX_TEST_AS_COMMAND=1")
	return cmd
}

func TestUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{nil, 2, "usage: sandbox up"},
		{[]string{"sideways"}, 1, `unknown command "sideways" (want up or down; sandbox -h for help)`},
		{[]string{"up", "-layout", "ring"}, 1, `unknown layout "ring"`},
		{[]string{"down", "-dir", t.TempDir()}, 1, "no sandbox state"},
	}
	for _, c := range cases {
		out.Reset()
		errOut.Reset()
		if code := run(c.args, &out, &errOut); code != c.code || !strings.Contains(errOut.String(), c.msg) {
			t.Errorf("run(%q) = %d, stderr %q; want %d and %q", c.args, code, errOut.String(), c.code, c.msg)
		}
	}
	// Help is asked for, not an error: on stdout, exit 0.
	for _, h := range []string{"-h", "--help", "help"} {
		out.Reset()
		errOut.Reset()
		if code := run([]string{h}, &out, &errOut); code != 0 || !strings.HasPrefix(out.String(), "usage: sandbox up") ||
			!strings.Contains(out.String(), "sample schema") || errOut.Len() != 0 {
			t.Errorf("sandbox %s = %d, stdout %q, stderr %q; want the usage on stdout and exit 0", h, code, out.String(), errOut.String())
		}
	}
	for _, sub := range []string{"up", "down"} {
		out.Reset()
		errOut.Reset()
		if code := run([]string{sub, "-h"}, &out, &errOut); code != 0 || !strings.Contains(errOut.String(), "-dir") {
			t.Errorf("sandbox %s -h = %d, stderr %q; want its flags and exit 0", sub, code, errOut.String())
		}
	}
}

func TestUpDown(t *testing.T) {
	dir := t.TempDir()
	up := command("up", "-layout", "pair", "-dir", dir)
	stdout, err := up.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	up.Stderr = &stderr
	if err := up.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		exited <- up.Wait()
	}()
	t.Cleanup(func() { _ = up.Process.Kill() })

	var printed []string
	timeout := time.After(60 * time.Second)
wait:
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("sandbox up ended early: %s\n%s", strings.Join(printed, "\n"), stderr.String())
			}
			printed = append(printed, l)
			if strings.HasPrefix(l, "state: ") {
				break wait
			}
		case <-timeout:
			t.Fatalf("sandbox up printed no state line in 60s: %s\n%s", strings.Join(printed, "\n"), stderr.String())
		}
	}
	text := strings.Join(printed, "\n")
	for _, want := range []string{"m1  server_id=1   127.0.0.1:", "master", "r1  server_id=11  127.0.0.1:", "replica of m1, read_only", "mariadb -h 127.0.0.1 -P ",
		"sample: shop.orders (3 rows) on m1, replicated to every server"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	st, err := readState(filepath.Join(dir, stateFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Servers) != 2 || st.Pid != up.Process.Pid {
		t.Fatalf("state %+v", st)
	}
	for _, s := range st.Servers {
		if !alive(s.Pid) {
			t.Fatalf("%s (pid %d) not running while up", s.Name, s.Pid)
		}
	}
	// A newcomer's first checksum run has the sample table to compare.
	res := clitest.Run(t, clitest.Build(t, "check_repl_checksum"), nil, "-H", "127.0.0.1", "-P", strconv.Itoa(st.Servers[0].Port),
		"-u", sandbox.MonitorUser, "-p", sandbox.MonitorPassword, "--replica", st.Servers[1].Addr)
	if res.Code != 0 || !strings.HasPrefix(res.Stdout, "REPL_CHECKSUM OK - 1 table compared on 1 replica: 1 in sync") {
		t.Errorf("check_repl_checksum on the fresh sandbox: exit %d\n%s%s\nwant OK with the sample table in sync", res.Code, res.Stdout, res.Stderr)
	}

	if out, err := command("down", "-dir", dir).CombinedOutput(); err != nil {
		t.Fatalf("sandbox down: %v\n%s", err, out)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("sandbox up exited with %v after down\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("sandbox up still running after down")
	}
	for _, s := range st.Servers {
		if syscall.Kill(s.Pid, 0) == nil && alive(s.Pid) {
			t.Errorf("%s (pid %d) survived down", s.Name, s.Pid)
		}
	}
	for _, p := range []string{st.Dir, filepath.Join(dir, stateFile)} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s left behind after down (%v)", p, err)
		}
	}
}
