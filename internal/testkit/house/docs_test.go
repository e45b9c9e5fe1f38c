package house

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/testkit/clitest"
)

// TestDocsPointInsideTheRepository: every relative link of README.md and
// docs/*.md names a file of the repository, and no document sends a
// reader to a path outside it (`../shared/...`), which a clone does not
// have.
func TestDocsPointInsideTheRepository(t *testing.T) {
	root := clitest.Root(t)
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	docs = append(docs, filepath.Join(root, "README.md"), filepath.Join(root, "CHANGELOG.md"))
	link := regexp.MustCompile(`\]\(([^)#\s]+)(?:#[^)]*)?\)`)
	outside := regexp.MustCompile("(?:^|[\\s`(\"'])(\\.\\./[^\\s`)\"']+)")
	for _, doc := range docs {
		b, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, doc)
		for _, m := range link.FindAllStringSubmatch(string(b), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			path := filepath.Join(filepath.Dir(doc), target)
			if r, err := filepath.Rel(root, path); err != nil || strings.HasPrefix(r, "..") {
				t.Errorf("%s links to %s, outside the repository", rel, target)
				continue
			}
			if _, err := os.Stat(path); err != nil {
				t.Errorf("%s links to %s, which does not exist", rel, target)
			}
		}
		for _, m := range outside.FindAllStringSubmatch(string(b), -1) {
			path := filepath.Join(filepath.Dir(doc), m[1])
			if r, err := filepath.Rel(root, path); err != nil || strings.HasPrefix(r, "..") {
				t.Errorf("%s names %s, outside the repository: a clone does not have it", rel, m[1])
			}
		}
	}
}
