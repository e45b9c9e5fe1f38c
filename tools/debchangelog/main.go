// Command debchangelog turns CHANGELOG.md into the Debian changelog of the
// package (/usr/share/doc/replmon-plugins/changelog.gz, for a native
// package), whose newest entry carries the version being built:
//
//	go run ./tools/debchangelog -version 1.2.3 -maintainer 'Name <a@b.c>' -date UNIX < CHANGELOG.md
//
// CHANGELOG.md has a "## Unreleased" section and one "## X.Y.Z - YYYY-MM-DD"
// section per release, newest first, each a list of "- " items (continued
// by indented lines); anything else after the first "## " is an error, so
// no text is silently dropped. A release version must have its section; any
// other version (1.2.3+4.g1a2b3c4, 0~17.g1a2b3c4, +dirty) gets the
// Unreleased items as an UNRELEASED entry above the releases before it.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// pkg is the Debian package the changelog belongs to.
const pkg = "replmon-plugins"

func main() {
	version := flag.String("version", "", "the package version being built (required)")
	maintainer := flag.String("maintainer", "", `the Maintainer field, "Name <address>" (required)`)
	date := flag.String("date", "", "Unix time of the build's commit, for the unreleased entry (default: now)")
	flag.Parse()
	when := time.Now()
	if *date != "" {
		secs, err := strconv.ParseInt(*date, 10, 64)
		if err != nil {
			fail(fmt.Errorf("-date %q is not a Unix time", *date))
		}
		when = time.Unix(secs, 0)
	}
	if *version == "" || *maintainer == "" {
		fail(fmt.Errorf("-version and -maintainer are required"))
	}
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(err)
	}
	sections, err := parse(string(in))
	if err != nil {
		fail(err)
	}
	out, err := render(sections, *version, *maintainer, when)
	if err != nil {
		fail(err)
	}
	os.Stdout.WriteString(out)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "debchangelog:", err)
	os.Exit(1)
}

// section is one "## ..." part of CHANGELOG.md.
type section struct {
	version string    // empty for Unreleased
	date    time.Time // of a release
	items   []string  // one string per item, lines joined
}

var (
	releaseHeading = regexp.MustCompile(`^## ([0-9]+\.[0-9]+\.[0-9]+(?:~[0-9A-Za-z.~]+)?) - ([0-9]{4}-[0-9]{2}-[0-9]{2})$`)
	// release matches a version that must have its own section: a tag's.
	release = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+(?:~[0-9A-Za-z.~]+)?$`)
)

// parse reads CHANGELOG.md: the text before the first "## " is free.
func parse(text string) ([]section, error) {
	var out []section
	var cur *section
	for n, line := range strings.Split(text, "\n") {
		where := fmt.Sprintf("CHANGELOG.md:%d", n+1)
		line = strings.TrimRight(line, " \t\r")
		switch {
		case strings.HasPrefix(line, "## "):
			s := section{}
			if line == "## Unreleased" {
				if len(out) > 0 {
					return nil, fmt.Errorf("%s: Unreleased must be the first section", where)
				}
			} else if m := releaseHeading.FindStringSubmatch(line); m != nil {
				d, err := time.Parse("2006-01-02", m[2])
				if err != nil {
					return nil, fmt.Errorf("%s: %v", where, err)
				}
				s.version, s.date = m[1], d
				if prev := lastRelease(out); prev != nil && compareVersions(prev.version, s.version) <= 0 {
					return nil, fmt.Errorf("%s: %s is not older than %s above it: newest release first", where, s.version, prev.version)
				}
			} else {
				return nil, fmt.Errorf(`%s: %q is neither "## Unreleased" nor "## X.Y.Z - YYYY-MM-DD" (the package's spelling of the version, e.g. 1.3.0~rc.1)`, where, line)
			}
			out = append(out, s)
			cur = &out[len(out)-1]
		case cur == nil || line == "":
		case strings.HasPrefix(line, "- "):
			cur.items = append(cur.items, strings.TrimSpace(line[2:]))
		case strings.HasPrefix(line, "  ") && len(cur.items) > 0:
			cur.items[len(cur.items)-1] += " " + strings.TrimSpace(line)
		default:
			return nil, fmt.Errorf("%s: %q is not a list item (\"- \") or its indented continuation", where, line)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("CHANGELOG.md has no section")
	}
	return out, nil
}

func lastRelease(s []section) *section {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i].version != "" {
			return &s[i]
		}
	}
	return nil
}

// render writes the Debian changelog for a build of version.
func render(sections []section, version, maintainer string, when time.Time) (string, error) {
	var entries []section
	for i, s := range sections {
		if s.version == version {
			entries = sections[i:]
			break
		}
	}
	if entries == nil {
		if release.MatchString(version) {
			return "", fmt.Errorf("CHANGELOG.md has no section for release %s: add \"## %s - YYYY-MM-DD\" before tagging (docs/RELEASING.md)", version, version)
		}
		dev := section{date: when}
		if sections[0].version == "" {
			dev.items = sections[0].items
		}
		if len(dev.items) == 0 {
			dev.items = []string{"Development build; CHANGELOG.md notes no change since the last release."}
		}
		entries = []section{dev}
		for _, s := range sections {
			// Releases not older than this build (a section written
			// before its tag) are not in its history yet.
			if s.version != "" && compareVersions(s.version, version) < 0 {
				entries = append(entries, s)
			}
		}
		entries[0].version = version
	}
	var b strings.Builder
	for i, e := range entries {
		if i > 0 {
			b.WriteString("\n")
		}
		dist := "unstable"
		if i == 0 && !release.MatchString(e.version) {
			dist = "UNRELEASED"
		}
		fmt.Fprintf(&b, "%s (%s) %s; urgency=medium\n\n", pkg, e.version, dist)
		if len(e.items) == 0 {
			e.items = []string{"No change noted."}
		}
		for _, it := range e.items {
			b.WriteString(wrap(it, "  * ", "    ", 78))
		}
		fmt.Fprintf(&b, "\n -- %s  %s\n", maintainer, e.date.UTC().Format(time.RFC1123Z))
	}
	return b.String(), nil
}

// wrap fills text into lines of at most width columns (a longer word gets
// a line of its own), the first starting with first, the others with rest.
func wrap(text, first, rest string, width int) string {
	var b strings.Builder
	line := first
	empty := true
	for _, w := range strings.Fields(text) {
		if !empty && len(line)+1+len(w) > width {
			b.WriteString(line + "\n")
			line, empty = rest, true
		}
		if !empty {
			line += " "
		}
		line += w
		empty = false
	}
	b.WriteString(line + "\n")
	return b.String()
}

// compareVersions orders two Debian upstream versions as dpkg does (no
// epoch or revision: the package is native): negative, 0 or positive.
func compareVersions(a, b string) int {
	// order ranks a non-digit character: '~' before the end of the string,
	// which comes before letters, which come before other characters.
	order := func(s string, i int) int {
		if i >= len(s) {
			return 0
		}
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			return 0
		case c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z':
			return int(c)
		case c == '~':
			return -1
		default:
			return int(c) + 256
		}
	}
	digit := func(s string, i int) bool { return i < len(s) && s[i] >= '0' && s[i] <= '9' }
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		for (i < len(a) && !digit(a, i)) || (j < len(b) && !digit(b, j)) {
			if ac, bc := order(a, i), order(b, j); ac != bc {
				return ac - bc
			}
			i, j = i+1, j+1
		}
		for i < len(a) && a[i] == '0' {
			i++
		}
		for j < len(b) && b[j] == '0' {
			j++
		}
		first := 0
		for digit(a, i) && digit(b, j) {
			if first == 0 {
				first = int(a[i]) - int(b[j])
			}
			i, j = i+1, j+1
		}
		if digit(a, i) {
			return 1
		}
		if digit(b, j) {
			return -1
		}
		if first != 0 {
			return first
		}
	}
	return 0
}
