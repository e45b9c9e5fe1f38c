//go:build !replmon_nooneproc

package oneproc

import (
	"os"
	"runtime"
	"strings"
	"testing"
)

func TestOneProcessor(t *testing.T) {
	if _, set := os.LookupEnv("GOMAXPROCS"); set {
		HonourEnvironment(os.LookupEnv)
		if n := runtime.GOMAXPROCS(0); n != chosen {
			t.Errorf("GOMAXPROCS = %d after HonourEnvironment with GOMAXPROCS set, want the runtime's %d", n, chosen)
		}
		return
	}
	if n := runtime.GOMAXPROCS(0); n != 1 {
		t.Errorf("GOMAXPROCS = %d after init, want 1", n)
	}
	HonourEnvironment(os.LookupEnv)
	if n := runtime.GOMAXPROCS(0); n != 1 {
		t.Errorf("GOMAXPROCS = %d after HonourEnvironment without GOMAXPROCS set, want 1", n)
	}
}

func TestHonourEnvironmentRestoresTheRuntimesChoice(t *testing.T) {
	defer func(c, n int) { chosen = c; runtime.GOMAXPROCS(n) }(chosen, runtime.GOMAXPROCS(0))
	chosen = 3
	runtime.GOMAXPROCS(1)
	HonourEnvironment(func(string) (string, bool) { return "", false })
	if n := runtime.GOMAXPROCS(0); n != 1 {
		t.Errorf("unset: GOMAXPROCS = %d, want 1", n)
	}
	HonourEnvironment(func(name string) (string, bool) { return "3", name == "GOMAXPROCS" })
	if n := runtime.GOMAXPROCS(0); n != 3 {
		t.Errorf("set: GOMAXPROCS = %d, want the runtime's choice 3", n)
	}
}

func TestImportsOnlyTheRuntime(t *testing.T) {
	// Initialised early only as long as it depends on nothing else.
	src, err := os.ReadFile("oneproc.go")
	if err != nil {
		t.Fatal(err)
	}
	want := "\nimport (\n\t\"runtime\"\n\n\t\"github.com/replmon/replmon/internal/startup\"\n)\n"
	if !strings.Contains(string(src), want) {
		t.Errorf("oneproc.go must import the runtime and startup alone (%q)", want)
	}
	startup, err := os.ReadFile("../doc.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"../stack.go", "../number.go"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "\nimport") || strings.Contains(string(startup), "\nimport") {
			t.Errorf("%s: package startup must import nothing", f)
		}
	}
}
