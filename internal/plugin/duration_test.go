package plugin

import (
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"90m": 90 * time.Minute, "36h": 36 * time.Hour, "2d": 48 * time.Hour, "1w": 168 * time.Hour,
		"1d12h": 36 * time.Hour, " 2h30m ": 150 * time.Minute, "0s": 0, "300": 300 * time.Second, "1.5": 1500 * time.Millisecond} {
		if got, err := ParseDuration(in); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"soon", "", "d", "2x", "1d2", "99999999d", "-1d", "2dd", "-5", "NaN", "1e3"} {
		if got, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) = %v, accepted", bad, got)
		}
	}
}
