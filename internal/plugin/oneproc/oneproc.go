// Package oneproc, imported by a plugin whose check talks to one server at a
// time, runs the program on one processor (GOMAXPROCS=1) from early in
// package initialisation; the program's main gives the processors back with
// HonourEnvironment when the GOMAXPROCS environment variable is set.
//
// Such a check never has two goroutines with work at once, and on a run of a
// few milliseconds a second processor costs more than it gives: the runtime
// wakes threads to look for work, and the processor fills allocation caches
// of its own, every fresh page of which is a page fault. check_repl_io runs
// 5 to 11% faster with it (docs/BENCHMARKS.md).
//
// It also grows the main goroutine's stack once to its working size, early,
// instead of letting it double three times (see growStack).
//
// The package imports nothing but the runtime, so that it is initialised
// among the very first packages: every package initialised before it is
// time in which the runtime's second processor may start a thread, take
// work and allocate, which costs page faults and, when the processor is
// taken away, more of them. Looking up the environment needs package
// syscall, initialised several packages later, so it is left to main.
package oneproc

import "runtime"

// chosen is the number of processors the runtime chose at start-up, from
// the CPUs or from the GOMAXPROCS environment variable.
var chosen = runtime.GOMAXPROCS(1)

func init() { growStack() }

// growStack grows the main goroutine's stack at once from its starting 2 KiB
// to 16 KiB, which the rest of package initialisation and flag parsing
// need anyway: one copy of a shallow stack instead of three doublings, each
// of which copies the stack, walks its frames and takes a stack of a new
// size from the runtime's pools (fresh pages). With the same for the check's
// goroutine (plugin.Main) it saves about ten page faults and 2% of a
// check_repl_io run (docs/BENCHMARKS.md).
//
//go:noinline
func growStack() {
	var frame [8 << 10]byte
	touch(frame[:])
}

//go:noinline
func touch(b []byte) { b[0] = 1 }

// HonourEnvironment restores the number of processors the runtime chose at
// start-up when the GOMAXPROCS environment variable is set (lookupEnv is
// os.LookupEnv): an explicit setting wins. The importing program's main
// calls it first.
func HonourEnvironment(lookupEnv func(string) (string, bool)) {
	if _, set := lookupEnv("GOMAXPROCS"); set && chosen != 1 {
		runtime.GOMAXPROCS(chosen)
	}
}
