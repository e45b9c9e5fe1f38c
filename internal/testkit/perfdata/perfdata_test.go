package perfdata

import (
	"strings"
	"testing"
)

func TestParseAccepts(t *testing.T) {
	for _, s := range []string{
		"",
		"lag=0s;60;300;0",
		"lag=U;60;300;0 io_running=1;;;0;1 read_exec_distance=0B;;;0",
		"time=0.014s;;;0 rows=U;;;0",
		"'lag_site 2'=U;60;300;0 lag_site-2=3s;@10:20;~:5",
		"pct=99.5%;90:;;0;100 c=12c",
		"neg=-1.5;-5:-1;-10:;-20;20",
		"x=1;;;",
		"'a;b'=1",
		"sizes=1KB s2=2MB s3=3TB t1=1ms t2=2us",
	} {
		if _, err := Parse(s); err != nil {
			t.Errorf("Parse(%q): %v", s, err)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for s, want := range map[string]string{
		"lag site2=1":                 "a label with a space must be quoted",
		"lag=1GB":                     `unit "GB" is not one of`,
		"lag=1sec":                    `unit "sec"`,
		"lag=Us":                      "U takes no unit",
		"lag=1e3":                     "neither a number nor U",
		"lag=abc":                     "neither a number nor U",
		"lag=":                        "neither a number nor U",
		"lag=1;1;2;3;4;5":             "at most 5",
		"lag=1;@":                     `warn "@" is not a range`,
		"lag=1;;10:5x":                `crit "10:5x" is not a range`,
		"lag=1;;;0s":                  `min "0s" is not a number`,
		"lag=1;;;0;1B":                `max "1B" is not a number`,
		"lag=1 lag=2":                 `label "lag" appears twice`,
		"lag_a.b=1 lag_a_b=2":         `labels "lag_a.b" and "lag_a_b" are one series (lag_a_b)`,
		"'lag_site 2'=1 lag_site_2=2": `labels "lag_site 2" and "lag_site_2" are one series`,
		"'lag=1":                      "unterminated quoted label",
		"=1":                          "empty label",
		"' lag '=1":                   "starts or ends with a space",
		"'it''s'=1":                   "single quote",
		"checksum 1234 and more":      "is not label=value",
	} {
		_, err := Parse(s)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want an error with %q", s, err, want)
		}
	}
}

func TestOutput(t *testing.T) {
	for out, want := range map[string]string{
		"REPL_IO OK - fine | lag=0s;60;300;0\nOK default channel\n":         "lag=0s;60;300;0",
		"REPL_IO OK - fine\nlong\n":                                         "",
		"X OK - a | a=1\nlong 1\nlong 2 | b=2\nc=3\n":                       "a=1 b=2 c=3",
		"X CRITICAL - error 1062 | a=1\nCRITICAL error: table a|b broken\n": "a=1 b broken",
	} {
		got, ok := Output(out)
		if got != want || ok != (want != "") {
			t.Errorf("Output(%q) = %q, %v; want %q", out, got, ok, want)
		}
	}
	// A '|' in a long-output message becomes broken performance data.
	perf, _ := Output("X CRITICAL - e | a=1\nCRITICAL error: table a|b broken\n")
	if _, err := Parse(perf); err == nil {
		t.Errorf("a '|' in the long output passes as performance data: %q", perf)
	}
}

func TestKey(t *testing.T) {
	for in, want := range map[string]string{"lag": "lag", "lag_site-2": "lag_site-2", "lag_site 2": "lag_site_2", "lag_a.b": "lag_a_b", "x/y": "x_y"} {
		if got := Key(in); got != want {
			t.Errorf("Key(%q) = %q, want %q", in, got, want)
		}
	}
}
