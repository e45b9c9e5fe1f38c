package plugin

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/olorin/nagiosplugin"

	"github.com/replmon/replmon/internal/startup"
)

// Threshold is a Nagios range (https://nagios-plugins.org/doc/guidelines.html#THRESHOLDFORMAT)
// kept together with the text the user wrote, so perfdata can repeat it verbatim.
type Threshold struct {
	raw string
	r   nagiosplugin.Range
}

// ParseThreshold parses a range strictly: empty text, a lone "@", an
// inverted range such as "10:5", NaN, infinities and values that overflow
// a float64 are all rejected.
func ParseThreshold(s string) (*Threshold, error) {
	raw := strings.TrimSpace(s)
	if raw == "" {
		return nil, errors.New("threshold is empty")
	}
	body := strings.TrimPrefix(raw, "@")
	if body == "" {
		return nil, fmt.Errorf("threshold %q has no range after '@'", raw)
	}
	lo, hi, hasColon := strings.Cut(body, ":")
	if !hasColon {
		lo, hi = "", body
	}
	if hasColon && lo != "~" && lo != "" {
		if _, err := parseBound(lo, raw); err != nil {
			return nil, err
		}
	}
	if hasColon && lo == "" {
		return nil, fmt.Errorf("threshold %q has ':' without a lower bound (write 0:N or ~:N)", raw)
	}
	if hi != "" {
		if _, err := parseBound(hi, raw); err != nil {
			return nil, err
		}
	} else if !hasColon {
		return nil, fmt.Errorf("threshold %q is not a range", raw)
	}
	r, err := nagiosplugin.ParseRange(raw)
	if err != nil {
		return nil, fmt.Errorf("threshold %q: lower bound is above upper bound", raw)
	}
	return &Threshold{raw: raw, r: *r}, nil
}

func parseBound(b, raw string) (float64, error) {
	if !startup.IsNumber(b) {
		return 0, fmt.Errorf("threshold %q: %q is not a number", raw, b)
	}
	v, err := strconv.ParseFloat(b, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("threshold %q: %q is out of range", raw, b)
	}
	return v, nil
}

// MustThreshold parses a range known to be valid (defaults in code); it panics otherwise.
func MustThreshold(s string) *Threshold {
	t, err := ParseThreshold(s)
	if err != nil {
		panic(err)
	}
	return t
}

// Alert reports whether v lies outside the range (inside, for "@" ranges).
func (t *Threshold) Alert(v float64) bool {
	if t == nil {
		return false
	}
	return t.r.Check(v)
}

// String returns the range as the user wrote it.
func (t *Threshold) String() string {
	if t == nil {
		return ""
	}
	return t.raw
}

// Set parses s into t, for use as a kingpin flag value.
func (t *Threshold) Set(s string) error {
	p, err := ParseThreshold(s)
	if err != nil {
		return err
	}
	*t = *p
	return nil
}
