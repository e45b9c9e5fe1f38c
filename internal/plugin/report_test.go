package plugin

import (
	"fmt"
	"strings"
	"testing"
)

// TestSummaryWithoutSemicolons: the summary line carries no ';' (Nagios
// rewrites it as ':' in the first line of output), whether it comes from
// joining results or from a server's own message; the long output keeps it.
func TestSummaryWithoutSemicolons(t *testing.T) {
	r := NewReport(nil, 0)
	r.Add(CRITICAL, "channel 'a': SQL thread stopped (error 1227: Access denied; you need the SUPER privilege)")
	r.Add(CRITICAL, "channel 'b': IO thread stopped")
	r.Add(OK, "2 channels")
	r.Long("detail; with a semicolon")
	r.Perf(Perf{Label: "lag", Value: 1})
	got := r.Render("X")
	want := "X CRITICAL - channel 'a': SQL thread stopped (error 1227: Access denied, you need the SUPER privilege), " +
		"channel 'b': IO thread stopped | lag=1\ndetail; with a semicolon\n"
	if got != want {
		t.Errorf("Render =\n%q\nwant\n%q", got, want)
	}
	if first, _, _ := strings.Cut(got, "\n"); strings.Contains(first, ";") {
		t.Errorf("summary line holds ';': %q", first)
	}
}

// TestOutputBound: long output is cut at a line boundary so that the whole
// output stays within the bound, with a last line saying how much is left
// out; the summary and perfdata are never cut.
func TestOutputBound(t *testing.T) {
	r := NewReport(nil, 0)
	r.SetOutput(300, false)
	r.Add(OK, "all fine")
	r.Perf(Perf{Label: "n", Value: 100})
	for i := 0; i < 100; i++ {
		r.Long("line %03d is fine", i)
	}
	got := r.Render("X")
	if len(got) > 300 {
		t.Errorf("output of %d bytes, bound 300:\n%s", len(got), got)
	}
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	last := lines[len(lines)-1]
	if lines[0] != "X OK - all fine | n=100" || lines[1] != "line 000 is fine" ||
		last != fmt.Sprintf("... %d more lines not shown: the output is kept within 300 bytes (--full-output shows every line)", 100-(len(lines)-2)) {
		t.Errorf("cut output:\n%s", got)
	}
	r.SetOutput(0, true)
	if got := r.Render("X"); strings.Count(got, "\n") != 101 || !r.Full() {
		t.Errorf("without a bound every line is printed: %d lines", strings.Count(got, "\n"))
	}
}
