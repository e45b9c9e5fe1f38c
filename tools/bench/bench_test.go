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

func TestParseChecksumBench(t *testing.T) {
	out := `starting a source and 4 replicas...
loaded and replicated in 21.446s
round 1: check_repl_checksum          505ms
round 1: plain CHECKSUM TABLE x5      838ms
round 1: pt-table-checksum            3.829s
round 2: check_repl_checksum          714ms
round 2: plain CHECKSUM TABLE x5      543ms
round 2: pt-table-checksum            4.947s
median check_repl_checksum          588ms
`
	series, order, err := parseChecksumBench(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(order, ","); got != "check_repl_checksum,plain CHECKSUM TABLE x5,pt-table-checksum" {
		t.Fatalf("order %s", got)
	}
	s := series["pt-table-checksum"]
	if len(s.Samples) != 2 || s.Samples[1].Wall != 4947*time.Millisecond {
		t.Errorf("pt-table-checksum samples %+v", s.Samples)
	}
	if _, _, err := parseChecksumBench(strings.NewReader("round 1: x 5 parsecs\n")); err == nil {
		t.Error("a time that does not parse was accepted")
	}
}
