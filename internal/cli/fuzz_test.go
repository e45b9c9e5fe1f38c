package cli

import (
	"strings"
	"testing"
	"time"
)

// FuzzParseTimeout checks that -t either gives a positive duration of at
// most a day or a one-line error, whatever the text.
func FuzzParseTimeout(f *testing.F) {
	for _, s := range []string{"10", "0.5", "1500ms", "2m", "", "0", "-3", "1e9", "86400", "86401", "24h1ns", "abc", "1e-12", "NaN", "10s10"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseTimeout(s)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\r\n") || !strings.Contains(err.Error(), "timeout") {
				t.Fatalf("ParseTimeout(%q): error %q is not one line about the timeout", s, err)
			}
			return
		}
		if d <= 0 || d > 24*time.Hour {
			t.Fatalf("ParseTimeout(%q) = %v, want within (0, 24h]", s, d)
		}
	})
}
