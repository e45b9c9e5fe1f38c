package configcheck

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/plugin"
)

// TestWriteGraph: the picture replaces the file whole, leaves no
// temporary file behind, and a failure to write it is one line of long
// output that changes no state.
func TestWriteGraph(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "t.dot")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := plugin.NewReport(io.Discard, 0)
	r.Add(plugin.OK, "fine")
	writeGraph(r, path, "digraph replication {}\n")
	if b, err := os.ReadFile(path); err != nil || string(b) != "digraph replication {}\n" {
		t.Errorf("file holds %q (%v)", b, err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v (%v), want 0644", fi.Mode(), err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left %d files in %s, want the picture alone", len(entries), dir)
	}
	if out := r.Render("REPL_CONFIG"); out != "REPL_CONFIG OK - fine\n" {
		t.Errorf("output %q", out)
	}

	missing := filepath.Join(dir, "no", "such", "dir", "t.dot")
	writeGraph(r, missing, "digraph replication {}\n")
	out := r.Render("REPL_CONFIG")
	if r.Status() != plugin.OK || !strings.HasPrefix(out, "REPL_CONFIG OK - fine\ngraph: not written: open "+filepath.Join(dir, "no", "such", "dir")) ||
		!strings.Contains(out, "no such file or directory") {
		t.Errorf("status %v, output %q", r.Status(), out)
	}
}
