// Package startup gathers the tricks that make a plugin's start-up cheaper
// and nothing else. A check runs for a few milliseconds and monitoring
// hosts run thousands of them a minute, so what the runtime and package
// initialisation cost before the first statement is most of a run; each
// trick is here with the figure that justified it (docs/BENCHMARKS.md),
// so that it can be weighed again and dropped in one place:
//
//   - oneproc (subpackage): GOMAXPROCS=1 from early in initialisation for a
//     check that talks to one server at a time; 5 to 11% of a
//     check_repl_io run. Built out with the tag replmon_nooneproc, which
//     make bench uses to measure it.
//   - GrowMainStack, GrowCheckStack: grow a goroutine's stack to its
//     working size in one step instead of doubling it three or four times;
//     about ten page faults, 2% of a check_repl_io run.
//   - IsNumber: a hand-written scanner for the numbers of -w, -c and -t,
//     where a regular expression would be compiled on every run.
//   - The build setting GOEXPERIMENT=nogreenteagc (Makefile,
//     GOEXPERIMENT_BUILD): Go's garbage collector before Green Tea, which
//     initialises fewer span pages; about 20 page faults (6%) fewer per
//     check_repl_io run, which brings it level with check_mysql's. Dropped
//     by the Makefile itself when a Go toolchain no longer offers it.
//
// Measured on 2026-12-02 (page faults of one check_repl_io run against a
// replica, median of 60): 358 with every trick, 383 without the stack
// pre-growths, 428 without oneproc, 337 with nogreenteagc too;
// check_mysql -S: 338.
//
// The package imports nothing, so that oneproc, which imports it, is still
// initialised among the very first packages.
package startup
