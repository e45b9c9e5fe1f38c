package main

import (
	"os"
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

func TestPerfValues(t *testing.T) {
	out := "REPL_CHECKSUM OK - 1 table compared, cycle 42% done | coverage=42.5%;;;0;100 rows=1200000;;;0 chunks=37;;;0 throttled=0s;;;0 time=4.91s\n" +
		"OK scale.r10M: 1200000 rows, same on 4 replicas\n"
	m, err := perfValues(out)
	if err != nil {
		t.Fatal(err)
	}
	if cov, err := perfNumber(m, "coverage"); err != nil || cov != 42.5 {
		t.Errorf("coverage = %v, %v; want 42.5", cov, err)
	}
	if m["time"] != "4.91s" || m["rows"] != "1200000" {
		t.Errorf("values with units: %v", m)
	}
	if _, err := perfNumber(m, "cycle_age"); err == nil {
		t.Error("a missing label gave no error")
	}
	if _, err := perfValues("REPL_CHECKSUM OK - no perfdata"); err == nil {
		t.Error("an output without performance data gave no error")
	}
}

func TestVerdicts(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{verdictAtLeast("x", 0.9, 0.8, "×"), "x: 0.90× (target ≥ 0.80×): **met**"},
		{verdictAtLeast("x", 0.5, 0.8, "×"), "x: 0.50× (target ≥ 0.80×): **missed**"},
		{verdictBelow("x", 1, 1, "×"), "x: 1.00× (target < 1.00×): **missed**"},
		{verdictBelow("x", 0.4, 1, "×"), "x: 0.40× (target < 1.00×): **met**"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestWithLibraries(t *testing.T) {
	got := withLibraries("/bin/true")
	if got[0] != "/bin/true" {
		t.Fatalf("withLibraries(/bin/true) = %q: the program must come first", got)
	}
	libc := false
	for _, p := range got[1:] {
		if !strings.HasPrefix(p, "/") {
			t.Errorf("library %q is not an absolute path", p)
		}
		libc = libc || strings.Contains(p, "libc.so")
	}
	if !libc {
		t.Errorf("withLibraries(/bin/true) = %q: no libc", got)
	}
}

func TestReadFromDisk(t *testing.T) {
	p := t.TempDir() + "/prog"
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := readFromDisk(p, ""); err != nil {
		t.Fatalf("readFromDisk: %v", err)
	}
	if err := readFromDisk(p + ".missing"); err == nil {
		t.Error("readFromDisk of a missing file: no error")
	}
}
