//go:build !replmon_nooneproc

// Package oneproc, imported by a plugin whose check talks to one server at a
// time, runs the program on one processor (GOMAXPROCS=1) from early in
// package initialisation; the program's main gives the processors back with
// HonourEnvironment when the GOMAXPROCS environment variable is set.
//
// Such a check never has two goroutines with work at once, and on a run of a
// few milliseconds a second processor costs more than it gives: the runtime
// wakes threads to look for work, and the processor fills allocation caches
// of its own, every fresh page of which is a page fault (what it buys:
// package startup's figures). Built with the tag
// replmon_nooneproc the package does nothing, which is how make bench
// measures what it buys.
//
// It also grows the main goroutine's stack once to its working size, early
// (startup.GrowMainStack).
//
// The package imports nothing but the runtime and startup (which imports
// nothing), so that it is initialised among the very first packages: every
// package initialised before it is time in which the runtime's second
// processor may start a thread, take work and allocate, which costs page
// faults and, when the processor is taken away, more of them. Looking up
// the environment needs package syscall, initialised several packages
// later, so it is left to main.
package oneproc

import (
	"runtime"

	"github.com/replmon/replmon/internal/startup"
)

// chosen is the number of processors the runtime chose at start-up, from
// the CPUs or from the GOMAXPROCS environment variable.
var chosen = runtime.GOMAXPROCS(1)

func init() { startup.GrowMainStack() }

// HonourEnvironment restores the number of processors the runtime chose at
// start-up when the GOMAXPROCS environment variable is set (lookupEnv is
// os.LookupEnv): an explicit setting wins. The importing program's main
// calls it first.
func HonourEnvironment(lookupEnv func(string) (string, bool)) {
	if _, set := lookupEnv("GOMAXPROCS"); set && chosen != 1 {
		runtime.GOMAXPROCS(chosen)
	}
}
