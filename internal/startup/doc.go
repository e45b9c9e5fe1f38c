// Package startup gathers the tricks that make a plugin's start-up cheaper
// and nothing else. A check runs for a few milliseconds and monitoring
// hosts run thousands of them a minute, so what the runtime and package
// initialisation cost before the first statement is most of a run. Each
// trick is listed here with the figure that keeps it; make bench re-measures
// every one of them on each run, as a row of its start-up table built
// without it (docs/BENCHMARKS.md), so that it can be weighed again and
// dropped in one place:
//
//   - oneproc (subpackage): GOMAXPROCS=1 from early in initialisation for a
//     check that talks to one server at a time. Built out with the tag
//     replmon_nooneproc.
//   - GrowMainStack, GrowCheckStack: grow a goroutine's stack to its
//     working size in one step instead of doubling it three or four times
//     (each doubling copies the stack and walks its frames). Built out with
//     the tag replmon_nostackgrow.
//   - The build setting GOEXPERIMENT=nogreenteagc (Makefile,
//     GOEXPERIMENT_BUILD): Go's garbage collector before Green Tea, which
//     initialises fewer span pages in a program that never collects.
//     Dropped by the Makefile itself when a Go toolchain no longer offers
//     it.
//   - go.mod's godebug block: Go 1.26's GODEBUG defaults, so that the
//     runtime does not parse an older language version's list of
//     two dozen settings at every start, without reading the cgroup's CPU
//     limit at start (containermaxprocs=0, updatemaxprocs=0); the few
//     settings listed there keep TLS as it was.
//
// Measured on 2026-12-02, check_repl_io against a replica over TCP with the
// default option files, 150 interleaved rounds of two copies of each build,
// each read from disk (a fresh page cost 2.5 µs on that boot); instructions
// from valgrind's callgrind, median of 7 runs with --no-defaults:
//
//	build                      wall     CPU      page faults  instructions
//	with every trick           4.29 ms  4.07 ms  346          1.65 M
//	without oneproc            4.78 ms  4.71 ms  404          1.74 M
//	without the stack growths  4.50 ms  4.29 ms  365          1.76 M
//	with Green Tea             4.44 ms  4.23 ms  372          1.67 M
//	with Go 1.22's GODEBUGs    4.21 ms  4.01 ms  351          1.72 M
//	check_mysql -S             7.71 ms  5.25 ms  342
//
// Each trick takes off page faults or instructions beyond the spread
// between two copies of one build (±0.2 ms, ±2 faults); the GODEBUG
// defaults buy instructions (4%) and a few faults rather than time on such
// a boot. None of them changes what a check does.
//
// IsNumber, the scanner of the numbers of -w, -c and -t, is no trick but
// the plain way to read them; it lives here because it replaced a regular
// expression compiled on every run (153 allocations, 11 KB at start-up).
//
// The package imports nothing, so that oneproc, which imports it, is still
// initialised among the very first packages.
package startup
