package cli

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/testkit/clitest"
)

func TestResolveVersion(t *testing.T) {
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev},
			{Key: "vcs.time", Value: "2026-12-02T00:58:36Z"}, {Key: "vcs.modified", Value: modified}}
	}
	const rev = "9abefa1f25a8a364ff5ae306133e6668ebb75523"
	info := func(v string, s []debug.BuildSetting) *debug.BuildInfo {
		bi := &debug.BuildInfo{Settings: s}
		bi.Main.Path, bi.Main.Version = "github.com/replmon/replmon", v
		return bi
	}
	for _, c := range []struct {
		name, injected string
		bi             *debug.BuildInfo
		want           string
	}{
		{"make at a tag", "1.2.3", info("v1.2.3", vcs(rev, "false")), "1.2.3"},
		{"make after a tag", "1.2.3+5.g9abefa1", info("v1.2.4-0.20261202005836-9abefa1f25a8", vcs(rev, "false")), "1.2.3+5.g9abefa1"},
		{"make before the first tag", "0~45.g9abefa1+dirty", nil, "0~45.g9abefa1+dirty"},
		{"injected with a v", "v1.2.3", nil, "1.2.3"},
		{"injected pre-release", "v1.3.0-rc.1", nil, "1.3.0~rc.1"},
		{"go install at a tag", "", info("v1.2.3", nil), "1.2.3"},
		{"go install at a pre-release tag", "", info("v1.3.0-rc.1", nil), "1.3.0~rc.1"},
		{"go install at a hyphenated pre-release", "", info("v1.3.0-rc-1", nil), "1.3.0~rc~1"},
		{"go build at a tag, modified", "", info("v1.2.3+dirty", vcs(rev, "true")), "1.2.3+dirty"},
		{"go build at a pre-release tag, modified", "", info("v1.3.0-rc.1+dirty", vcs(rev, "true")), "1.3.0~rc.1+dirty"},
		{"go build without a tag", "", info("v0.0.0-20261202005836-9abefa1f25a8", vcs(rev, "false")), "0.0.0-20261202005836-9abefa1f25a8"},
		{"go build after a tag", "", info("v1.2.4-0.20261202005836-9abefa1f25a8", vcs(rev, "false")), "1.2.4-0.20261202005836-9abefa1f25a8"},
		{"go build after a pre-release tag", "", info("v1.3.0-rc.1.0.20261202005836-9abefa1f25a8+dirty", vcs(rev, "true")), "1.3.0-rc.1.0.20261202005836-9abefa1f25a8+dirty"},
		{"(devel) with a revision", "", info("(devel)", vcs(rev, "false")), "devel-9abefa1f25a8"},
		{"(devel) with a modified revision", "", info("(devel)", vcs(rev, "true")), "devel-9abefa1f25a8+dirty"},
		{"(devel) without VCS information", "", info("(devel)", nil), "devel"},
		{"no build information", "", nil, "devel"},
	} {
		if got := resolveVersion(c.injected, c.bi); got != c.want {
			t.Errorf("%s: version %q, want %q", c.name, got, c.want)
		}
	}
}

// TestPlainBuildVersion builds check_repl_io as a user who clones the
// repository does, with a plain go build and no -ldflags: in a checkout
// without a tag -V names the commit, at a release tag it prints the
// version the Makefile (packaging/version) gives the .deb and man pages.
func TestPlainBuildVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a plugin in a temporary git checkout")
	}
	dir := clitest.Checkout(t)
	rev := clitest.Git(t, dir, "rev-parse", "HEAD")

	untagged := plainBuildV(t, dir)
	want := regexp.MustCompile(`^check_repl_io 0\.0\.0-[0-9]{14}-` + rev[:12] + `\n$`)
	if !want.MatchString(untagged) {
		t.Errorf("plain go build without a tag: -V printed %q, want it to match %s", untagged, want)
	}

	// v1, not v9.9.9: a module path without a /vN suffix can only carry v0
	// and v1 versions, and Go ignores other tags (docs/RELEASING.md).
	clitest.Git(t, dir, "tag", "v1.9.9")
	if got := plainBuildV(t, dir); got != "check_repl_io 1.9.9\n" {
		t.Errorf("plain go build at tag v1.9.9: -V printed %q, want %q", got, "check_repl_io 1.9.9\n")
	}
	if got := makeVersion(t, dir); got != "1.9.9" {
		t.Errorf("packaging/version at tag v1.9.9 = %q, want 1.9.9 as -V", got)
	}

	f, err := os.OpenFile(filepath.Join(dir, "README.md"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("\nan uncommitted change\n")
	f.Close()
	if got := plainBuildV(t, dir); got != "check_repl_io 1.9.9+dirty\n" {
		t.Errorf("plain go build at tag v1.9.9 with a change: -V printed %q, want %q", got, "check_repl_io 1.9.9+dirty\n")
	}
	if got := makeVersion(t, dir); got != "1.9.9+dirty" {
		t.Errorf("packaging/version at tag v1.9.9 with a change = %q, want 1.9.9+dirty as -V", got)
	}
}

// plainBuildV runs go build ./check_repl_io in dir, no flags, and returns
// what the binary prints for -V (exit 3 expected). GOFLAGS is set to the
// default -buildvcs=auto so that a developer's go env -w
// GOFLAGS=-buildvcs=false does not stand in for a user's plain build.
func plainBuildV(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "check_repl_io")
	build := exec.Command("go", "build", "-o", bin, "./check_repl_io")
	build.Dir = dir
	build.Env = append(os.Environ(), "GOFLAGS=-buildvcs=auto")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./check_repl_io in %s: %v\n%s", dir, err, out)
	}
	out, err := exec.Command(bin, "-V").Output()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 3 {
		t.Errorf("check_repl_io -V: %v, want exit 3", err)
	}
	return string(out)
}

// makeVersion runs the script the Makefile takes VERSION from, in dir.
func makeVersion(t *testing.T, dir string) string {
	t.Helper()
	cmd := exec.Command("bash", filepath.Join(dir, "packaging", "version"))
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("packaging/version: %v", err)
	}
	return strings.TrimSpace(string(out))
}
