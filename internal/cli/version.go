package cli

import (
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
)

// VersionString is what -V prints: "<name> <version>".
func VersionString(name, injected string) string {
	bi, _ := debug.ReadBuildInfo()
	return name + " " + resolveVersion(injected, bi)
}

// resolveVersion picks the version a binary reports: the one set at build
// time (make: -ldflags -X main.version=...), else the main module's version
// Go recorded in the build info (go install ...@v1.2.3, or a plain go build
// in a checkout: the tag of the commit, else a pseudo-version carrying the
// revision), else the VCS revision alone, else "devel" (a build with
// -buildvcs=false outside a module version). bi may be nil.
func resolveVersion(injected string, bi *debug.BuildInfo) string {
	if injected != "" {
		return canonicalVersion(injected)
	}
	if bi == nil {
		return "devel"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return canonicalVersion(v)
	}
	var rev string
	var modified bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	v := "devel-" + rev
	if modified {
		v += "+dirty"
	}
	return v
}

// The patterns are compiled when -V asks for the version, not at start-up:
// a check never pays for them.
var (
	// semverPre matches a release version with a pre-release part:
	// 1.2.0-rc.1, 1.2.0-rc.1+dirty.
	semverPre = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^([0-9]+\.[0-9]+\.[0-9]+)-([0-9A-Za-z.-]+?)((?:\+[0-9A-Za-z.-]+)?)$`)
	})
	// pseudoVersion matches what Go makes of a commit without a tag:
	// 0.0.0-20261202005836-9abefa1f25a8, 1.2.4-0.20261202005836-9abefa1f25a8.
	pseudoVersion = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`-(?:[0-9A-Za-z-]+\.)*[0-9]{14}-[0-9a-f]{12}(?:\+[0-9A-Za-z.-]+)?$`)
	})
)

// canonicalVersion spells a version the way the Debian package does, so
// that -V, the man pages and the .deb agree: no leading "v" (tag v1.2.3 is
// 1.2.3), and a pre-release after "~" (v1.3.0-rc.1 is 1.3.0~rc.1, which
// sorts before 1.3.0). Go pseudo-versions keep their form, minus the "v".
func canonicalVersion(v string) string {
	if len(v) > 1 && v[0] == 'v' && v[1] >= '0' && v[1] <= '9' {
		v = v[1:]
	}
	if pseudoVersion().MatchString(v) {
		return v
	}
	if m := semverPre().FindStringSubmatch(v); m != nil {
		return m[1] + "~" + strings.ReplaceAll(m[2], "-", "~") + m[3]
	}
	return v
}
