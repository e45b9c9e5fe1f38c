package configcheck

import (
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"90m": 90 * time.Minute, "36h": 36 * time.Hour, "2d": 48 * time.Hour, "1w": 168 * time.Hour,
		"1d12h": 36 * time.Hour, " 2h30m ": 150 * time.Minute, "0s": 0} {
		if got, err := parseDuration(in); err != nil || got != want {
			t.Errorf("parseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"soon", "", "d", "2x", "1d2", "99999999d", "-1d", "2dd"} {
		if got, err := parseDuration(bad); err == nil {
			t.Errorf("parseDuration(%q) = %v, accepted", bad, got)
		}
	}
	var d time.Duration
	if err := (durationFlag{"retention-warning", &d}).Set("soon"); err == nil || err.Error() != `--retention-warning: "soon" is not a duration (such as 90m, 36h or 2d)` {
		t.Errorf("error %v", err)
	}
}
