// Package perfdata reads plugin performance data the strict way, for
// tests: the syntax of the Nagios plugin development guidelines, plus what
// the graphing writers of Icinga 2 (Graphite, InfluxDB, PNP4Nagios through
// the PerfdataWriter) need to keep series apart.
//
//		'label'=value[UOM];[warn];[crit];[min];[max]
//
//	  - label: any characters but '=', the single quote and control
//	    characters; quoted with single quotes when it holds a space; neither
//	    empty nor padded with spaces.
//	  - value: a number ([-0-9.], no exponent) or U (undetermined), which
//	    takes no unit.
//	  - UOM: none, s, ms, us, %, B, KB, MB, TB or c.
//	  - warn, crit: empty or a range ([@][start:]end, start ~ for -inf);
//	    min, max: empty, a number or U.
//	  - at most five fields; trailing empty ones may be dropped.
//	  - within one output: no label twice, and no two labels that the
//	    writers turn into the same series name (Key).
package perfdata

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Item is one parsed performance data item, its fields as written.
type Item struct {
	Label  string // without the quotes
	Quoted bool
	Value  string // a number or "U"
	UOM    string
	Warn   string
	Crit   string
	Min    string
	Max    string
}

// UOMs are the units of measurement the guidelines allow.
var UOMs = map[string]bool{"": true, "s": true, "ms": true, "us": true, "%": true, "B": true, "KB": true, "MB": true, "TB": true, "c": true}

var (
	number     = regexp.MustCompile(`^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$`)
	valueUOM   = regexp.MustCompile(`^(-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)|U)([a-zA-Z%]*)$`)
	rangeSpec  = regexp.MustCompile(`^@?(?:(~|-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))?:)?(-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))?$`)
	keyUnsafe  = regexp.MustCompile(`[^A-Za-z0-9_-]`)
	labelBadCh = regexp.MustCompile(`[='\x00-\x1f\x7f]`)
)

// Key is the name a graphing writer gives a label's series: Graphite and
// InfluxDB writers replace what their path syntax reserves (space, dot,
// slash, backslash...), PNP4Nagios keeps [A-Za-z0-9_-] in its file
// names. Two labels of one output with the same Key overwrite each other.
func Key(label string) string {
	return keyUnsafe.ReplaceAllString(label, "_")
}

// Output returns the performance data of a whole plugin output as Nagios
// and Icinga 2 split it: what follows the first '|' of the first line,
// and, from the first later line holding a '|', the rest of that line and
// every line after it (multi-line performance data). ok is false when
// there is none. A '|' inside a message therefore turns the message into
// (broken) performance data, which Parse then reports.
func Output(out string) (perf string, ok bool) {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	var parts []string
	if _, p, found := strings.Cut(lines[0], "|"); found {
		ok = true
		parts = append(parts, strings.TrimSpace(p))
	}
	for i := 1; i < len(lines); i++ {
		if _, p, found := strings.Cut(lines[i], "|"); found {
			ok = true
			parts = append(parts, strings.TrimSpace(p))
			for _, l := range lines[i+1:] {
				parts = append(parts, strings.TrimSpace(l))
			}
			break
		}
	}
	return strings.Join(parts, " "), ok
}

// Parse reads a performance data string and returns its items, or every
// way it breaks the rules above.
func Parse(s string) ([]Item, error) {
	var items []Item
	var errs []error
	rest := s
	for {
		rest = strings.TrimLeft(rest, " ")
		if rest == "" {
			break
		}
		var it Item
		var label string
		if strings.HasPrefix(rest, "'") {
			end := strings.Index(rest[1:], "'=")
			if end < 0 {
				errs = append(errs, fmt.Errorf("unterminated quoted label in %q", rest))
				break
			}
			label, rest = rest[1:1+end], rest[1+end+1:]
			it.Quoted = true
		} else {
			eq := strings.IndexByte(rest, '=')
			sp := strings.IndexByte(rest, ' ')
			if eq < 0 || (sp >= 0 && sp < eq) {
				tok := rest
				if sp >= 0 {
					tok = rest[:sp]
				}
				errs = append(errs, fmt.Errorf("%q is not label=value (a label with a space must be quoted)", tok))
				if sp < 0 {
					break
				}
				rest = rest[sp:]
				continue
			}
			label, rest = rest[:eq], rest[eq:]
		}
		rest = strings.TrimPrefix(rest, "=")
		field := rest
		if sp := strings.IndexByte(rest, ' '); sp >= 0 {
			field, rest = rest[:sp], rest[sp:]
		} else {
			rest = ""
		}
		it.Label = label
		errs = append(errs, checkLabel(it)...)
		errs = append(errs, parseFields(&it, field)...)
		items = append(items, it)
	}
	seen := map[string]string{}
	for _, it := range items {
		k := Key(it.Label)
		if prev, ok := seen[k]; ok {
			if prev == it.Label {
				errs = append(errs, fmt.Errorf("label %q appears twice", it.Label))
			} else {
				errs = append(errs, fmt.Errorf("labels %q and %q are one series (%s) for the graphing writers", prev, it.Label, k))
			}
			continue
		}
		seen[k] = it.Label
	}
	return items, errors.Join(errs...)
}

// checkLabel applies the label rules.
func checkLabel(it Item) []error {
	var errs []error
	l := it.Label
	switch {
	case l == "":
		errs = append(errs, fmt.Errorf("empty label"))
	case strings.TrimSpace(l) != l:
		errs = append(errs, fmt.Errorf("label %q starts or ends with a space", l))
	}
	if labelBadCh.MatchString(l) {
		errs = append(errs, fmt.Errorf("label %q holds '=', a single quote or a control character", l))
	}
	return errs
}

// parseFields reads value[UOM];warn;crit;min;max into it.
func parseFields(it *Item, s string) []error {
	var errs []error
	f := strings.Split(s, ";")
	if len(f) > 5 {
		errs = append(errs, fmt.Errorf("%s: %d fields, at most 5", it.Label, len(f)))
	}
	for len(f) < 5 {
		f = append(f, "")
	}
	m := valueUOM.FindStringSubmatch(f[0])
	if m == nil {
		return append(errs, fmt.Errorf("%s: value %q is neither a number nor U", it.Label, f[0]))
	}
	it.Value, it.UOM = m[1], m[2]
	if !UOMs[it.UOM] {
		errs = append(errs, fmt.Errorf("%s: unit %q is not one of the guidelines' (none, s, ms, us, %%, B, KB, MB, TB, c)", it.Label, it.UOM))
	}
	if it.Value == "U" && it.UOM != "" {
		errs = append(errs, fmt.Errorf("%s: U takes no unit (%q)", it.Label, f[0]))
	}
	it.Warn, it.Crit, it.Min, it.Max = f[1], f[2], f[3], f[4]
	for _, r := range []struct{ name, v string }{{"warn", it.Warn}, {"crit", it.Crit}} {
		if r.v != "" && (r.v == "@" || !rangeSpec.MatchString(r.v)) {
			errs = append(errs, fmt.Errorf("%s: %s %q is not a range", it.Label, r.name, r.v))
		}
	}
	for _, b := range []struct{ name, v string }{{"min", it.Min}, {"max", it.Max}} {
		if b.v != "" && b.v != "U" && !number.MatchString(b.v) {
			errs = append(errs, fmt.Errorf("%s: %s %q is not a number (a unit goes on the value only)", it.Label, b.name, b.v))
		}
	}
	return errs
}
