package binlog

import (
	"testing"
	"time"
)

func TestDurationAndBytesText(t *testing.T) {
	for d, want := range map[time.Duration]string{30 * time.Second: "30s", 90 * time.Minute: "1h30m", 26 * time.Hour: "1d2h", 48 * time.Hour: "2d", 0: "0s", 45 * time.Minute: "45m"} {
		if got := DurationText(d); got != want {
			t.Errorf("DurationText(%v) = %q, want %q", d, got, want)
		}
	}
	for b, want := range map[int64]string{512: "512 B", 4096: "4.0 KiB", 3 * (1 << 30) / 2: "1.5 GiB"} {
		if got := bytesText(b); got != want {
			t.Errorf("bytesText(%d) = %q, want %q", b, got, want)
		}
	}
	if !binlogBefore("b.000999", "b.1000000") || binlogBefore("b.000042", "b.000041") {
		t.Error("binlogBefore compares names, not numbers")
	}
}
