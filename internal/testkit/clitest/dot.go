package clitest

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

// Dot renders a Graphviz DOT picture to SVG with the dot program, as a
// user would (dot -Tsvg), and returns the SVG; the test fails when dot
// rejects the picture, or is not installed (make deps installs graphviz
// on Debian, as it installs mariadb-server).
func Dot(t testing.TB, dot string) string {
	t.Helper()
	path, err := exec.LookPath("dot")
	if err != nil {
		t.Fatal("dot (Graphviz) is not installed: run make deps, which installs the graphviz package on Debian, or install graphviz")
	}
	cmd := exec.Command(path, "-Tsvg")
	cmd.Stdin = strings.NewReader(dot)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Fatalf("dot -Tsvg rejects the picture (%v): %s\n%s", err, stderr.String(), dot)
	}
	if !strings.Contains(out.String(), "</svg>") {
		t.Fatalf("dot -Tsvg wrote no SVG:\n%s", out.String())
	}
	return out.String()
}
