package replica

import (
	"strings"
	"testing"
)

// lookup lowers the field table's column names with an ASCII-only
// mapping; a name it lowered differently from strings.ToLower (the index's
// keys) would never be found.
func TestFieldColumnNamesLowerAsStringsDoes(t *testing.T) {
	for _, f := range fields {
		for _, name := range f.columns {
			if got, want := string(lowerASCII(nil, name)), strings.ToLower(name); got != want {
				t.Errorf("lowerASCII(%q) = %q, strings.ToLower gives %q", name, got, want)
			}
		}
	}
}

func TestLowerNames(t *testing.T) {
	names := []string{"Slave_IO_State", "", "master_host", "Ünïcode_Ä", "SQL_Delay", "ÉTAT"}
	got := lowerNames(names)
	if len(got) != len(names) {
		t.Fatalf("lowerNames returned %d names for %d", len(got), len(names))
	}
	for i, name := range names {
		if want := strings.ToLower(name); got[i] != want {
			t.Errorf("lowerNames(...)[%d] = %q, strings.ToLower gives %q", i, got[i], want)
		}
	}
}
