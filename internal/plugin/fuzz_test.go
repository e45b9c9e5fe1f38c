package plugin

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// refRange is an independent reading of an accepted Nagios range, to check
// the parser's verdicts against.
type refRange struct {
	inside bool    // '@': alert inside [lo, hi]
	lo, hi float64 // bounds; -Inf / +Inf when open
}

func parseRef(t *testing.T, s string) refRange {
	t.Helper()
	r := refRange{lo: 0, hi: math.Inf(1)}
	body := strings.TrimSpace(s)
	if strings.HasPrefix(body, "@") {
		r.inside, body = true, body[1:]
	}
	lo, hi, colon := strings.Cut(body, ":")
	if !colon {
		lo, hi = "0", body
	} else if lo == "" {
		lo = "0" // ":10" is "0:10", as in the monitoring-plugins
	}
	num := func(x string) float64 {
		v, err := strconv.ParseFloat(x, 64)
		if err != nil {
			t.Fatalf("accepted range %q has bound %q that is not a number", s, x)
		}
		return v
	}
	if lo == "~" {
		r.lo = math.Inf(-1)
	} else {
		r.lo = num(lo)
	}
	if hi != "" {
		r.hi = num(hi)
	}
	return r
}

func (r refRange) alert(v float64) bool {
	in := v >= r.lo && v <= r.hi
	if r.inside {
		return in
	}
	return !in
}

// canonical is an accepted range as String gives it back: as written, but
// with a missing lower bound written as 0.
func canonical(s string) string {
	at := strings.HasPrefix(s, "@")
	body := strings.TrimPrefix(s, "@")
	if strings.HasPrefix(body, ":") {
		body = "0" + body
	}
	if at {
		return "@" + body
	}
	return body
}

// FuzzParseThreshold checks that any text either parses into a range that
// behaves as the Nagios guidelines say, or is rejected with one line; it
// never panics.
func FuzzParseThreshold(f *testing.F) {
	for _, s := range []string{"10", "10:", "~:10", "10:20", "@10:20", "~:", " 60 ", "1.5e2", "-5:-1",
		"", "@", "10:5", "NaN", "inf", "1e400", "0x10", "1_000", ":5", "@:", "10::20", "~", "5:~", "--1",
		"@~:0", "+.5:5.", "1e308:1.7976931348623157e308", "\x00", "@@1", "1\n2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		th, err := ParseThreshold(s)
		if err != nil {
			msg := err.Error()
			if msg == "" || strings.ContainsAny(msg, "\r\n") || !strings.Contains(msg, "threshold") {
				t.Fatalf("ParseThreshold(%q): error %q is not one line about the threshold", s, msg)
			}
			if th != nil {
				t.Fatalf("ParseThreshold(%q) returned a range with its error", s)
			}
			return
		}
		if want := canonical(strings.TrimSpace(s)); th.String() != want {
			t.Fatalf("ParseThreshold(%q).String() = %q, want %q", s, th.String(), want)
		}
		ref := parseRef(t, s)
		if ref.lo > ref.hi || math.IsNaN(ref.lo) || math.IsNaN(ref.hi) {
			t.Fatalf("ParseThreshold(%q) accepted the empty or invalid range [%v, %v]", s, ref.lo, ref.hi)
		}
		values := []float64{0, 1, -1, 1e18, -1e18, math.Inf(1), math.Inf(-1)}
		for _, b := range []float64{ref.lo, ref.hi} {
			if !math.IsInf(b, 0) {
				values = append(values, b, math.Nextafter(b, math.Inf(1)), math.Nextafter(b, math.Inf(-1)))
			}
		}
		again, err := ParseThreshold(th.String())
		if err != nil {
			t.Fatalf("ParseThreshold(%q) accepted, but not its String() %q: %v", s, th.String(), err)
		}
		for _, v := range values {
			if got, want := th.Alert(v), ref.alert(v); got != want {
				t.Fatalf("range %q, value %v: alert %v, want %v", s, v, got, want)
			}
			if again.Alert(v) != th.Alert(v) {
				t.Fatalf("range %q and its String() disagree at %v", s, v)
			}
		}
		_ = th.Alert(math.NaN())
	})
}
