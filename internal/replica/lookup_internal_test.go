package replica

import (
	"strings"
	"testing"
)

// lookup lowers the field table's column names into a 64-byte buffer with
// an ASCII-only mapping; a name outside that would be looked up wrongly.
func TestFieldColumnNamesAreShortASCII(t *testing.T) {
	for _, f := range fields {
		for _, name := range f.columns {
			if len(name) > 64 {
				t.Errorf("column name %q is longer than lookup's 64-byte buffer", name)
			}
			for _, r := range name {
				if r >= 0x80 {
					t.Errorf("column name %q is not ASCII", name)
				}
			}
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
