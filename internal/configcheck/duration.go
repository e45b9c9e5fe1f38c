package configcheck

import (
	"fmt"
	"time"

	"github.com/replmon/replmon/internal/plugin"
)

// durationFlag is a flag holding a duration as an administrator writes
// it: a Go duration (90m, 36h, 1h30m), or whole days or weeks before one
// (2d, 1w, 1d12h).
type durationFlag struct {
	name string
	d    *time.Duration
}

// Set parses the flag's value.
func (f durationFlag) Set(s string) error {
	d, err := parseDuration(s)
	if err != nil {
		return fmt.Errorf("--%s: %q is not a duration (such as 90m, 36h or 2d)", f.name, s)
	}
	*f.d = d
	return nil
}

// String returns the duration in Go's notation.
func (f durationFlag) String() string {
	if f.d == nil {
		return ""
	}
	return f.d.String()
}

// parseDuration reads a duration as plugin.ParseDuration does.
func parseDuration(s string) (time.Duration, error) { return plugin.ParseDuration(s) }
