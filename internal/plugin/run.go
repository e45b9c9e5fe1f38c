package plugin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/alecthomas/kingpin/v2"
)

// Plugin describes one check program.
type Plugin struct {
	// Name is the program name, e.g. "check_repl_io".
	Name string
	// Label starts the output line, e.g. "REPL_IO".
	Label string
	// Help is the one-paragraph description shown by --help.
	Help string
	// Setup registers the check's own flags and returns the function that
	// runs the check once the flags are parsed. The function records its
	// findings in the report and must honour ctx (the -t deadline). An
	// error it returns becomes an UNKNOWN result.
	Setup func(app *kingpin.Application) Runner
}

// Runner runs a check after flag parsing.
type Runner func(ctx context.Context, r *Report) error

// Env is what a run talks to; tests pass buffers.
type Env struct {
	Stdout, Stderr io.Writer
	Version        string
	// Getenv reads the environment (os.Getenv when nil).
	Getenv func(string) string
}

// DefaultTimeout bounds a whole run when -t is not given.
const DefaultTimeout = 10 * time.Second

func init() {
	// Nagios ranges start with '@' ("-w @10:20"); kingpin would read them as
	// "@file" argument files.
	kingpin.EnableFileExpansion = false
}

// terminated carries kingpin's exit request (after --help or --version) out of Parse.
type terminated struct{ code int }

// Main parses args (without the program name), runs the check within the
// timeout and prints exactly one verdict. It returns the exit code and never
// exits the process itself.
func Main(p Plugin, args []string, env Env) (code int) {
	if env.Stdout == nil {
		env.Stdout = os.Stdout
	}
	if env.Stderr == nil {
		env.Stderr = os.Stderr
	}
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	early := NewReport(env.Stderr, 0)
	unknown := func(format string, a ...any) int {
		early.Add(UNKNOWN, format, a...)
		fmt.Fprint(env.Stdout, early.Render(p.Label))
		return int(UNKNOWN)
	}

	app, common, run := build(p, env.Version)
	app.UsageWriter(env.Stdout).ErrorWriter(env.Stderr)
	app.Terminate(func(c int) { panic(terminated{c}) })
	timeout, verbose := common.timeout, common.verbose

	parsed, perr := parseArgs(app, args)
	if parsed >= 0 {
		// --help and --version print to stdout and end as UNKNOWN, as the
		// monitoring plugins do: no check was made.
		return int(UNKNOWN)
	}
	if perr != nil {
		return unknown("invalid command line: %s (see --help)", strings.TrimSuffix(perr.Error(), "."))
	}
	limit, err := ParseTimeout(*timeout)
	if err != nil {
		return unknown("invalid command line: %s", err)
	}

	r := NewReport(env.Stderr, *verbose)
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	done := make(chan struct{})
	go func() {
		growStack()
		defer close(done)
		defer func() {
			if v := recover(); v != nil {
				r.Debugf(1, "panic: %v\n%s", v, debug.Stack())
				r.Add(UNKNOWN, "internal error: %v", v)
			}
		}()
		if err := run(ctx, r); err != nil {
			r.Add(UNKNOWN, "%s", err)
		}
	}()
	select {
	case <-done:
		if ctx.Err() != nil && r.Status() == UNKNOWN {
			// The check noticed the deadline itself; say so in the standard words.
			r = timeoutReport(r, limit)
		}
	case <-ctx.Done():
		r = timeoutReport(r, limit)
	}
	out := r.Render(p.Label)
	fmt.Fprint(env.Stdout, out)
	return int(r.Status())
}

// commonFlags are the flags every plugin has besides its own.
type commonFlags struct {
	timeout *string
	verbose *int
}

// build creates the plugin's kingpin application with every flag registered.
func build(p Plugin, version string) (*kingpin.Application, commonFlags, Runner) {
	app := kingpin.New(p.Name, p.Help)
	app.HelpFlag.Short('h')
	app.Version(versionString(p.Name, version)).VersionFlag.Short('V')
	var c commonFlags
	c.timeout = app.Flag("timeout", "Seconds (or a duration such as 1500ms) before the check gives up with UNKNOWN.").
		Short('t').Default("10").String()
	c.verbose = app.Flag("verbose", "Print detail on stderr (repeat for more).").Short('v').Counter()
	return app, c, p.Setup(app)
}

// App returns the plugin's command-line definition, the same one Main
// parses, for generating documentation such as man pages.
func App(p Plugin, version string) *kingpin.Application {
	app, _, _ := build(p, version)
	return app
}

// timeoutReport builds the verdict for a run that hit -t, naming the stage.
func timeoutReport(r *Report, limit time.Duration) *Report {
	t := NewReport(io.Discard, 0)
	r.mu.Lock()
	t.long = append([]string(nil), r.long...)
	stage := r.stage
	r.mu.Unlock()
	if stage == "" {
		stage = "starting"
	}
	t.Add(UNKNOWN, "timed out after %s while %s", limit, stage)
	return t
}

// parseArgs runs kingpin; it returns the exit code kingpin asked for after
// --help/--version (or -1), and the parse error.
func parseArgs(app *kingpin.Application, args []string) (code int, err error) {
	code = -1
	defer func() {
		if v := recover(); v != nil {
			t, ok := v.(terminated)
			if !ok {
				err = fmt.Errorf("%v", v)
				return
			}
			code = t.code
		}
	}()
	_, err = app.Parse(args)
	if err != nil {
		err = explainNumber(app, args, err)
		err = hideSecretArgument(app, args, err)
	}
	return code, err
}

// explainNumber turns kingpin's bare strconv error for a numeric flag
// ("strconv.ParseFloat: parsing "abc": invalid syntax") into a sentence
// naming the flag; other errors are returned as they are.
func explainNumber(app *kingpin.Application, args []string, err error) error {
	var ne *strconv.NumError
	if !errors.As(err, &ne) {
		return err
	}
	what := "a number"
	if strings.HasPrefix(ne.Func, "ParseInt") || strings.HasPrefix(ne.Func, "ParseUint") {
		what = "a whole number"
	}
	if errors.Is(ne.Err, strconv.ErrRange) {
		what = "a number in range"
	}
	flag := "a flag"
	if ctx, cerr := app.ParseContext(args); cerr == nil || ctx != nil {
		for _, el := range ctx.Elements {
			if fc, ok := el.Clause.(*kingpin.FlagClause); ok && el.Value != nil && *el.Value == ne.Num {
				flag = "--" + fc.Model().Name
			}
		}
	}
	return fmt.Errorf("%s: %q is not %s", flag, ne.Num, what)
}

// ParseTimeout reads -t: whole or fractional seconds, or a Go duration.
func ParseTimeout(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var d time.Duration
	if isNumber(s) {
		var secs float64
		if _, err := fmt.Sscan(s, &secs); err != nil {
			return 0, fmt.Errorf("timeout %q is not a number of seconds", s)
		}
		if secs > 86400 {
			return 0, fmt.Errorf("timeout %q is longer than a day", s)
		}
		d = time.Duration(secs * float64(time.Second))
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, fmt.Errorf("timeout %q is neither seconds nor a duration", s)
		}
		if d > 24*time.Hour {
			return 0, fmt.Errorf("timeout %q is longer than a day", s)
		}
	}
	if d <= 0 {
		return 0, fmt.Errorf("timeout %q must be positive", s)
	}
	return d, nil
}

// growStack grows the calling goroutine's stack at once from its starting
// 2 KiB to 32 KiB, about what connecting and running a check take it to:
// one copy of a shallow stack instead of four doublings, each of which
// copies the stack and walks its frames. Called first by the goroutine that
// runs a check, it makes a run measurably cheaper (docs/BENCHMARKS.md).
//
//go:noinline
func growStack() {
	var frame [16 << 10]byte
	touchStack(frame[:])
}

//go:noinline
func touchStack(b []byte) { b[0] = 1 }
