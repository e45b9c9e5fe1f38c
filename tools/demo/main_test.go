package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/testkit/clitest"
)

// TestDemo runs make demo's program on the built plugins: the errant
// transaction is caught, and the pictures of the healthy and the broken
// topology are written next to its output, DOT that Graphviz draws.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("starts eight mariadbd servers")
	}
	var bin string
	for _, p := range []string{"check_repl_io", "check_repl_checksum", "check_repl_config"} {
		bin = filepath.Dir(clitest.Build(t, p))
	}
	out := filepath.Join(t.TempDir(), "demo")
	var w bytes.Buffer
	if err := run(&w, bin, out); err != nil {
		t.Fatalf("%v\n%s", err, w.String())
	}
	text := w.String()
	for _, want := range []string{
		"REPL_CONFIG OK - 8 servers audited: 0 critical, 0 warning",
		"--- configuration of m1r3: the errant transaction",
		"REPL_CONFIG CRITICAL - 1 server audited: 1 critical, 0 warning. Worst: [errant-transactions] ",
		"(domain 0, server_id 13: written on this server itself)",
		"[log-slave-updates]",
		"=== Pictures ===\n" + filepath.Join(out, "healthy.dot") + ", drawn by dot -Tsvg into " + filepath.Join(out, "healthy.svg"),
		filepath.Join(out, "broken.dot") + ", drawn by dot -Tsvg into " + filepath.Join(out, "broken.svg"),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("demo output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "is not built yet") || strings.Contains(text, "graph: not written") {
		t.Errorf("demo output:\n%s", text)
	}
	for name, want := range map[string]string{"healthy": `fillcolor="#c8e6c9"`, "broken": `label="misses relayed writes"`} {
		dot, err := os.ReadFile(filepath.Join(out, name+".dot"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(dot), want) {
			t.Errorf("%s.dot lacks %s:\n%s", name, want, dot)
		}
		clitest.Dot(t, string(dot))
		if svg, err := os.ReadFile(filepath.Join(out, name+".svg")); err != nil || !bytes.Contains(svg, []byte("</svg>")) {
			t.Errorf("%s.svg: %v", name, err)
		}
	}
}
