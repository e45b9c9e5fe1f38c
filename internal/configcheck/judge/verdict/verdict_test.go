package verdict

import "testing"

// TestFixString: a fix reads as one sentence, the my.cnf line first.
func TestFixString(t *testing.T) {
	fixes := map[string]Fix{
		"fix: log_bin = mysql-bin in [mysqld] of my.cnf, then restart (the variable is not dynamic)":        {Cnf: "log_bin = mysql-bin", Restart: true},
		"fix: read_only = ON in [mysqld] of my.cnf; SET GLOBAL read_only = ON applies it without a restart": {Cnf: "read_only = ON", Now: "SET GLOBAL read_only = ON"},
		"fix: upgrade": {Advice: "upgrade"},
		"":             {},
	}
	for want, f := range fixes {
		if f.String() != want {
			t.Errorf("%+v: %q, want %q", f, f.String(), want)
		}
	}
}
