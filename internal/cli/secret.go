package cli

import (
	"errors"
	"strings"

	"github.com/alecthomas/kingpin/v2"
)

// The output of a plugin is never searched for passwords and masked: a
// mask shows where the password stood, and so tells its length and often
// its text ("****ting" for "replicating" with the password "replica").
// Instead no message is ever built from a password. The one place where a
// parser could quote one is kingpin's "unexpected ARG" error, when an
// unquoted password with a space in it leaves its second word on the
// command line; hideSecretArgument keeps that word out of the message.

// secretValue is implemented by the flag values that hold a secret (the
// connection package's --password). The plugin layer knows no flag by name.
type secretValue interface {
	Secret() bool
}

// hideSecretArgument replaces kingpin's "unexpected WORD" error by one that
// does not quote WORD when WORD stands right after the value of a secret
// flag: most likely the rest of a password that was not quoted.
func hideSecretArgument(app *kingpin.Application, args []string, err error) error {
	word, ok := strings.CutPrefix(err.Error(), "unexpected ")
	if !ok || strings.HasPrefix(word, "argument ") {
		return err
	}
	long, short := secretFlags(app)
	if len(long) == 0 && len(short) == 0 {
		return err
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		valueInNext := false
		switch {
		case strings.HasPrefix(a, "--"):
			name, _, hasValue := strings.Cut(a[2:], "=")
			if !long[name] {
				continue
			}
			valueInNext = !hasValue
		case strings.HasPrefix(a, "-") && len(a) > 1:
			// Short flags may be combined (-vvp): the first secret one takes
			// the rest of the word, or the next word when nothing is left.
			k := strings.IndexFunc(a[1:], func(r rune) bool { return short[r] })
			if k < 0 {
				continue
			}
			valueInNext = k+2 == len(a)
		default:
			continue
		}
		next := i + 1
		if valueInNext {
			next++
		}
		if next < len(args) && args[next] == word {
			return errors.New("unexpected argument after the password (quote a password that contains spaces)")
		}
		i = next - 1
	}
	return err
}

// secretFlags returns the long names and short letters of the flags whose
// value is a secret.
func secretFlags(app *kingpin.Application) (long map[string]bool, short map[rune]bool) {
	long, short = map[string]bool{}, map[rune]bool{}
	for _, f := range app.Model().Flags {
		if s, ok := f.Value.(secretValue); ok && s.Secret() {
			long[f.Name] = true
			if f.Short != 0 {
				short[f.Short] = true
			}
		}
	}
	return long, short
}
