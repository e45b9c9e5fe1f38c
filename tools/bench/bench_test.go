package main

import (
	"strings"
	"testing"
	"time"
)

func TestQuantile(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		var out []time.Duration
		for _, x := range v {
			out = append(out, time.Duration(x)*time.Millisecond)
		}
		return out
	}
	for _, tc := range []struct {
		sorted []time.Duration
		q      float64
		want   time.Duration
	}{
		{ms(5), 0.5, 5 * time.Millisecond},
		{ms(1, 2, 3), 0.5, 2 * time.Millisecond},
		{ms(1, 2, 3, 4), 0.5, 2500 * time.Microsecond},
		{ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), 0.9, 10 * time.Millisecond},
		{ms(1, 2, 3), 1, 3 * time.Millisecond},
		{nil, 0.5, 0},
	} {
		if got := quantile(tc.sorted, tc.q); got != tc.want {
			t.Errorf("quantile(%v, %v) = %v, want %v", tc.sorted, tc.q, got, tc.want)
		}
	}
}

func TestSplice(t *testing.T) {
	fresh := splice("", "figures\n")
	if !strings.HasPrefix(fresh, "# Benchmarks\n\n"+beginMarker+"\nfigures\n"+endMarker+"\n") {
		t.Errorf("new document:\n%s", fresh)
	}
	doc := "# Benchmarks\n\nintro\n\n" + beginMarker + "\nold\n" + endMarker + "\n\n## Optimisation log\n\nkept\n"
	got := splice(doc, "new\n")
	want := "# Benchmarks\n\nintro\n\n" + beginMarker + "\nnew\n" + endMarker + "\n\n## Optimisation log\n\nkept\n"
	if got != want {
		t.Errorf("splice kept the wrong text:\n%s", got)
	}
	if again := splice(got, "new\n"); again != got {
		t.Errorf("splice is not idempotent:\n%s", again)
	}
}
