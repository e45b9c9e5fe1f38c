package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/alecthomas/kingpin/v2"
)

// prepareArgs rewrites the command line before kingpin reads it, where
// kingpin would read it differently from the monitoring plugins:
//
//   - A negative number or range given as a separate word after a flag that
//     takes a value ("-w -5:-1", "--warning -5") is that flag's value, not a
//     cluster of short flags: it is joined to its flag ("-w-5:-1",
//     "--warning=-5"). No flag is named with a digit, so nothing else is
//     taken for one.
//
// It returns an error for the negated forms kingpin would accept for its
// own flags (--no-help, --no-version), which mean nothing.
//
// Which flags take a value is looked up only when a negative number follows
// a flag: a command line without one (nearly every run) never builds
// kingpin's model of the application.
func prepareArgs(app *kingpin.Application, args []string) ([]string, error) {
	var long map[string]bool
	var short map[rune]bool
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(out, args[i:]...), nil
		}
		if a == "--no-help" || a == "--no-version" || strings.HasPrefix(a, "--no-help=") || strings.HasPrefix(a, "--no-version=") {
			name, _, _ := strings.Cut(a, "=")
			return nil, fmt.Errorf("unknown long flag '%s'", name)
		}
		next := ""
		if i+1 < len(args) {
			next = args[i+1]
		}
		if !negativeNumber(next) {
			out = append(out, a)
			continue
		}
		if long == nil {
			long, short = valueFlags(app)
		}
		takesValue := false
		switch {
		case strings.HasPrefix(a, "--") && !strings.Contains(a, "="):
			takesValue = long[a[2:]]
		case strings.HasPrefix(a, "-") && len(a) == 2:
			takesValue = short[rune(a[1])]
		}
		if takesValue {
			if strings.HasPrefix(a, "--") {
				out = append(out, a+"="+next)
			} else {
				out = append(out, a+next)
			}
			i++
			continue
		}
		out = append(out, a)
	}
	return out, nil
}

// negativeNumber reports whether s starts like a negative number: "-5",
// "-.5", "-5:-1".
func negativeNumber(s string) bool {
	return len(s) >= 2 && s[0] == '-' && (s[1] >= '0' && s[1] <= '9' || s[1] == '.')
}

// valueFlags returns the long names and short letters of the flags that
// take a value (every flag but the boolean and counter ones).
func valueFlags(app *kingpin.Application) (long map[string]bool, short map[rune]bool) {
	long, short = map[string]bool{}, map[rune]bool{}
	for _, f := range app.Model().Flags {
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue
		}
		long[f.Name] = true
		if f.Short != 0 {
			short[f.Short] = true
		}
	}
	return long, short
}

// explainHelpHost turns kingpin's "unexpected HOST" after -h into a hint:
// -h is --help, as in every monitoring plugin of this suite's family that
// takes -H for the host; the mysql client's -h is -H here.
func explainHelpHost(args []string, err error) error {
	word, ok := strings.CutPrefix(err.Error(), "unexpected ")
	if !ok {
		return err
	}
	for i := 1; i < len(args); i++ {
		if args[i] == word && args[i-1] == "-h" {
			return errors.New("-h is --help: give the server's host with -H (-H " + word + ")")
		}
	}
	return err
}
