package server

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		version, comment string
		flavor           Flavor
		want             Version
	}{
		{"5.0.95-log", "Source distribution", MySQL, Version{5, 0, 95}},
		{"5.1.73-community", "MySQL Community Server (GPL)", MySQL, Version{5, 1, 73}},
		{"5.5.62-log", "MySQL Community Server (GPL)", MySQL, Version{5, 5, 62}},
		{"5.6.51", "MySQL Community Server (GPL)", MySQL, Version{5, 6, 51}},
		{"5.7.44-log", "MySQL Community Server (GPL)", MySQL, Version{5, 7, 44}},
		{"5.7.44-48-log", "Percona Server (GPL), Release 48, Revision 497f936a373", Percona, Version{5, 7, 44}},
		{"8.0.36-28", "Percona Server (GPL), Release 28, Revision 47601f19", Percona, Version{8, 0, 36}},
		{"8.0.9", "MySQL Community Server - GPL", MySQL, Version{8, 0, 9}},
		{"8.0.36", "MySQL Community Server - GPL", MySQL, Version{8, 0, 36}},
		{"8.4.0", "MySQL Community Server - GPL", MySQL, Version{8, 4, 0}},
		{"  8.0.21  ", "", MySQL, Version{8, 0, 21}},
		{"10.11.6-MariaDB-0+deb12u1-log", "Debian 12", MariaDB, Version{10, 11, 6}},
		{"10.1.48-MariaDB", "mariadb.org binary distribution", MariaDB, Version{10, 1, 48}},
		{"5.5.5-10.1.48-MariaDB", "mariadb.org binary distribution", MariaDB, Version{10, 1, 48}},
		{"5.5.5-10.11.6-MariaDB-log", "", MariaDB, Version{10, 11, 6}},
		{"5.5.68-MariaDB", "MariaDB Server", MariaDB, Version{5, 5, 68}},
		{"11.4.2-MariaDB", "MariaDB Server", MariaDB, Version{11, 4, 2}},
		{"10.10.7", "MariaDB Server", MariaDB, Version{10, 10, 7}},
		// A genuine MySQL 5.5.5 milestone keeps its own number.
		{"5.5.5-m3-log", "MySQL Community Server (GPL)", MySQL, Version{5, 5, 5}},
	}
	for _, tt := range tests {
		id, err := Parse(tt.version, tt.comment)
		if err != nil {
			t.Errorf("Parse(%q, %q): %v", tt.version, tt.comment, err)
			continue
		}
		if id.Flavor != tt.flavor || id.Version != tt.want {
			t.Errorf("Parse(%q, %q) = %v %v, want %v %v", tt.version, tt.comment, id.Flavor, id.Version, tt.flavor, tt.want)
		}
		if id.Raw != tt.version || id.Comment != tt.comment {
			t.Errorf("Parse(%q, %q) kept Raw %q Comment %q", tt.version, tt.comment, id.Raw, id.Comment)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, v := range []string{"", "MariaDB", "8", "8.0", "8.0.", "v8.0.36", "8.x.1", "10.11.6.1", "8.0.123456", "-8.0.1"} {
		if id, err := Parse(v, ""); err == nil {
			t.Errorf("Parse(%q) = %v, want an error", v, id)
		}
	}
}

func TestIdentityString(t *testing.T) {
	tests := []struct {
		id   Identity
		want string
	}{
		{mustParse(t, "10.11.6-MariaDB-0+deb12u1-log", "Debian 12"), "MariaDB 10.11.6"},
		{mustParse(t, "8.0.36", "MySQL Community Server - GPL"), "MySQL 8.0.36"},
		{mustParse(t, "5.7.44-48-log", "Percona Server (GPL), Release 48"), "Percona 5.7.44"},
		{Identity{}, "unknown server"},
	}
	for _, tt := range tests {
		if got := tt.id.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

func TestSameFamily(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"8.0.36", "8.0.21", true},
		{"8.0.36", "8.4.0", false},
		{"5.7.44-log", "5.7.44-48-log Percona", false},
		{"10.11.6-MariaDB", "10.11.9-MariaDB-log", true},
		{"10.1.48-MariaDB", "10.11.6-MariaDB", false}, // 10.1 and 10.11 are different series
		{"10.11.6-MariaDB", "10.11.6", false},         // MariaDB and MySQL never compare
	}
	for _, tt := range tests {
		a := parseLoose(t, tt.a)
		b := parseLoose(t, tt.b)
		if got := a.SameFamily(b); got != tt.want {
			t.Errorf("%v SameFamily %v = %v, want %v", a, b, got, tt.want)
		}
		if got := b.SameFamily(a); got != tt.want {
			t.Errorf("%v SameFamily %v = %v, want %v (not symmetric)", b, a, got, tt.want)
		}
	}
	if (Identity{}).SameFamily(Identity{}) {
		t.Error("two unidentified servers must not count as one family")
	}
}

// parseLoose reads "VERSION [Percona]" so that the table above stays short.
func parseLoose(t *testing.T, s string) Identity {
	t.Helper()
	v, comment, _ := strings.Cut(s, " ")
	return mustParse(t, v, comment)
}

func mustParse(t *testing.T, version, comment string) Identity {
	t.Helper()
	id, err := Parse(version, comment)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestFlavorString(t *testing.T) {
	for f, want := range map[Flavor]string{Unknown: "unknown", MySQL: "MySQL", MariaDB: "MariaDB", Percona: "Percona", Flavor(42): "unknown"} {
		if got := f.String(); got != want {
			t.Errorf("Flavor(%d).String() = %q, want %q", int(f), got, want)
		}
	}
}
