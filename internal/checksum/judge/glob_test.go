package judge

import (
	"path"
	"testing"
)

func TestMatchGlob(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"*", "", true},
		{"*", "a/b", true},
		{"app*", "app", true},
		{"app*", "app2", true},
		{"app*", "ap", false},
		{"a*b", "a/x/b", true},
		{"a*b*c", "abxbyc", true},
		{"a*b*c", "abxby", false},
		{"?", "/", true},
		{"?", "é", true},
		{"??", "é", false},
		{"log_20[0-9][0-9]", "log_2024", true},
		{"log_20[0-9][0-9]", "log_20x4", false},
		{"[^a]*", "bcd", true},
		{"[!a]*", "abc", false},
		{"[]]", "]", true},
		{"[a-]", "-", true},
		{`\*`, "*", true},
		{`\*`, "x", false},
		{`a\?`, "a?", true},
		{`[\]]`, "]", true},
		{"users", "users", true},
		{"users", "Users", false},
		{"*x", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxy", false},
	}
	for _, tt := range tests {
		if err := checkGlob(tt.pattern); err != nil {
			t.Errorf("checkGlob(%q) = %v", tt.pattern, err)
		}
		if got := matchGlob(tt.pattern, tt.name); got != tt.want {
			t.Errorf("matchGlob(%q, %q) = %v, want %v", tt.pattern, tt.name, got, tt.want)
		}
	}
}

func TestCheckGlobRejects(t *testing.T) {
	for _, p := range []string{"[app", "a[", `a\`, "[]", "[z-a]", "[^]", "[a-", "\xff"} {
		if checkGlob(p) == nil {
			t.Errorf("checkGlob(%q) accepted a malformed pattern", p)
		}
	}
}

// Where no '/' is involved the matcher agrees with path.Match, whose
// semantics users know from the shell.
func TestMatchGlobAgreesWithPathMatch(t *testing.T) {
	patterns := []string{"*", "a*", "*b", "a?c", "[a-c]*", "[^a]?", `\[x`, "a*b*c", "*_[0-9]"}
	names := []string{"", "a", "abc", "ab_c", "b", "[x", "aXbYc", "]", "t_7", "log_12"}
	for _, p := range patterns {
		for _, n := range names {
			want, err := path.Match(p, n)
			if err != nil {
				t.Fatalf("path.Match(%q): %v", p, err)
			}
			if got := matchGlob(p, n); got != want {
				t.Errorf("matchGlob(%q, %q) = %v, path.Match says %v", p, n, got, want)
			}
		}
	}
}
