package main

import (
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/testkit/clitest"
)

// TestBadCommandLines needs no server: every mistake is one UNKNOWN line.
func TestBadCommandLines(t *testing.T) {
	bin := clitest.Build(t, "check_repl_config")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--expect", "binlog_format"}, `REPL_CONFIG UNKNOWN - invalid command line: --expect "binlog_format" is not VARIABLE=VALUE`},
		{[]string{"--expect", "bad name=1"}, `REPL_CONFIG UNKNOWN - invalid command line: --expect "bad name=1": "bad name" is not a variable name`},
		{[]string{"--role", "boss"}, `REPL_CONFIG UNKNOWN - invalid command line: --role "boss" is not one of auto, standalone, source, replica, relay, ring`},
		{[]string{"--role", "replica", "--server", "127.0.0.1:3306"}, "REPL_CONFIG UNKNOWN - invalid command line: --role judges the one -H server, not a --server or --discover topology"},
		{[]string{"--server", "127.0.0.1:99999"}, `REPL_CONFIG UNKNOWN - invalid command line: --server: invalid server address "127.0.0.1:99999": the port must be a number from 1 to 65535`},
		{[]string{"--unreachable", "maybe"}, "REPL_CONFIG UNKNOWN - invalid command line: "},
		{[]string{"--bogus"}, "REPL_CONFIG UNKNOWN - invalid command line: unknown long flag '--bogus'"},
		{[]string{"--retention-warning", "1h", "--retention-critical", "1d"}, "REPL_CONFIG UNKNOWN - invalid command line: --retention-critical 1d is longer than --retention-warning 1h: WARNING could never fire"},
		{[]string{"--retention-critical", "0s"}, "REPL_CONFIG UNKNOWN - invalid command line: --retention-warning and --retention-critical must be positive durations"},
		{[]string{"--retention-warning", "soon"}, `REPL_CONFIG UNKNOWN - invalid command line: --retention-warning: "soon" is not a duration (such as 90m, 36h or 2d) (see --help)`},
		{[]string{"--incomplete", "sometimes"}, `REPL_CONFIG UNKNOWN - invalid command line: "sometimes" is not a state (use ok, warning, critical or unknown) (see --help)`},
	}
	for _, c := range cases {
		r := clitest.Run(t, bin, nil, append([]string{"--no-defaults"}, c.args...)...)
		if r.Code != 3 || !strings.HasPrefix(r.Stdout, c.want) || strings.Count(r.Stdout, "\n") != 1 {
			t.Errorf("%v: exit %d, output %q; want 3 and %q", c.args, r.Code, r.Stdout, c.want)
		}
	}
	r := clitest.Run(t, bin, nil, "--help")
	if r.Code != 3 || !strings.Contains(r.Stdout, "--server=HOST:PORT") || !strings.Contains(r.Stdout, "--expect=VAR=VALUE") {
		t.Errorf("--help: exit %d\n%s", r.Code, r.Stdout)
	}
	r = clitest.Run(t, bin, nil, "-V")
	if r.Code != 3 || r.Stdout != "check_repl_config test\n" {
		t.Errorf("-V: exit %d, %q", r.Code, r.Stdout)
	}
}
