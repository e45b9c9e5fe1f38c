// Package cli runs a plugin as a monitoring system calls it: it parses the
// command line (kingpin), checks the flag values, runs the check within -t
// and prints exactly one verdict, whatever happens. It is the only part of
// the suite that knows the process: arguments, environment, stdout and
// exit codes.
package cli

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

	"github.com/replmon/replmon/internal/plugin"
	"github.com/replmon/replmon/internal/startup"
)

// Plugin describes one check program.
type Plugin struct {
	// Name is the program name, e.g. "check_repl_io".
	Name string
	// Label starts the output line, e.g. "REPL_IO".
	Label string
	// Help is the one-paragraph description shown by --help.
	Help string
	// Setup registers the check's own flags and returns the check to run
	// once they are parsed.
	Setup func(app *kingpin.Application) Check
}

// Check is what a plugin does after its flags are parsed.
type Check struct {
	// Validate checks what the flag values alone cannot: combinations,
	// ranges, values read at run time. Its error, one sentence naming the
	// flag, becomes UNKNOWN "invalid command line: ..." before anything is
	// connected. Nil when there is nothing to check.
	Validate func() error
	// Run records the check's findings in the report and must honour ctx
	// (the -t deadline). An error it returns becomes an UNKNOWN result.
	Run Runner
}

// Runner runs a check after flag parsing.
type Runner func(ctx context.Context, r *plugin.Report) error

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
	early := plugin.NewReport(env.Stderr, 0)
	unknown := func(format string, a ...any) int {
		early.Add(plugin.UNKNOWN, format, a...)
		fmt.Fprint(env.Stdout, early.Render(p.Label))
		return int(plugin.UNKNOWN)
	}

	app, common, check := build(p, env.Version, env.Stdout)
	app.UsageWriter(env.Stdout).ErrorWriter(env.Stderr)
	app.Terminate(func(c int) { panic(terminated{c}) })
	timeout, verbose := common.timeout, common.verbose

	args, perr := prepareArgs(app, args)
	parsed := -1
	if perr == nil {
		parsed, perr = parseArgs(app, args)
	}
	if parsed >= 0 {
		// --help and --version print to stdout and end as UNKNOWN, as the
		// monitoring plugins do: no check was made.
		return int(plugin.UNKNOWN)
	}
	if perr != nil {
		return unknown("invalid command line: %s (see --help)", strings.TrimSuffix(perr.Error(), "."))
	}
	limit, timeoutState, err := ParseTimeoutState(*timeout)
	if err != nil {
		return unknown("invalid command line: %s", err)
	}
	if check.Validate != nil {
		if err := check.Validate(); err != nil {
			return unknown("invalid command line: %s", err)
		}
	}

	r := plugin.NewReport(env.Stderr, *verbose)
	r.SetUnreachable(common.unreachable.Status)
	if *common.full {
		r.SetOutput(0, true)
	} else {
		r.SetOutput(plugin.DefaultLimit, false)
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	done := make(chan struct{})
	go func() {
		startup.GrowCheckStack()
		defer close(done)
		defer func() {
			if v := recover(); v != nil {
				r.Debugf(1, "panic: %v\n%s", v, debug.Stack())
				r.Add(plugin.UNKNOWN, "internal error: %v", v)
			}
		}()
		if err := check.Run(ctx, r); err != nil {
			r.Add(plugin.UNKNOWN, "%s", err)
		}
	}()
	select {
	case <-done:
		if ctx.Err() != nil && r.Status() == plugin.UNKNOWN {
			// The check noticed the deadline itself; say so in the standard words.
			r = r.TimedOut(limit, timeoutState)
		}
	case <-ctx.Done():
		r = r.TimedOut(limit, timeoutState)
	}
	out := r.Render(p.Label)
	fmt.Fprint(env.Stdout, out)
	return int(r.Status())
}

// commonFlags are the flags every plugin has besides its own.
type commonFlags struct {
	timeout     *string
	verbose     *int
	unreachable *plugin.StatusValue
	full        *bool
}

// build creates the plugin's kingpin application with every flag registered.
func build(p Plugin, version string, out io.Writer) (*kingpin.Application, commonFlags, Check) {
	app := kingpin.New(p.Name, p.Help)
	app.HelpFlag.Short('h')
	// The version is worked out only when asked for: reading the build
	// information costs a check that never prints it.
	app.VersionFlag = app.Flag("version", "Show application version.").Short('V').
		PreAction(func(*kingpin.ParseContext) error {
			fmt.Fprintln(out, VersionString(p.Name, version))
			panic(terminated{0})
		})
	app.VersionFlag.Bool()
	var c commonFlags
	c.timeout = app.Flag("timeout", "Seconds (or a duration such as 1500ms) before the check gives up, with UNKNOWN "+
		"or the state after a colon (-t 30:critical); a server that does not answer the connection in time is judged by --unreachable instead.").
		Short('t').PlaceHolder("SECONDS[:STATE]").Default("10").String()
	c.verbose = app.Flag("verbose", "Print detail on stderr (repeat for more).").Short('v').Counter()
	c.full = app.Flag("full-output", fmt.Sprintf("List every line, also what is fine, without the output bound of %d bytes "+
		"(by default problems are listed in full and what is fine is counted).", plugin.DefaultLimit)).Bool()
	c.unreachable = &plugin.StatusValue{Status: plugin.CRITICAL}
	app.Flag("unreachable", "State of a server that refuses the connection or the login, or does not complete it in time: "+
		"ok, warning, critical or unknown.").Default("critical").SetValue(c.unreachable)
	return app, c, p.Setup(app)
}

// App returns the plugin's command-line definition, the same one Main
// parses, for generating documentation such as man pages.
func App(p Plugin, version string) *kingpin.Application {
	app, _, _ := build(p, version, io.Discard)
	return app
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
		err = explainHelpHost(args, err)
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

// ParseTimeoutState reads -t in the monitoring-plugins form SECONDS[:STATE]:
// the bound of the whole run, and the state of a run that reaches it
// (UNKNOWN unless given: ok, warning, critical, unknown or 0-3).
func ParseTimeoutState(s string) (time.Duration, plugin.Status, error) {
	secs, state, hasState := strings.Cut(strings.TrimSpace(s), ":")
	st := plugin.UNKNOWN
	if hasState {
		var err error
		if st, err = plugin.ParseStatus(state); err != nil {
			return 0, st, fmt.Errorf("timeout %q: the state after ':' must be ok, warning, critical or unknown", s)
		}
	}
	d, err := ParseTimeout(secs)
	return d, st, err
}

// ParseTimeout reads the seconds of -t: whole or fractional seconds, or a
// Go duration.
func ParseTimeout(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var d time.Duration
	if startup.IsNumber(s) {
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
