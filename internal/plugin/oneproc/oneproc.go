// Package oneproc, imported for its side effect by a plugin whose check
// talks to one server at a time, runs the program on one processor
// (GOMAXPROCS=1) from early in package initialisation, unless the GOMAXPROCS
// environment variable is set.
//
// Such a check never has two goroutines with work at once, and on a run of a
// few milliseconds a second processor costs more than it gives: the runtime
// wakes threads to look for work, and the processor fills allocation caches
// of its own, every fresh page of which is a page fault. check_repl_io runs
// 5 to 11% faster with it (docs/BENCHMARKS.md). It imports nothing but the
// runtime and syscall, so that it is initialised before the heavy packages.
package oneproc

import (
	"runtime"
	"syscall"
)

func init() {
	if _, set := syscall.Getenv("GOMAXPROCS"); !set {
		runtime.GOMAXPROCS(1)
	}
}
