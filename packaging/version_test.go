// Package packaging holds no code: its tests check the files the Debian
// package is built from (the version script, the copyright file).
package packaging

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/testkit/clitest"
)

// TestVersionOrder walks a repository through a project's life and checks
// what packaging/version prints at each step, and that dpkg orders every
// step after the one before: untagged commits by their count, then
// releases, a pre-release before its release, commits after a tag.
func TestVersionOrder(t *testing.T) {
	script := filepath.Join(clitest.Root(t), "packaging", "version")
	dir := t.TempDir()
	clitest.Git(t, dir, "init", "-q")
	version := func() string {
		cmd := exec.Command("bash", script)
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("packaging/version: %v", err)
		}
		return strings.TrimSpace(string(out))
	}
	if v := version(); v != "" {
		t.Errorf("before the first commit: %q, want nothing", v)
	}
	commit := func(msg string) string {
		if err := os.WriteFile(filepath.Join(dir, "f"), []byte(msg), 0o644); err != nil {
			t.Fatal(err)
		}
		clitest.Git(t, dir, "add", "f")
		clitest.Git(t, dir, "commit", "-q", "-m", msg)
		return clitest.Git(t, dir, "rev-parse", "--short=7", "HEAD")
	}

	var steps []string
	step := func(what, want string) {
		t.Helper()
		got := version()
		if !regexp.MustCompile(`^` + want + `$`).MatchString(got) {
			t.Errorf("%s: %q, want %s", what, got, want)
		}
		if len(steps) > 0 {
			prev := steps[len(steps)-1]
			if err := exec.Command("dpkg", "--compare-versions", got, "gt", prev).Run(); err != nil {
				t.Errorf("%s: dpkg does not order %q after %q (%v)", what, got, prev, err)
			}
		}
		steps = append(steps, got)
	}
	h := commit("one")
	step("first commit", `0~1\.g`+h)
	// A hash that sorts lower must not make a newer commit older.
	for i := 2; i <= 10; i++ {
		h = commit(strings.Repeat("x", i))
		step("commit", `0~`+regexp.QuoteMeta(strings.TrimSpace(clitest.Git(t, dir, "rev-list", "--count", "HEAD")))+`\.g`+h)
	}
	if err := os.WriteFile(filepath.Join(dir, "f"), []byte("changed"), 0o644); err != nil {
		t.Fatal(err)
	}
	step("uncommitted change", `0~10\.g`+h+`\+dirty`)
	clitest.Git(t, dir, "checkout", "-q", "f")
	clitest.Git(t, dir, "tag", "v0.1.0")
	step("release tag", `0\.1\.0`)
	h = commit("after")
	step("commit after the tag", `0\.1\.0\+1\.g`+h)
	for i := 2; i <= 10; i++ {
		h = commit(strings.Repeat("y", i))
		step("commit after the tag", `0\.1\.0\+`+regexp.QuoteMeta(strings.TrimSpace(clitest.Git(t, dir, "rev-list", "--count", "v0.1.0..HEAD")))+`\.g`+h)
	}
	clitest.Git(t, dir, "tag", "not-a-release")
	if got, want := version(), steps[len(steps)-1]; got != want {
		t.Errorf("a tag that is not v<version>: %q, want %q as before it", got, want)
	}
	h = commit("rc")
	clitest.Git(t, dir, "tag", "-a", "-m", "rc", "v0.2.0-rc.1")
	step("annotated pre-release tag", `0\.2\.0~rc\.1`)
	h = commit("fix")
	step("commit after the pre-release", `0\.2\.0~rc\.1\+1\.g`+h)
	clitest.Git(t, dir, "tag", "v0.2.0")
	step("release of that commit", `0\.2\.0`)
	if err := os.WriteFile(filepath.Join(dir, "f"), []byte("changed again"), 0o644); err != nil {
		t.Fatal(err)
	}
	step("uncommitted change at a tag", `0\.2\.0\+dirty`)
	t.Logf("versions in order: %s", strings.Join(steps, " < "))
}
