package gtid

import (
	"reflect"
	"testing"
)

func TestParseMariaDB(t *testing.T) {
	got, err := ParseMariaDB(" 0-1-5, 1-2-70 ,")
	want := Pos{{0, 1, 5}, {1, 2, 70}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("ParseMariaDB = %v, %v; want %v", got, err, want)
	}
	if got.String() != "0-1-5,1-2-70" {
		t.Errorf("String() = %q", got.String())
	}
	if got, err := ParseMariaDB(""); err != nil || len(got) != 0 {
		t.Errorf("empty list: %v, %v", got, err)
	}
	for _, bad := range []string{"0-1", "0-1-2-3", "a-1-2", "0--2", "0-1-99999999999999999999", "4294967296-1-1"} {
		if _, err := ParseMariaDB(bad); err == nil {
			t.Errorf("ParseMariaDB(%q) accepted", bad)
		}
	}
}

func TestWithout(t *testing.T) {
	p, _ := ParseMariaDB("1-1-7,2-2-1,0-1-3")
	if got := p.Without(1).String(); got != "2-2-1" {
		t.Errorf("Without(1) = %q", got)
	}
	if got := p.Without(9).String(); got != "1-1-7,2-2-1,0-1-3" {
		t.Errorf("Without(9) = %q", got)
	}
}

func TestMissing(t *testing.T) {
	g := func(s string) Pos {
		l, err := ParseMariaDB(s)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	cases := []struct {
		name            string
		source, applied string
		self            uint32
		want            string
	}{
		{"caught up", "0-1-5", "0-1-5", 11, ""},
		{"behind", "0-1-7", "0-1-5", 11, "0-1-7"},
		{"nothing applied", "0-1-1", "", 11, "0-1-1"},
		{"nothing written", "", "", 11, ""},
		{"ahead by other server in domain", "0-1-5", "0-2-6", 11, ""},
		{"ring: own events come back", "1-1-9,2-2-3", "2-2-3", 1, ""},
		{"ring: other master behind", "1-1-9,2-2-4", "1-1-9,2-2-3", 1, "2-2-4"},
		{"two domains, one behind", "1-1-9,2-2-4", "1-1-8,2-2-4", 11, "1-1-9"},
		{"state keeps older server of a domain", "0-1-3,0-2-6", "0-2-6", 11, ""},
	}
	for _, c := range cases {
		if got := g(c.source).Missing(g(c.applied), c.self).String(); got != c.want {
			t.Errorf("%s: %q.Missing(%q, %d) = %q, want %q", c.name, c.source, c.applied, c.self, got, c.want)
		}
	}
}

func TestNormalizeMySQLSet(t *testing.T) {
	in := "3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5,\n4E11FA47-71CA-11E1-9E33-C80AA9429562:1-3:7 "
	want := "3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5,4E11FA47-71CA-11E1-9E33-C80AA9429562:1-3:7"
	if got := NormalizeMySQLSet(in); got != want {
		t.Errorf("NormalizeMySQLSet = %q, want %q", got, want)
	}
}
