package sandbox

import (
	"slices"
	"testing"
)

func TestParseGTIDList(t *testing.T) {
	got, err := parseGTIDList(" 0-1-5, 1-2-70 ,")
	want := []gtid{{0, 1, 5}, {1, 2, 70}}
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("parseGTIDList = %v, %v; want %v", got, err, want)
	}
	if got, err := parseGTIDList(""); err != nil || len(got) != 0 {
		t.Fatalf("empty list = %v, %v", got, err)
	}
	for _, bad := range []string{"0-1", "a-1-2", "0-1-2-3", "0--2"} {
		if _, err := parseGTIDList(bad); err == nil {
			t.Errorf("parseGTIDList(%q) accepted", bad)
		}
	}
}

func TestMissing(t *testing.T) {
	g := func(s string) []gtid {
		l, err := parseGTIDList(s)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	cases := []struct {
		name             string
		source, applied  string
		self             uint32
		wantMissingCount int
	}{
		{"caught up", "0-1-5", "0-1-5", 11, 0},
		{"behind", "0-1-7", "0-1-5", 11, 1},
		{"nothing applied", "0-1-1", "", 11, 1},
		{"nothing written", "", "", 11, 0},
		{"ahead by other server in domain", "0-1-5", "0-2-6", 11, 0},
		{"ring: own events come back", "1-1-9,2-2-3", "2-2-3", 1, 0},
		{"ring: other master behind", "1-1-9,2-2-4", "1-1-9,2-2-3", 1, 1},
		{"two domains, one behind", "1-1-9,2-2-4", "1-1-8,2-2-4", 11, 1},
		{"state keeps older server of a domain", "0-1-3,0-2-6", "0-2-6", 11, 0},
	}
	for _, c := range cases {
		if got := missing(g(c.source), g(c.applied), c.self); len(got) != c.wantMissingCount {
			t.Errorf("%s: missing(%q, %q, %d) = %v, want %d missing", c.name, c.source, c.applied, c.self, got, c.wantMissingCount)
		}
	}
}
