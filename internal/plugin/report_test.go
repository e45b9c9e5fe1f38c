package plugin

import (
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
