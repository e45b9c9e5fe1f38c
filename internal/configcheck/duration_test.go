package configcheck

import (
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	if got, err := parseDuration("2d"); err != nil || got != 48*time.Hour {
		t.Errorf("parseDuration(2d) = %v, %v", got, err)
	}
	var d time.Duration
	if err := (durationFlag{"retention-warning", &d}).Set("soon"); err == nil || err.Error() != `--retention-warning: "soon" is not a duration (such as 90m, 36h or 2d)` {
		t.Errorf("error %v", err)
	}
}
