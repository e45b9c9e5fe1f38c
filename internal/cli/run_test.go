package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/alecthomas/kingpin/v2"

	"github.com/replmon/replmon/internal/plugin"
)

// testPlugin is a check whose behaviour is chosen by its flags.
func testPlugin() Plugin {
	return Plugin{
		Name:  "check_test",
		Label: "TEST",
		Help:  "A check used by the tests.",
		Setup: func(app *kingpin.Application) Check {
			mode := app.Flag("mode", "What to do.").Default("ok").String()
			warn := &plugin.Threshold{}
			app.Flag("warning", "Warning range.").Short('w').Default("10").SetValue(warn)
			app.Flag("password", "Password.").Short('p').SetValue(new(testSecret))
			app.Flag("name", "A name.").String()
			value := app.Flag("value", "Value to judge.").Default("5").Float64()
			limit := app.Flag("limit", "A limit that must not be negative.").Default("0").Int()
			validate := func() error {
				if *limit < 0 {
					return fmt.Errorf("--limit must be 0 or more, not %d", *limit)
				}
				return nil
			}
			return Check{Validate: validate, Run: func(ctx context.Context, r *plugin.Report) error {
				switch *mode {
				case "ok":
					st := plugin.OK
					if warn.Alert(*value) {
						st = plugin.WARNING
					}
					r.Add(st, "value is %g", *value)
					r.Long("line one")
					r.Long("line | two\nwith newline")
					r.Perf(plugin.Perf{Label: "value", Value: *value, Warn: warn})
				case "hang":
					r.Stage("waiting for the server at 127.0.0.1:1")
					<-make(chan struct{})
				case "ctxwait":
					r.Stage("querying")
					<-ctx.Done()
					return ctx.Err()
				case "panic":
					r.Stage("parsing")
					var m map[string]int
					m["x"] = 1
				case "error":
					return errors.New("access denied for user 'monitor'@'localhost' (using password: YES) while replicating")
				case "nothing":
				}
				return nil
			}}
		},
	}
}

func runTest(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(testPlugin(), args, Env{Stdout: &out, Stderr: &errb, Version: "1.2.3", Getenv: func(string) string { return "" }})
	return code, out.String(), errb.String()
}

func TestMainOutput(t *testing.T) {
	code, out, _ := runTest(t, "-w", "@3:7")
	want := "TEST WARNING - value is 5 | value=5;@3:7\nline one\nline / two with newline\n"
	if code != 1 || out != want {
		t.Fatalf("exit %d, output %q; want 1, %q", code, out, want)
	}
	code, out, _ = runTest(t)
	if code != 0 || !strings.HasPrefix(out, "TEST OK - value is 5 | value=5;10\n") {
		t.Fatalf("exit %d, output %q", code, out)
	}
}

func TestMainBadArguments(t *testing.T) {
	cases := map[string][]string{
		"unknown long flag '--bogus'":                 {"--bogus"},
		"threshold \"10:5\"":                          {"-w", "10:5"},
		"threshold is empty":                          {"-w", ""},
		"has no range after '@'":                      {"--warning=@"},
		"\"NaN\" is not a number":                     {"-w", "NaN"},
		"out of range":                                {"-w", "1e400"},
		"expected argument for flag '-w'":             {"-w"},
		"timeout \"0\" must be positive":              {"-t", "0"},
		"unexpected extra":                            {"extra"},
		"timeout \"x\" is neither":                    {"--timeout", "x"},
		"--value: \"abc\" is not a number":            {"--value", "abc"},
		"--value: \"1e999\" is not a number in range": {"--value=1e999"},
	}
	for want, args := range cases {
		code, out, _ := runTest(t, args...)
		if code != 3 {
			t.Errorf("%v: exit %d, want 3", args, code)
		}
		if !strings.HasPrefix(out, "TEST UNKNOWN - invalid command line: ") || !strings.Contains(out, want) {
			t.Errorf("%v: output %q, want it to mention %q", args, out, want)
		}
		if strings.Count(out, "\n") != 1 {
			t.Errorf("%v: output is not one line: %q", args, out)
		}
	}
}

func TestMainHelpAndVersion(t *testing.T) {
	code, out, _ := runTest(t, "--help")
	if code != 3 || !strings.Contains(out, "usage: check_test") || !strings.Contains(out, "--timeout") {
		t.Errorf("--help: exit %d, output %q", code, out)
	}
	code, out, _ = runTest(t, "-h")
	if code != 3 || !strings.Contains(out, "A check used by the tests.") {
		t.Errorf("-h: exit %d, output %q", code, out)
	}
	code, out, _ = runTest(t, "-V")
	if code != 3 || out != "check_test 1.2.3\n" {
		t.Errorf("-V: exit %d, output %q", code, out)
	}
}

func TestMainTimeoutNamesStage(t *testing.T) {
	for _, mode := range []string{"hang", "ctxwait"} {
		start := time.Now()
		code, out, _ := runTest(t, "--mode", mode, "-t", "0.2")
		if el := time.Since(start); el > 2*time.Second {
			t.Errorf("%s: took %v", mode, el)
		}
		if code != 3 || !strings.HasPrefix(out, "TEST UNKNOWN - timed out after 200ms while ") {
			t.Errorf("%s: exit %d, output %q", mode, code, out)
		}
	}
	_, out, _ := runTest(t, "--mode", "hang", "-t", "0.1")
	if !strings.Contains(out, "while waiting for the server at 127.0.0.1:1") {
		t.Errorf("stage missing: %q", out)
	}
}

func TestMainPanicBecomesUnknown(t *testing.T) {
	code, out, errOut := runTest(t, "--mode", "panic")
	if code != 3 || !strings.HasPrefix(out, "TEST UNKNOWN - internal error: assignment to entry in nil map\n") {
		t.Errorf("exit %d, output %q", code, out)
	}
	if errOut != "" {
		t.Errorf("no -v, yet stderr has %q", errOut)
	}
	_, _, errOut = runTest(t, "--mode", "panic", "-vv")
	if !strings.Contains(errOut, "goroutine") || !strings.Contains(errOut, "stage: parsing") {
		t.Errorf("-vv should show the stack and stages, got %q", errOut)
	}
}

func TestMainErrorAndNoResult(t *testing.T) {
	code, out, _ := runTest(t, "--mode", "nothing")
	if code != 3 || out != "TEST UNKNOWN - no result\n" {
		t.Errorf("exit %d, output %q", code, out)
	}
}

// testSecret is a password flag's value, marked secret as the connection
// package marks --password.
type testSecret string

func (s *testSecret) Set(v string) error { *s = testSecret(v); return nil }
func (s *testSecret) String() string     { return "" }
func (s *testSecret) Secret() bool       { return true }

// TestOutputNotMasked: nothing in the output is masked, whatever the
// password: a mask would show where the password stood and so leak it.
func TestOutputNotMasked(t *testing.T) {
	const want = "TEST UNKNOWN - access denied for user 'monitor'@'localhost' (using password: YES) while replicating\n"
	for _, pw := range []string{"monitor", "replica", "OK", "1", "a", "using password"} {
		code, out, _ := runTest(t, "--mode", "error", "-p", pw)
		if code != 3 || out != want {
			t.Errorf("-p %q: exit %d, output %q; want %q", pw, code, out, want)
		}
	}
	code, out, _ := runTest(t, "--mode", "ok", "-p", "value", "-w", "1")
	if code != 1 || !strings.HasPrefix(out, "TEST WARNING - value is 5 | value=5;1\n") {
		t.Errorf("-p value: exit %d, output %q", code, out)
	}
}

// TestUnquotedPasswordNotQuoted: the second word of a password with a space
// that was not quoted is not quoted back in the command-line error, while
// other stray words still are.
func TestUnquotedPasswordNotQuoted(t *testing.T) {
	for _, args := range [][]string{
		{"-p", "my", "secret"},
		{"--password", "my", "secret"},
		{"--password=my", "secret"},
		{"-pmy", "secret"},
		{"-vp", "my", "secret"},
		{"--name", "x", "-p", "my", "secret", "-v"},
	} {
		code, out, _ := runTest(t, args...)
		want := "TEST UNKNOWN - invalid command line: unexpected argument after the password (quote a password that contains spaces) (see --help)\n"
		if code != 3 || out != want {
			t.Errorf("%q: exit %d, output %q; want %q", args, code, out, want)
		}
	}
	for args, want := range map[string][]string{
		"unexpected 127.0.0.1": {"-p", "pw", "-v", "127.0.0.1"},
		"unexpected secret":    {"--name", "my", "secret"},
		"unexpected stray":     {"stray", "-p", "stray"},
	} {
		if _, out, _ := runTest(t, want...); !strings.Contains(out, "invalid command line: "+args+" (see --help)") {
			t.Errorf("%q: output %q, want it to name %q", want, out, args)
		}
	}
}

func TestPasswordNeverPrinted(t *testing.T) {
	for _, args := range [][]string{
		{"--bogus", "-p", "hunter22"},
		{"-phunter22", "--bogus=hunter22"},
		{"--password=hunter22", "hunter22"},
	} {
		_, out, errOut := runTest(t, append(args, "-vvv")...)
		if strings.Contains(out+errOut, "hunter22") {
			t.Errorf("%v: password printed: %q %q", args, out, errOut)
		}
	}
	var out bytes.Buffer
	Main(testPlugin(), []string{"--mode", "error", "--bogus=pw-from-env"}, Env{Stdout: &out, Stderr: &out,
		Getenv: func(k string) string {
			if k == "MYSQL_PWD" {
				return "pw-from-env"
			}
			return ""
		}})
	if strings.Contains(out.String(), "pw-from-env") {
		t.Errorf("MYSQL_PWD printed: %q", out.String())
	}
}

// TestValidateBeforeRunning: a value the flags accept but the check does
// not is UNKNOWN "invalid command line", one line, and the check never runs.
func TestValidateBeforeRunning(t *testing.T) {
	code, out, errOut := runTest(t, "--limit=-1", "--mode", "panic", "-vv")
	if code != 3 || out != "TEST UNKNOWN - invalid command line: --limit must be 0 or more, not -1\n" || errOut != "" {
		t.Errorf("exit %d, output %q, stderr %q", code, out, errOut)
	}
}

func TestParseTimeout(t *testing.T) {
	good := map[string]string{"10": "10s", "0.5": "500ms", "1500ms": "1.5s", "2m": "2m0s"}
	for in, want := range good {
		d, err := ParseTimeout(in)
		if err != nil || d.String() != want {
			t.Errorf("ParseTimeout(%q) = %v, %v; want %s", in, d, err, want)
		}
	}
	for _, in := range []string{"", "0", "-1", "abc", "1e400", "100000", "48h", "NaN"} {
		if d, err := ParseTimeout(in); err == nil {
			t.Errorf("ParseTimeout(%q) accepted as %v", in, d)
		}
	}
}

// TestNegativeValuesAsSeparateWords: "-w -5:-1" is a range, as in the
// monitoring plugins, in every spelling of the flag.
func TestNegativeValuesAsSeparateWords(t *testing.T) {
	for _, args := range [][]string{
		{"-w", "-5:-1", "--value", "-3"},
		{"--warning", "-5:-1", "--value=-3"},
		{"-w-5:-1", "--value", "-3"},
	} {
		code, out, _ := runTest(t, append([]string{"--mode", "ok"}, args...)...)
		if code != 0 || !strings.HasPrefix(out, "TEST OK - value is -3 | value=-3;-5:-1\n") {
			t.Errorf("%q: exit %d, output %q", args, code, out)
		}
	}
	code, out, _ := runTest(t, "--mode", "ok", "-w", "-5:-1", "--value", "-7")
	if code != 1 || !strings.HasPrefix(out, "TEST WARNING - value is -7") {
		t.Errorf("-7 outside -5:-1: exit %d, output %q", code, out)
	}
	// A flag-looking word after a value flag is still a flag.
	code, out, _ = runTest(t, "--name", "-v")
	if code != 3 || !strings.Contains(out, "expected argument for flag '--name'") {
		t.Errorf("--name -v: exit %d, output %q", code, out)
	}
}

// TestCommandLineMistakes: the usual mistakes get a sentence that says
// what to do instead.
func TestCommandLineMistakes(t *testing.T) {
	for want, args := range map[string][]string{
		"invalid command line: -h is --help: give the server's host with -H (-H 127.0.0.1) (see --help)": {"-h", "127.0.0.1"},
		"invalid command line: unknown long flag '--no-help' (see --help)":                               {"--no-help"},
		"invalid command line: unknown long flag '--no-version' (see --help)":                            {"--no-version"},
	} {
		code, out, _ := runTest(t, args...)
		if code != 3 || out != "TEST UNKNOWN - "+want+"\n" {
			t.Errorf("%q: exit %d, output %q; want %q", args, code, out, want)
		}
	}
}

// TestTimeoutState: -t SECONDS:STATE, as in the monitoring-plugins, gives
// the state of a run that reaches the bound.
func TestTimeoutState(t *testing.T) {
	code, out, _ := runTest(t, "--mode", "hang", "-t", "0.1:critical")
	if code != 2 || out != "TEST CRITICAL - timed out after 100ms while waiting for the server at 127.0.0.1:1\n" {
		t.Errorf("-t 0.1:critical: exit %d, output %q", code, out)
	}
	code, out, _ = runTest(t, "--mode", "hang", "-t", "0.1:1")
	if code != 1 || !strings.HasPrefix(out, "TEST WARNING - timed out after 100ms") {
		t.Errorf("-t 0.1:1: exit %d, output %q", code, out)
	}
	code, out, _ = runTest(t, "--mode", "hang", "-t", "0.1")
	if code != 3 || !strings.HasPrefix(out, "TEST UNKNOWN - timed out after 100ms") {
		t.Errorf("-t 0.1: exit %d, output %q", code, out)
	}
	code, out, _ = runTest(t, "-t", "5:maybe")
	if want := "TEST UNKNOWN - invalid command line: timeout \"5:maybe\": the state after ':' must be ok, warning, critical or unknown\n"; code != 3 || out != want {
		t.Errorf("-t 5:maybe: exit %d, output %q", code, out)
	}
}
