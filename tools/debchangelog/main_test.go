package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/testkit/clitest"
)

// TestCompareVersions checks the ordering against dpkg's own.
func TestCompareVersions(t *testing.T) {
	versions := []string{"0~1.g1a2b3c4", "0~10.gfff", "0~10.gfff+dirty", "0", "0.1.0", "0.1.0+2.gabc",
		"0.1.0+10.gabc", "0.2.0~rc.1", "0.2.0~rc.1+1.gabc", "0.2.0~rc.2", "0.2.0", "0.10.0", "1.0.0~beta~1",
		"1.0.0", "1.0.0a", "01.0.00"}
	for _, a := range versions {
		for _, b := range versions {
			got := compareVersions(a, b)
			op := "eq"
			if got < 0 {
				op = "lt"
			} else if got > 0 {
				op = "gt"
			}
			if err := exec.Command("dpkg", "--compare-versions", a, op, b).Run(); err != nil {
				t.Errorf("compareVersions(%q, %q) = %d, dpkg disagrees (%s: %v)", a, b, got, op, err)
			}
		}
	}
}

const sample = `# Changelog

Free text before the first section.

## Unreleased

- A change not yet released, whose text is long enough that it has to be
  wrapped onto a second line of the Debian changelog, which stops at 78.
- Another.

## 0.2.0~rc.1 - 2027-02-01

- Release candidate.

## 0.1.0 - 2027-01-15

- First release.
`

func TestRender(t *testing.T) {
	sections, err := parse(sample)
	if err != nil {
		t.Fatal(err)
	}
	when := time.Date(2027, 3, 4, 5, 6, 7, 0, time.UTC)
	const m = "replmon maintainers <maintainers@replmon.invalid>"
	for _, c := range []struct{ version, want string }{
		{"0.2.0~rc.1+3.g1a2b3c4", `replmon-plugins (0.2.0~rc.1+3.g1a2b3c4) UNRELEASED; urgency=medium

  * A change not yet released, whose text is long enough that it has to be
    wrapped onto a second line of the Debian changelog, which stops at 78.
  * Another.

 -- replmon maintainers <maintainers@replmon.invalid>  Thu, 04 Mar 2027 05:06:07 +0000

replmon-plugins (0.2.0~rc.1) unstable; urgency=medium

  * Release candidate.

 -- replmon maintainers <maintainers@replmon.invalid>  Mon, 01 Feb 2027 00:00:00 +0000

replmon-plugins (0.1.0) unstable; urgency=medium

  * First release.

 -- replmon maintainers <maintainers@replmon.invalid>  Fri, 15 Jan 2027 00:00:00 +0000
`},
		{"0.1.0", `replmon-plugins (0.1.0) unstable; urgency=medium

  * First release.

 -- replmon maintainers <maintainers@replmon.invalid>  Fri, 15 Jan 2027 00:00:00 +0000
`},
		// Built before tag v0.2.0~rc.1 exists: the rc section is not history yet.
		{"0.1.0+7.gabcdef0+dirty", `replmon-plugins (0.1.0+7.gabcdef0+dirty) UNRELEASED; urgency=medium

  * A change not yet released, whose text is long enough that it has to be
    wrapped onto a second line of the Debian changelog, which stops at 78.
  * Another.

 -- replmon maintainers <maintainers@replmon.invalid>  Thu, 04 Mar 2027 05:06:07 +0000

replmon-plugins (0.1.0) unstable; urgency=medium

  * First release.

 -- replmon maintainers <maintainers@replmon.invalid>  Fri, 15 Jan 2027 00:00:00 +0000
`},
	} {
		got, err := render(sections, c.version, m, when)
		if err != nil {
			t.Errorf("%s: %v", c.version, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s:\n--- got\n%s--- want\n%s", c.version, got, c.want)
		}
		parseChangelog(t, got, c.version)
	}
	if _, err := render(sections, "0.3.0", m, when); err == nil || !strings.Contains(err.Error(), `CHANGELOG.md has no section for release 0.3.0: add "## 0.3.0 - YYYY-MM-DD" before tagging`) {
		t.Errorf("a release without its section: %v", err)
	}
}

func TestParseRejects(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"## Unreleased\n\nA paragraph.\n", `CHANGELOG.md:3: "A paragraph." is not a list item`},
		{"## Unreleased\n\n### Added\n", `CHANGELOG.md:3: "### Added" is not a list item`},
		{"## 0.1.0\n", `CHANGELOG.md:1: "## 0.1.0" is neither "## Unreleased" nor "## X.Y.Z - YYYY-MM-DD"`},
		{"## v0.1.0 - 2027-01-15\n", `CHANGELOG.md:1: "## v0.1.0 - 2027-01-15" is neither`},
		{"## 0.1.0 - 2027-01-15\n## Unreleased\n", `CHANGELOG.md:2: Unreleased must be the first section`},
		{"## 0.1.0 - 2027-01-15\n## 0.2.0 - 2027-02-15\n", `CHANGELOG.md:2: 0.2.0 is not older than 0.1.0 above it`},
		{"## 0.1.0 - 2027-02-30\n", `CHANGELOG.md:1: parsing time`},
		{"# Changelog\n", `CHANGELOG.md has no section`},
	} {
		if _, err := parse(c.text); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("parse(%q): %v, want an error with %q", c.text, err, c.want)
		}
	}
}

// TestShippedChangelog renders the repository's CHANGELOG.md for a
// development build and checks dpkg reads the result.
func TestShippedChangelog(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(clitest.Root(t), "CHANGELOG.md"))
	if err != nil {
		t.Fatal(err)
	}
	sections, err := parse(string(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := render(sections, "0~1.g1a2b3c4", "replmon maintainers <maintainers@replmon.invalid>", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	parseChangelog(t, out, "0~1.g1a2b3c4")
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "  ") && len(line) > 80 {
			t.Errorf("change line longer than 80 columns (lintian: debian-changelog-line-too-long): %q", line)
		}
	}
}

// parseChangelog checks that dpkg-parsechangelog reads text and finds
// version on top.
func parseChangelog(t *testing.T, text, version string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "changelog")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("dpkg-parsechangelog", "-l", path, "-S", "Version").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != version {
		t.Errorf("dpkg-parsechangelog: %q, %v; want version %s", out, err, version)
	}
	if out, err := exec.Command("dpkg-parsechangelog", "-l", path, "--all").CombinedOutput(); err != nil || strings.Contains(string(out), "warning") {
		t.Errorf("dpkg-parsechangelog --all: %v\n%s", err, out)
	}
}
