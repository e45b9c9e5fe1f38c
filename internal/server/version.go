package server

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is a server release number, compared field by field as integers.
type Version struct {
	Major int // 10 in 10.11.6
	Minor int // 11 in 10.11.6
	Patch int // 6 in 10.11.6
}

// String returns the version as "major.minor.patch".
func (v Version) String() string {
	return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch)
}

// Compare returns -1, 0 or +1 as v is older than, equal to or newer than o.
func (v Version) Compare(o Version) int {
	for _, d := range [3]int{v.Major - o.Major, v.Minor - o.Minor, v.Patch - o.Patch} {
		switch {
		case d < 0:
			return -1
		case d > 0:
			return 1
		}
	}
	return 0
}

// Less reports whether v is an older release than o.
func (v Version) Less(o Version) bool { return v.Compare(o) < 0 }

// AtLeast reports whether v is the given release or a newer one.
func (v Version) AtLeast(major, minor, patch int) bool {
	return v.Compare(Version{major, minor, patch}) >= 0
}

// maxComponent bounds each number so that nothing overflows or wraps.
const maxComponent = 99999

// ParseVersion reads the leading "major.minor.patch" of a version string;
// anything after the patch number (such as "-log") is ignored.
func ParseVersion(s string) (Version, error) {
	var parts [3]int
	rest := s
	for i := range parts {
		if i > 0 {
			if !strings.HasPrefix(rest, ".") {
				return Version{}, fmt.Errorf("version %q: want major.minor.patch", s)
			}
			rest = rest[1:]
		}
		n := 0
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		if n == 0 {
			return Version{}, fmt.Errorf("version %q: want major.minor.patch", s)
		}
		v, err := strconv.Atoi(rest[:n])
		if err != nil || v > maxComponent {
			return Version{}, fmt.Errorf("version %q: number %q out of range", s, rest[:n])
		}
		parts[i] = v
		rest = rest[n:]
	}
	if strings.HasPrefix(rest, ".") {
		// "8.0.36.1" is not a MySQL-family version; refuse rather than guess.
		return Version{}, fmt.Errorf("version %q: more than three numbers", s)
	}
	return Version{parts[0], parts[1], parts[2]}, nil
}
