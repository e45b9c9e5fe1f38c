package plugin

import (
	"errors"
	"fmt"
	"math"
	"sort"
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

// ParseThreshold parses a range as the monitoring-plugins do (":10" is
// "0:10") but strictly: empty text, a lone "@" or ":", an inverted range
// such as "10:5", NaN, infinities and values that overflow a float64 are
// all rejected.
func ParseThreshold(s string) (*Threshold, error) {
	raw := strings.TrimSpace(s)
	if raw == "" {
		return nil, errors.New("threshold is empty")
	}
	inside := strings.HasPrefix(raw, "@")
	body := strings.TrimPrefix(raw, "@")
	if body == "" {
		return nil, fmt.Errorf("threshold %q has no range after '@'", raw)
	}
	lo, hi, hasColon := strings.Cut(body, ":")
	if !hasColon {
		lo, hi = "", body
	}
	if hasColon && lo == "" && hi == "" {
		return nil, fmt.Errorf("threshold %q has no bounds", raw)
	}
	if hasColon && lo == "" {
		// The monitoring-plugins read a missing lower bound as 0.
		lo = "0"
		body = lo + ":" + hi
		raw = body
		if inside {
			raw = "@" + body
		}
	}
	if hasColon && lo != "~" {
		if _, err := parseBound(lo, raw); err != nil {
			return nil, err
		}
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

// CanWarn reports whether some value of at least min (lag is never
// negative) alerts on warn without alerting on crit: without one, a check
// judged with these ranges can never end WARNING. Ranges are unions of
// intervals bounded by their numbers, so the bounds, the values just beside
// them and the points between them cover every case.
func CanWarn(warn, crit *Threshold, min float64) bool {
	if warn == nil {
		return false
	}
	var bounds []float64
	for _, t := range []*Threshold{warn, crit} {
		if t == nil || t.raw == "" {
			continue
		}
		for _, b := range []float64{t.r.Start, t.r.End} {
			if !math.IsInf(b, 0) && !math.IsNaN(b) {
				bounds = append(bounds, b)
			}
		}
	}
	bounds = append(bounds, min)
	sort.Float64s(bounds)
	candidates := []float64{math.MaxFloat64, -math.MaxFloat64}
	for i, b := range bounds {
		candidates = append(candidates, b, math.Nextafter(b, math.Inf(1)), math.Nextafter(b, math.Inf(-1)))
		if i > 0 {
			candidates = append(candidates, bounds[i-1]/2+b/2)
		}
	}
	for _, v := range candidates {
		if v >= min && warn.Alert(v) && !crit.Alert(v) {
			return true
		}
	}
	return false
}
