package gtid

import (
	"strings"
	"testing"
)

const (
	uA = "3e11fa47-71ca-11e1-9e33-c80aa9429562"
	uB = "4e11fa47-71ca-11e1-9e33-c80aa9429562"
)

func mustSet(t *testing.T, s string) Set {
	t.Helper()
	g, err := ParseMySQL(s)
	if err != nil {
		t.Fatalf("ParseMySQL(%q): %v", s, err)
	}
	return g
}

func TestParseMySQL(t *testing.T) {
	for in, want := range map[string]string{
		"":    "",
		" \n": "",
		"3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5":                                               uA + ":1-5",
		"3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5,\n4E11FA47-71CA-11E1-9E33-C80AA9429562:1-3:7 ": uA + ":1-5," + uB + ":1-3:7",
		"3e11fa4771ca11e19e33c80aa9429562:3:1-2":                                                 uA + ":1-3",
		uB + ":5," + uA + ":9:1-4:6":                                                             uA + ":1-4:6:9," + uB + ":5",
		uA + ":1-3," + uA + ":4-6":                                                               uA + ":1-6",
		uA + ":1-10:3-4:8":                                                                       uA + ":1-10",
		uA + ":1-2:Tag_1:5:tag_1:1-4:x:9":                                                        uA + ":1-2:tag_1:1-5:x:9",
		uA + ":_t:1," + uA + ":1":                                                                uA + ":1:_t:1",
		uA + ":9223372036854775807":                                                              uA + ":9223372036854775807",
	} {
		g, err := ParseMySQL(in)
		if err != nil {
			t.Errorf("ParseMySQL(%q): %v", in, err)
			continue
		}
		if got := g.String(); got != want {
			t.Errorf("ParseMySQL(%q) = %q, want %q", in, got, want)
		}
	}
	for _, bad := range []string{
		uA, uA + ":", uA + ":0", uA + ":5-3", uA + ":1-", uA + ":-1", uA + ":x1-2", uA + ":tag",
		"3e11fa47-71ca-11e1-9e33:1", "zz11fa47-71ca-11e1-9e33-c80aa9429562:1", uA + ":9223372036854775808",
		uA + ":1:" + strings.Repeat("t", 33) + ":1", "3e11fa47x71ca-11e1-9e33-c80aa9429562:1", uA + ":1 2",
	} {
		if g, err := ParseMySQL(bad); err == nil {
			t.Errorf("ParseMySQL(%q) accepted: %q", bad, g)
		}
	}
}

func TestSetArithmetic(t *testing.T) {
	cases := []struct {
		a, b                  string
		union, aMinusB, bMinA string
		aHasB                 bool
	}{
		{uA + ":1-10", uA + ":1-5", uA + ":1-10", uA + ":6-10", "", true},
		{uA + ":1-10", uA + ":3-4:8", uA + ":1-10", uA + ":1-2:5-7:9-10", "", true},
		{uA + ":1-5", uA + ":4-8", uA + ":1-8", uA + ":1-3", uA + ":6-8", false},
		{uA + ":1-5", uB + ":1", uA + ":1-5," + uB + ":1", uA + ":1-5", uB + ":1", false},
		{uA + ":1-5:7-9", uA + ":6", uA + ":1-9", uA + ":1-5:7-9", uA + ":6", false},
		{uA + ":1-5", "", uA + ":1-5", uA + ":1-5", "", true},
		{"", uA + ":1", uA + ":1", "", uA + ":1", false},
		{uA + ":1-5:t:1-2", uA + ":1-5", uA + ":1-5:t:1-2", uA + ":t:1-2", "", true},
		{uA + ":1-3:10-12:20", uA + ":2:11-25", uA + ":1-3:10-25", uA + ":1:3:10", uA + ":13-19:21-25", false},
	}
	for _, c := range cases {
		a, b := mustSet(t, c.a), mustSet(t, c.b)
		if got := a.Union(b).String(); got != c.union {
			t.Errorf("%q ∪ %q = %q, want %q", c.a, c.b, got, c.union)
		}
		if got := a.Subtract(b).String(); got != c.aMinusB {
			t.Errorf("%q − %q = %q, want %q", c.a, c.b, got, c.aMinusB)
		}
		if got := b.Subtract(a).String(); got != c.bMinA {
			t.Errorf("%q − %q = %q, want %q", c.b, c.a, got, c.bMinA)
		}
		if got := a.Contains(b); got != c.aHasB {
			t.Errorf("%q ⊇ %q = %v, want %v", c.a, c.b, got, c.aHasB)
		}
		if !a.Union(b).Contains(a) || !a.Union(b).Contains(b) {
			t.Errorf("the union of %q and %q lacks one of them", c.a, c.b)
		}
	}
	// Operations leave their operands alone.
	a, b := mustSet(t, uA+":1-5"), mustSet(t, uA+":3")
	_ = a.Union(mustSet(t, uA+":6-9"))
	_ = a.Subtract(b)
	if a.String() != uA+":1-5" || b.String() != uA+":3" {
		t.Errorf("operands changed: %q %q", a, b)
	}
	if n := mustSet(t, uA+":1-5:7,"+uB+":10-19").Count(); n != 16 {
		t.Errorf("Count = %d, want 16", n)
	}
	var zero Set
	if !zero.IsEmpty() || zero.String() != "" || !a.Contains(zero) || zero.Contains(a) || !zero.Union(a).Equal(a) {
		t.Error("the zero Set is not the empty set")
	}
	only := mustSet(t, uA+":1-5,"+uB+":1").Only(func(o Origin) bool { return o.UUID == uB })
	if only.String() != uB+":1" || len(only.Origins()) != 1 || only.Origins()[0].String() != uB {
		t.Errorf("Only = %q", only)
	}
	if ivs := mustSet(t, uA+":1-3:5").Intervals(Origin{UUID: uA}); len(ivs) != 2 || ivs[1] != (Interval{5, 5}) {
		t.Errorf("Intervals = %v", ivs)
	}
}

// FuzzMySQLSet: whatever parses prints back to itself, and union,
// difference and containment agree with each other.
func FuzzMySQLSet(f *testing.F) {
	f.Add(uA+":1-5", uA+":3-9")
	f.Add(uA+":1-5:7,"+uB+":2", uB+":1-3")
	f.Add(uA+":1:t:1-4", uA+":t:2")
	f.Add("", uA+":1")
	f.Fuzz(func(t *testing.T, x, y string) {
		a, err1 := ParseMySQL(x)
		b, err2 := ParseMySQL(y)
		if err1 != nil || err2 != nil {
			return
		}
		for _, s := range []Set{a, b} {
			again, err := ParseMySQL(s.String())
			if err != nil || !again.Equal(s) || again.String() != s.String() {
				t.Fatalf("%q does not parse back (%v): %q", s, err, again)
			}
		}
		u, d := a.Union(b), a.Subtract(b)
		if !u.Contains(a) || !u.Contains(b) || !a.Contains(d) {
			t.Fatalf("union/subtract: %q %q -> %q %q", a, b, u, d)
		}
		if !d.Subtract(b).Equal(d) || !d.Union(b).Equal(u) {
			t.Fatalf("a−b must miss b and join it back to a∪b: %q %q", a, b)
		}
		if a.Contains(b) != b.Subtract(a).IsEmpty() || (a.Contains(b) && b.Contains(a)) != a.Equal(b) {
			t.Fatalf("containment: %q %q", a, b)
		}
		if d.Count()+a.Subtract(d).Count() != a.Count() && a.Count() != ^uint64(0) {
			t.Fatalf("counts: %q − %q", a, b)
		}
	})
}
