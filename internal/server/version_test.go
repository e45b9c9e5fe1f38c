package server

import "testing"

func TestVersionOrder(t *testing.T) {
	// Each version is older than every one after it.
	ordered := []Version{
		{5, 0, 95}, {5, 1, 73}, {5, 5, 5}, {5, 7, 9}, {5, 7, 44},
		{8, 0, 9}, {8, 0, 14}, {8, 0, 21}, {8, 0, 22}, {8, 0, 100},
		{8, 4, 0}, {10, 1, 48}, {10, 5, 1}, {10, 5, 2}, {10, 10, 0}, {10, 11, 6}, {11, 4, 2},
	}
	for i := range ordered {
		for j := range ordered {
			a, b := ordered[i], ordered[j]
			if got, want := a.Less(b), i < j; got != want {
				t.Errorf("%v.Less(%v) = %v, want %v", a, b, got, want)
			}
			if got, want := a.AtLeast(b.Major, b.Minor, b.Patch), i >= j; got != want {
				t.Errorf("%v.AtLeast(%v) = %v, want %v", a, b, got, want)
			}
		}
	}
}

func TestParseVersion(t *testing.T) {
	tests := []struct {
		in   string
		want Version
		ok   bool
	}{
		{"8.0.36", Version{8, 0, 36}, true},
		{"10.11.6-MariaDB-0+deb12u1-log", Version{10, 11, 6}, true},
		{"5.7.44-48-log", Version{5, 7, 44}, true},
		{"8.0.36a", Version{8, 0, 36}, true},
		{"99999.0.0", Version{99999, 0, 0}, true},
		{"100000.0.0", Version{}, false},
		{"8.0", Version{}, false},
		{"8..1", Version{}, false},
		{"8.0.36.1", Version{}, false},
		{" 8.0.36", Version{}, false}, // Parse trims; ParseVersion reads what it is given
	}
	for _, tt := range tests {
		got, err := ParseVersion(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseVersion(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
		if tt.ok {
			if back, _ := ParseVersion(got.String()); back != got {
				t.Errorf("%v does not survive String and ParseVersion", got)
			}
		}
	}
}
