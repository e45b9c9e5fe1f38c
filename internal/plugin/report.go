package plugin

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// Report collects what a check found. It is safe for concurrent use.
type Report struct {
	mu      sync.Mutex
	results []result
	long    []string
	perf    []Perf
	stage   string
	// unreachable is the state of a server that cannot be reached
	// (--unreachable); CRITICAL unless set.
	unreachable *Status
	// limit bounds the whole output in bytes (0: no bound); full asks the
	// checks to list what is fine too, not only count it (--full-output).
	limit   int
	full    bool
	debug   io.Writer
	verbose int
}

type result struct {
	status Status
	text   string
}

// NewReport returns an empty report; detail at or below verbosity goes to debug.
func NewReport(debug io.Writer, verbosity int) *Report {
	if debug == nil {
		debug = io.Discard
	}
	return &Report{debug: debug, verbose: verbosity}
}

// Add records a result. The summary line is made of the texts of the
// results that carry the final (worst) state.
func (r *Report) Add(s Status, format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.results = append(r.results, result{s, fmt.Sprintf(format, args...)})
}

// Long appends one line of long output (one per channel, table or server).
func (r *Report) Long(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.long = append(r.long, fmt.Sprintf(format, args...))
}

// Perf appends performance data.
func (r *Report) Perf(p ...Perf) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.perf = append(r.perf, p...)
}

// Stage names what the check is doing now; a timeout verdict repeats it.
func (r *Report) Stage(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	r.mu.Lock()
	r.stage = s
	r.mu.Unlock()
	r.Debugf(1, "stage: %s", s)
}

// CurrentStage returns the last stage set.
func (r *Report) CurrentStage() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stage
}

// DefaultLimit bounds a plugin's whole output by default: 8 KiB, what every
// Nagios, Icinga 2 and NRPE version carries (NRPE cuts at 64 KiB, older
// Nagios at 8 KiB) without cutting a line in the middle.
const DefaultLimit = 8 << 10

// SetOutput sets the bound of the whole output in bytes (0: none) and
// whether checks list every line (--full-output) or count what is fine.
func (r *Report) SetOutput(limit int, full bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.limit, r.full = limit, full
}

// Full reports whether the checks should list what is fine line by line
// (--full-output) instead of counting it.
func (r *Report) Full() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.full
}

// SetUnreachable sets the state a check gives a server that refuses the
// connection or does not complete the handshake in time (--unreachable).
func (r *Report) SetUnreachable(s Status) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.unreachable = &s
}

// Unreachable returns the state of a server that cannot be reached:
// CRITICAL unless --unreachable said otherwise.
func (r *Report) Unreachable() Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.unreachable == nil {
		return CRITICAL
	}
	return *r.unreachable
}

// Debugf writes detail to stderr when -v was given at least level times.
func (r *Report) Debugf(level int, format string, args ...any) {
	if r.verbose < level {
		return
	}
	line := fmt.Sprintf(format, args...)
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintln(r.debug, line)
}

// Warn writes a warning line to stderr whatever the verbosity (for example
// an option file others can read); it never reaches the plugin output.
func (r *Report) Warn(format string, args ...any) {
	line := fmt.Sprintf(format, args...)
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintln(r.debug, "warning: "+line)
}

// Verbosity returns how many times -v was given.
func (r *Report) Verbosity() int { return r.verbose }

// Status returns the worst state recorded; UNKNOWN when nothing was recorded.
func (r *Report) Status() Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status()
}

func (r *Report) status() Status {
	if len(r.results) == 0 {
		return UNKNOWN
	}
	w := OK
	for _, res := range r.results {
		if Worse(res.status, w) {
			w = res.status
		}
	}
	return w
}

// Render returns the complete plugin output for the named check:
// "NAME STATE - summary | perfdata" and then the long output lines.
func (r *Report) Render(name string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.status()
	var texts []string
	for _, res := range r.results {
		if res.status == st {
			texts = append(texts, res.text)
		}
	}
	summary := strings.Join(texts, ", ")
	if len(r.results) == 0 {
		summary = "no result"
	}
	var b strings.Builder
	b.WriteString(name + " " + st.String() + " - " + summaryText(summary))
	if len(r.perf) > 0 {
		b.WriteString(" |")
		for _, p := range r.perf {
			b.WriteString(" " + p.String())
		}
	}
	b.WriteString("\n")
	for i, l := range r.long {
		line := oneLine(l) + "\n"
		if note := cutNote(len(r.long)-i, r.limit); r.limit > 0 && b.Len()+len(line)+len(note) > r.limit {
			b.WriteString(note)
			break
		}
		b.WriteString(line)
	}
	return b.String()
}

// cutNote ends long output cut at the output bound of limit bytes.
func cutNote(n, limit int) string {
	return fmt.Sprintf("... %d more lines not shown: the output is kept within %d bytes (--full-output shows every line)\n", n, limit)
}

// summaryText is the summary as every Nagios, Icinga 2 and NRPE version
// stores it: on one line, and without ';', which Nagios rewrites as ':' in
// the first line of plugin output. Results are joined with ", " and a ';'
// in a server's message becomes ','.
func summaryText(s string) string {
	return strings.ReplaceAll(oneLine(s), ";", ",")
}

// oneLine keeps a message on one line and out of the perfdata: newlines
// become spaces and '|' (the perfdata separator) becomes '/'.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n|") {
		return strings.TrimSpace(s)
	}
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "|", "/").Replace(s)
	return strings.TrimSpace(s)
}

// TimedOut returns the verdict of a run that hit -t: "timed out after
// LIMIT while STAGE" with the state -t gave (UNKNOWN by default), and the
// long output gathered so far.
func (r *Report) TimedOut(limit time.Duration, state Status) *Report {
	t := NewReport(io.Discard, 0)
	r.mu.Lock()
	t.long = append([]string(nil), r.long...)
	stage := r.stage
	r.mu.Unlock()
	if stage == "" {
		stage = "starting"
	}
	t.Add(state, "timed out after %s while %s", limit, stage)
	return t
}
