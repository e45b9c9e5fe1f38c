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

// pluginRef matches how a shipped definition runs a plugin: by Debian's
// absolute path (NRPE), through $USER1$ (Nagios) or PluginDir (Icinga 2).
var pluginRef = regexp.MustCompile(`(/usr/lib/nagios/plugins/|\$USER1\$/|PluginDir \+ "/)check_repl_[a-z]+`)

// TestInstallPaths runs make install as a user does, into a staging
// directory: with the default PREFIX the definitions are installed as they
// are in contrib/; with PREFIX=/usr/local every definition runs the plugins
// where that install put them and names that DATADIR, while check_nrpe and
// the other monitoring plugins stay in Debian's $USER1$ and PluginDir.
func TestInstallPaths(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the plugins with make")
	}
	dir := clitest.Checkout(t)
	install := func(args ...string) string {
		t.Helper()
		stage := t.TempDir()
		cmd := exec.Command("make", append([]string{"--no-print-directory", "install", "DESTDIR=" + stage}, args...)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("make install %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return stage
	}
	contrib := map[string]string{}
	for _, sub := range []string{"icinga2", "nagios", "nrpe"} {
		files, _ := filepath.Glob(filepath.Join(dir, "contrib", sub, "*"))
		for _, f := range files {
			contrib[sub+"/"+filepath.Base(f)] = read(t, f)
		}
	}
	if len(contrib) == 0 {
		t.Fatal("no file under contrib/")
	}

	stage := install()
	for name, want := range contrib {
		if got := read(t, filepath.Join(stage, "usr/share/replmon-plugins", name)); got != want {
			t.Errorf("make install (PREFIX=/usr) changed %s; the default install ships contrib/ as it is", name)
		}
	}

	stage = install("PREFIX=/usr/local")
	for _, p := range []string{"check_repl_io", "check_repl_checksum", "check_repl_config"} {
		if fi, err := os.Stat(filepath.Join(stage, "usr/local/lib/nagios/plugins", p)); err != nil || fi.Mode()&0o111 == 0 {
			t.Errorf("PREFIX=/usr/local: %s is not installed as an executable in /usr/local/lib/nagios/plugins (%v)", p, err)
		}
	}
	refs := 0
	for name, orig := range contrib {
		got := read(t, filepath.Join(stage, "usr/local/share/replmon-plugins", name))
		if m := pluginRef.FindString(got); m != "" {
			t.Errorf("PREFIX=/usr/local: installed %s still runs %s, where make install put no plugin", name, m)
		}
		if strings.Contains(got, "/usr/share/replmon-plugins") {
			t.Errorf("PREFIX=/usr/local: installed %s still names /usr/share/replmon-plugins", name)
		}
		want := len(pluginRef.FindAllString(orig, -1))
		if n := strings.Count(got, "/usr/local/lib/nagios/plugins/check_repl_"); n != want {
			t.Errorf("PREFIX=/usr/local: installed %s runs /usr/local/lib/nagios/plugins/check_repl_* %d times, want %d (one per plugin reference of contrib/%s)", name, n, want, name)
		}
		refs += want
		// Only the plugins move: check_nrpe, check_ping & co. stay Debian's.
		if strings.Contains(orig, "$USER1$/check_nrpe") && !strings.Contains(got, "$USER1$/check_nrpe") {
			t.Errorf("PREFIX=/usr/local: installed %s no longer runs Debian's check_nrpe through $USER1$", name)
		}
	}
	if refs == 0 {
		t.Fatal("contrib/ runs no plugin: the test checks nothing")
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
