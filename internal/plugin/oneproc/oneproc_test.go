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
	if want := "\nimport \"runtime\"\n"; !strings.Contains(string(src), want) {
		t.Errorf("oneproc.go must import the runtime alone (%q)", want)
	}
}

func TestGrowStack(t *testing.T) {
	done := make(chan int)
	go func() {
		growStack()
		done <- depth(64)
	}()
	if got := <-done; got != 64 {
		t.Errorf("depth = %d after growStack, want 64", got)
	}
}

// depth recurses n times with a frame of over 256 bytes: a stack of some
// 16 KiB, which growStack grew to in one step.
//
//go:noinline
func depth(n int) int {
	var pad [256]byte
	touch(pad[:])
	if n == 0 {
		return 0
	}
	return depth(n-1) + 1
}
