package plugin

import (
	"math"
	"strings"
	"testing"
)

func TestParseThresholdAccepts(t *testing.T) {
	cases := []struct {
		in           string
		alert, quiet []float64
	}{
		{"10", []float64{-1, 10.5, 11}, []float64{0, 5, 10}},
		{"10:", []float64{9.9, -5}, []float64{10, 1e9}},
		{"~:10", []float64{10.1}, []float64{-1e9, 10}},
		{"10:20", []float64{9, 21}, []float64{10, 15, 20}},
		{"@10:20", []float64{10, 15, 20}, []float64{9, 21}},
		{"~:", nil, []float64{-1e9, 0, 1e9}},
		{" 60 ", []float64{61}, []float64{60}},
		{"1.5e2", []float64{151}, []float64{150}},
		{"-5:-1", []float64{0, -6}, []float64{-5, -1}},
	}
	for _, c := range cases {
		th, err := ParseThreshold(c.in)
		if err != nil {
			t.Errorf("ParseThreshold(%q): %v", c.in, err)
			continue
		}
		for _, v := range c.alert {
			if !th.Alert(v) {
				t.Errorf("%q: %v should alert", c.in, v)
			}
		}
		for _, v := range c.quiet {
			if th.Alert(v) {
				t.Errorf("%q: %v should not alert", c.in, v)
			}
		}
		if th.String() != strings.TrimSpace(c.in) {
			t.Errorf("%q: String() = %q", c.in, th.String())
		}
	}
}

// TestParseThresholdMissingLowerBound: ":10" is "0:10" as in the
// monitoring-plugins, and perfdata shows the range in that form.
func TestParseThresholdMissingLowerBound(t *testing.T) {
	for in, want := range map[string]string{":10": "0:10", "@:5": "@0:5", ":-1": "0:-1"} {
		th, err := ParseThreshold(in)
		if in == ":-1" {
			if err == nil {
				t.Errorf("%q accepted as %v: 0:-1 is inverted", in, th)
			}
			continue
		}
		if err != nil || th.String() != want {
			t.Fatalf("ParseThreshold(%q) = %v, %v; want %s", in, th, err, want)
		}
	}
	th := MustThreshold(":10")
	if th.Alert(0) || th.Alert(10) || !th.Alert(-1) || !th.Alert(10.5) {
		t.Errorf(":10 does not alert outside 0..10")
	}
}

func TestParseThresholdRejects(t *testing.T) {
	for _, in := range []string{"", " ", "@", "10:5", "NaN", "nan", "inf", "Inf", "1e400", "-1e400",
		"abc", "10:abc", "0x10", "1_000", ":", "@:", "10::20", "~", "5:~", "1e", "--1"} {
		th, err := ParseThreshold(in)
		if err == nil {
			t.Errorf("ParseThreshold(%q) accepted: %+v", in, th)
			continue
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("ParseThreshold(%q): multi-line error %q", in, err)
		}
	}
}

func TestNilThresholdNeverAlerts(t *testing.T) {
	var th *Threshold
	if th.Alert(1e12) || th.String() != "" {
		t.Fatal("a nil threshold must be inert")
	}
}

func TestStatusOrder(t *testing.T) {
	if got := Worst(OK, UNKNOWN, WARNING); got != WARNING {
		t.Errorf("Worst(OK,UNKNOWN,WARNING) = %v", got)
	}
	if got := Worst(UNKNOWN, CRITICAL); got != CRITICAL {
		t.Errorf("Worst(UNKNOWN,CRITICAL) = %v", got)
	}
	if got := Worst(OK, UNKNOWN); got != UNKNOWN {
		t.Errorf("Worst(OK,UNKNOWN) = %v", got)
	}
	if got := Worst(); got != OK {
		t.Errorf("Worst() = %v", got)
	}
	for in, want := range map[string]Status{"ok": OK, "Warning": WARNING, "CRITICAL": CRITICAL, "unknown": UNKNOWN, "crit": CRITICAL} {
		if got, err := ParseStatus(in); err != nil || got != want {
			t.Errorf("ParseStatus(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseStatus("bad"); err == nil {
		t.Error("ParseStatus(bad) accepted")
	}
}

func TestPerfString(t *testing.T) {
	cases := []struct {
		p    Perf
		want string
	}{
		{Perf{Label: "lag", Value: 12, Unit: "s", Warn: MustThreshold("60"), Crit: MustThreshold("@300:600"), Min: Float(0)}, "lag=12s;60;@300:600;0"},
		{Perf{Label: "io running", Value: 1, Min: Float(0), Max: Float(1)}, "'io running'=1;;;0;1"},
		{Perf{Label: "a=b'c", Value: 0.25}, "a_b_c=0.25"},
		{Perf{Label: "relay_log_space", Value: 1234567, Unit: "B"}, "relay_log_space=1234567B"},
		{Perf{Label: "x", Value: 3, Crit: MustThreshold("10")}, "x=3;;10"},
		{Perf{Label: "lag", Value: math.NaN(), Unit: "s", Warn: MustThreshold("60"), Min: Float(0)}, "lag=U;60;;0"},
	}
	for _, c := range cases {
		if got := c.p.String(); got != c.want {
			t.Errorf("Perf.String() = %q, want %q", got, c.want)
		}
	}
}

func TestCanWarn(t *testing.T) {
	for _, c := range []struct {
		w, c string
		want bool
	}{
		{"60", "300", true},
		{"5", "2", false},
		{"5", "5", false},
		{"2", "5", true},
		{"10:", "5:", true},   // alerts below 10, critical below 5: 5..10 warns
		{"10:", "20:", false}, // every value below 10 is below 20
		{"@10:20", "@15:30", true},
		{"@10:20", "@0:30", false},
		{"~:10", "~:20", true},
		{"~:20", "~:10", false},
		{"0:10", "0:10", false},
	} {
		if got := CanWarn(MustThreshold(c.w), MustThreshold(c.c), 0); got != c.want {
			t.Errorf("CanWarn(-w %s, -c %s) = %v, want %v", c.w, c.c, got, c.want)
		}
	}
	if !CanWarn(MustThreshold("5"), nil, 0) {
		t.Error("without a critical range a warning range can fire")
	}
	// Below the minimum nothing counts: -w 5:10 -c 0:10 warns only below 5,
	// which a lag of at least 0 reaches.
	if !CanWarn(MustThreshold("5:10"), MustThreshold("0:10"), 0) || CanWarn(MustThreshold("5:10"), MustThreshold("5:10"), 0) {
		t.Error("CanWarn ignores the minimum")
	}
}
