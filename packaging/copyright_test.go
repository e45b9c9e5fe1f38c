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

// paragraph is one stanza of a DEP-5 file: field name to value, the
// continuation lines joined with "\n" (" ." lines as empty lines).
type paragraph map[string]string

// readDEP5 reads a machine-readable copyright file.
func readDEP5(t *testing.T, path string) []paragraph {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []paragraph
	for n, block := range strings.Split(strings.TrimSpace(string(b)), "\n\n") {
		p := paragraph{}
		var field string
		for _, line := range strings.Split(block, "\n") {
			switch {
			case strings.HasPrefix(line, " "):
				if field == "" {
					t.Fatalf("%s: paragraph %d starts with a continuation line", path, n+1)
				}
				if line == " ." {
					line = ""
				}
				p[field] += "\n" + strings.TrimPrefix(line, " ")
			default:
				name, value, ok := strings.Cut(line, ":")
				if !ok {
					t.Fatalf("%s: paragraph %d: %q is not a field", path, n+1, line)
				}
				field = name
				p[field] = strings.TrimSpace(value)
			}
		}
		out = append(out, p)
	}
	return out
}

// words collapses a licence text to its words, so that line breaks,
// indentation and comment markers do not count.
func words(s string) string {
	s = regexp.MustCompile(`(?m)^\s*//`).ReplaceAllString(s, " ")
	return strings.Join(strings.Fields(s), " ")
}

// module is one Go module linked into the plugins.
type module struct{ path, version, dir string }

// linkedModules lists the modules the three plugins are built from (but
// the main module): what the static binaries contain.
func linkedModules(t *testing.T) []module {
	t.Helper()
	root := clitest.Root(t)
	mains, _ := filepath.Glob(filepath.Join(root, "check_repl_*", "main.go"))
	args := []string{"list", "-deps", "-f", "{{with .Module}}{{if not .Main}}{{.Path}}\t{{.Version}}\t{{.Dir}}{{end}}{{end}}"}
	for _, m := range mains {
		args = append(args, "./"+filepath.Base(filepath.Dir(m)))
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	seen := map[string]bool{}
	var mods []module
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 3 || seen[f[0]] {
			continue
		}
		seen[f[0]] = true
		mods = append(mods, module{f[0], f[1], f[2]})
	}
	if len(mods) == 0 {
		t.Fatal("go list found no module besides replmon: the test would check nothing")
	}
	return mods
}

// licenceFile returns the text of a module's licence file.
func licenceFile(t *testing.T, dir string) string {
	t.Helper()
	for _, name := range []string{"LICENSE", "LICENSE.txt", "LICENSE.md", "COPYING", "LICENCE"} {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
			return string(b)
		}
	}
	t.Errorf("%s has no licence file", dir)
	return ""
}

// TestCopyrightCoversLinkedModules checks packaging/copyright, the
// package's /usr/share/doc/replmon-plugins/copyright, against what the
// binaries are built from: every linked module has a Files paragraph
// naming its version, whose licence text is the one the module ships (or,
// for licences Debian keeps in /usr/share/common-licenses, that file); the
// Go standard library too; and no paragraph is left for a module no
// longer linked.
func TestCopyrightCoversLinkedModules(t *testing.T) {
	paras := readDEP5(t, filepath.Join(clitest.Root(t), "packaging", "copyright"))
	if got := paras[0]["Format"]; got != "https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/" {
		t.Errorf("the header's Format is %q, want the DEP-5 1.0 URL", got)
	}
	files := map[string]paragraph{} // Files pattern -> paragraph
	licences := map[string]string{} // short name -> text of the standalone paragraph
	for _, p := range paras[1:] {
		switch {
		case p["Files"] != "":
			if p["Copyright"] == "" || p["License"] == "" {
				t.Errorf("Files: %s lacks Copyright or License", p["Files"])
			}
			files[p["Files"]] = p
		case p["License"] != "":
			name, text, _ := strings.Cut(p["License"], "\n")
			licences[name] = text
		default:
			t.Errorf("a paragraph is neither Files nor License: %v", p)
		}
	}
	used := map[string]bool{}
	for pattern, p := range files {
		name := strings.SplitN(p["License"], "\n", 2)[0]
		used[name] = true
		if _, ok := licences[name]; !ok {
			t.Errorf("Files: %s: licence %s has no License paragraph", pattern, name)
		}
	}
	for name := range licences {
		if !used[name] {
			t.Errorf("License: %s is used by no Files paragraph", name)
		}
	}
	if p := files["*"]; p == nil || p["License"] != "Apache-2.0" {
		t.Errorf("Files: * (replmon itself) is not Apache-2.0: %v", p)
	}

	// commonLicence checks a licence Debian ships is referred to, and is
	// the text the module has.
	commonLicence := func(name, text, moduleText, where string) {
		common, err := os.ReadFile(filepath.Join("/usr/share/common-licenses", name))
		if err != nil {
			t.Errorf("%s: %s is not in /usr/share/common-licenses (%v): include its text", where, name, err)
			return
		}
		if !strings.Contains(text, "/usr/share/common-licenses/"+name) {
			t.Errorf("License: %s does not refer to /usr/share/common-licenses/%s", name, name)
		}
		if words(moduleText) != words(string(common)) {
			t.Errorf("%s: its licence file is not the text of /usr/share/common-licenses/%s", where, name)
		}
	}
	linked := map[string]bool{}
	for _, m := range linkedModules(t) {
		linked[m.path] = true
		pattern := "vendor/" + m.path + "/*"
		p := files[pattern]
		if p == nil {
			t.Errorf("packaging/copyright has no \"Files: %s\" paragraph for %s %s, which the plugins link", pattern, m.path, m.version)
			continue
		}
		if !strings.Contains(words(p["Comment"]), m.path+" "+m.version) {
			t.Errorf("Files: %s: the Comment does not name %s %s (go.mod's version): update the paragraph, and its licence if it changed", pattern, m.path, m.version)
		}
		name := strings.SplitN(p["License"], "\n", 2)[0]
		text := licenceFile(t, m.dir)
		switch name {
		case "Apache-2.0", "MPL-2.0":
			commonLicence(name, licences[name], text, m.path)
		default:
			if !strings.Contains(words(text), words(licences[name])) {
				t.Errorf("%s: License: %s is not the text of the module's licence file", m.path, name)
			}
		}
	}
	for pattern, p := range files {
		if pattern == "*" || pattern == "go/*" {
			continue
		}
		rest, ok := strings.CutPrefix(pattern, "vendor/")
		if !ok {
			t.Errorf("Files: %s is neither replmon's, the Go standard library's, nor a vendor/ module's", pattern)
			continue
		}
		var mod string
		for path := range linked {
			if strings.HasPrefix(rest, path+"/") {
				mod = path
			}
		}
		if mod == "" {
			t.Errorf("Files: %s names a module the plugins do not link", pattern)
			continue
		}
		if file, ok := strings.CutPrefix(rest, mod+"/"); ok && file != "*" {
			// A file with its own licence, stated in the module's sources
			// (edwards25519 states fiat-crypto's in scalar.go).
			name := strings.SplitN(p["License"], "\n", 2)[0]
			var stated bool
			for _, m := range linkedModules(t) {
				if m.path != mod {
					continue
				}
				if _, err := os.Stat(filepath.Join(m.dir, file)); err != nil {
					t.Errorf("Files: %s: %v", pattern, err)
				}
				srcs, _ := filepath.Glob(filepath.Join(m.dir, "*.go"))
				for _, src := range srcs {
					b, _ := os.ReadFile(src)
					stated = stated || strings.Contains(words(string(b)), words(licences[name]))
				}
			}
			if !stated {
				t.Errorf("Files: %s: License %s is stated nowhere in %s's sources", pattern, name, mod)
			}
		}
	}

	// The Go standard library and runtime are in every binary.
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	p := files["go/*"]
	if p == nil {
		t.Fatal(`packaging/copyright has no "Files: go/*" paragraph for the Go standard library`)
	}
	name := strings.SplitN(p["License"], "\n", 2)[0]
	if text := licenceFile(t, strings.TrimSpace(string(goroot))); !strings.Contains(words(text), words(licences[name])) {
		t.Errorf("Files: go/*: License %s is not the text of $GOROOT/LICENSE", name)
	}
}

// TestLicenceFile checks the repository's LICENSE is the Apache License
// 2.0 that packaging/copyright names for replmon.
func TestLicenceFile(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(clitest.Root(t), "LICENSE"))
	if err != nil {
		t.Fatal(err)
	}
	common, err := os.ReadFile("/usr/share/common-licenses/Apache-2.0")
	if err != nil {
		t.Fatal(err)
	}
	if words(string(b)) != words(string(common)) {
		t.Error("LICENSE is not the text of the Apache License 2.0 (/usr/share/common-licenses/Apache-2.0)")
	}
}
