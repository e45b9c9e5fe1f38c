package judge

import "testing"

func TestValues(t *testing.T) {
	for _, c := range []struct {
		got, want string
		same      bool
	}{{"ON", "1", true}, {"OFF", "yes", false}, {"ROW", "row", true}, {"1", "01", true}, {"2", "1", false}, {"MIXED", "ROW", false}} {
		if sameValue(c.got, c.want) != c.same {
			t.Errorf("sameValue(%q, %q) != %v", c.got, c.want, c.same)
		}
	}
	for _, s := range []string{"binlog_format", "=ROW", "bad name=1", "x;DROP=1"} {
		if _, err := ParseExpectation(s); err == nil {
			t.Errorf("ParseExpectation(%q) accepted", s)
		}
	}
	if x, err := ParseExpectation(" Binlog_Format = ROW "); err != nil || x != (Expectation{Name: "binlog_format", Value: "ROW"}) {
		t.Errorf("%+v %v", x, err)
	}
}
