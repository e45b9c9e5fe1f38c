// Package plugin is the output of a check as Nagios and Icinga read it: the
// four states, threshold ranges, the summary line, long output and
// performance data. It talks to nothing: checks record findings in a
// Report, and internal/cli prints it and exits with its state.
//
// # What comes from github.com/olorin/nagiosplugin, and why the rest is ours
//
// From olorin/nagiosplugin: the Status type and its four values (so the
// exit codes are those every Nagios library uses), the "worst wins" status
// policy, and the range parser and check (Range, ParseRange, Check), which
// implement the monitoring-plugins guidelines' range semantics. Written
// here instead:
//
//   - Threshold wraps a Range with the text the user wrote, so perfdata
//     repeats it verbatim, and parses strictly: olorin panics on an empty
//     text and accepts a lone '@' (alert on 0 and above), "NaN" and
//     "inf", and its errors are not sentences a user can act on.
//   - Report replaces olorin's Check: it is safe for concurrent use
//     (check_repl_checksum records from many goroutines), keeps a stage
//     for the timeout verdict, sends -v detail to stderr, and renders the
//     summary from the results of the worst state only. olorin's Check
//     exits the process itself, which a guaranteed verdict cannot allow.
//   - Perf renders perfdata with the user's ranges as written, U for an
//     unknown value, and labels made safe for every parser; olorin formats
//     ranges from floats.
package plugin
