package plugin

import (
	"strconv"
	"strings"
	"time"
)

// ParseDuration reads a duration as an administrator writes it: a Go
// duration (90m, 36h, 1h30m), whole days or weeks before one (2d, 1w,
// 1d12h), or a bare number of seconds (300).
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseFloat(s, 64); err == nil && n >= 0 && n < 1e9 && !strings.ContainsAny(s, "eEnN") {
		return time.Duration(n * float64(time.Second)), nil
	}
	var total time.Duration
	if i := strings.IndexAny(s, "dw"); i > 0 {
		n, err := strconv.ParseUint(s[:i], 10, 16)
		if err != nil {
			return 0, err
		}
		unit := 24 * time.Hour
		if s[i] == 'w' {
			unit *= 7
		}
		total, s = time.Duration(n)*unit, s[i+1:]
		if s == "" {
			return total, nil
		}
	}
	d, err := time.ParseDuration(s)
	return total + d, err
}
