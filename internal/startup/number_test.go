package startup

import (
	"regexp"
	"testing"
)

// numberRE is the definition IsNumber implements.
var numberRE = regexp.MustCompile(`^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$`)

var numberCases = []string{
	"", "0", "7", "60", "+5", "-5", "1.", ".5", "1.5", "-.5", "+.", ".", "-", "+", "1e3", "1E3", "1e+3", "1e-3",
	"1.5e2", ".5e1", "1.e2", "e3", "1e", "1e+", "1e-", "1e3.5", "0x10", "1_000", "inf", "NaN", "Infinity",
	" 1", "1 ", "1\n", "--1", "+-1", "1..2", "1.2.3", "١", "1e٣", "12a", "a12", "1,5", "~", "@1", "1:2",
}

func TestIsNumberMatchesItsRegexp(t *testing.T) {
	for _, s := range numberCases {
		if got, want := IsNumber(s), numberRE.MatchString(s); got != want {
			t.Errorf("IsNumber(%q) = %v, the regexp says %v", s, got, want)
		}
	}
}

func FuzzIsNumber(f *testing.F) {
	for _, s := range numberCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := IsNumber(s), numberRE.MatchString(s); got != want {
			t.Errorf("IsNumber(%q) = %v, the regexp says %v", s, got, want)
		}
	})
}
