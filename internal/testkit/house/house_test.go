// Package house guards the layout of the repository (docs/ARCHITECTURE.md):
// what the plugins import is kept apart from test and dev machinery, the
// judges and renderers cannot reach a server, and no product package grows
// into a room too big to see.
package house

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/testkit/clitest"
)

const module = "github.com/replmon/replmon"

// pkg is one directory of Go code, its non-test files only.
type pkg struct {
	dir     string // relative to the repository root, with slashes
	name    string
	imports map[string]bool
	lines   int
}

// loadPackages reads every package of the repository.
func loadPackages(t *testing.T) map[string]*pkg {
	t.Helper()
	root := clitest.Root(t)
	out := map[string]*pkg{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); n == ".git" || n == "testdata" || n == "bin" || n == "dist" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		rel = filepath.ToSlash(rel)
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly|parser.ParseComments)
		if err != nil {
			return err
		}
		p := out[rel]
		if p == nil {
			p = &pkg{dir: rel, imports: map[string]bool{}}
			out[rel] = p
		}
		p.name = f.Name.Name
		for _, im := range f.Imports {
			v, _ := strconv.Unquote(im.Path.Value)
			p.imports[v] = true
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		p.lines += strings.Count(string(src), "\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// product reports whether dir is part of what the plugins import.
func product(dir string) bool {
	return strings.HasPrefix(dir, "internal/") && !strings.HasPrefix(dir, "internal/testkit")
}

// TestProductApartFromMachinery: the product library (internal/ outside
// internal/testkit) holds no main, no sandbox, fake or bench, and imports
// no test or dev machinery; programs with a main live in tools/ or are the
// three plugins.
func TestProductApartFromMachinery(t *testing.T) {
	pkgs := loadPackages(t)
	for dir, p := range pkgs {
		if p.name == "main" && !strings.HasPrefix(dir, "tools/") && !strings.HasPrefix(dir, "check_repl_") {
			t.Errorf("%s is a program: programs belong in tools/", dir)
		}
		if !product(dir) && !strings.HasPrefix(dir, "check_repl_") {
			continue
		}
		for _, word := range []string{"sandbox", "fake", "bench", "fixture", "recorded", "demo", "testkit"} {
			if strings.Contains(dir, word) {
				t.Errorf("%s looks like test machinery inside the product: move it under internal/testkit", dir)
			}
		}
		for im := range p.imports {
			if strings.HasPrefix(im, module+"/internal/testkit") || strings.HasPrefix(im, module+"/tools") {
				t.Errorf("%s imports %s: the plugins must not depend on test or dev machinery", dir, im)
			}
		}
	}
}

// forbidden are the imports through which code can reach a server, a file
// or the network.
var forbidden = []string{"database/sql", "database/sql/driver", "github.com/go-sql-driver/mysql", "net", "os", module + "/internal/mysqlconn"}

// TestJudgesArePure: every judge and render package, and every package of
// this module they import however indirectly, imports none of forbidden:
// judging and rendering take facts and give findings, without a
// connection.
func TestJudgesArePure(t *testing.T) {
	pkgs := loadPackages(t)
	var pure []string
	for dir := range pkgs {
		if base := filepath.Base(dir); product(dir) && (base == "judge" || base == "render") {
			pure = append(pure, dir)
		}
	}
	sort.Strings(pure)
	for _, plugin := range []string{"iocheck", "checksum", "configcheck"} {
		for _, part := range []string{"judge", "render"} {
			if pkgs["internal/"+plugin+"/"+part] == nil {
				t.Errorf("internal/%s/%s is missing: every plugin reads, judges and renders in its own packages", plugin, part)
			}
		}
	}
	for _, dir := range pure {
		seen := map[string]bool{}
		var walk func(d string, via []string)
		walk = func(d string, via []string) {
			if seen[d] {
				return
			}
			seen[d] = true
			p := pkgs[d]
			if p == nil {
				return
			}
			for im := range p.imports {
				for _, f := range forbidden {
					if im == f {
						t.Errorf("%s must be pure, but reaches %s through %s", dir, f, strings.Join(append(via, d), " -> "))
					}
				}
				if strings.HasPrefix(im, module+"/") {
					walk(strings.TrimPrefix(im, module+"/"), append(via, d))
				}
			}
		}
		walk(dir, nil)
	}
}

// maxLines bounds a product package (non-test lines): beyond it a package
// holds more than one responsibility.
const maxLines = 1500

func TestNoRoomTooBig(t *testing.T) {
	for dir, p := range loadPackages(t) {
		if product(dir) && p.lines > maxLines {
			t.Errorf("%s has %d lines of code (at most %d): split it by responsibility", dir, p.lines, maxLines)
		}
	}
}
