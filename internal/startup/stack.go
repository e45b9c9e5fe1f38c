//go:build !replmon_nostackgrow

package startup

// GrowMainStack grows the main goroutine's stack at once from its starting
// 2 KiB to 16 KiB, which the rest of package initialisation and flag
// parsing need anyway: one copy of a shallow stack instead of three
// doublings, each of which copies the stack, walks its frames and takes a
// stack of a new size from the runtime's pools (fresh pages). oneproc calls
// it from its init.
//
//go:noinline
func GrowMainStack() {
	var frame [8 << 10]byte
	touch(frame[:])
}

// GrowCheckStack grows the calling goroutine's stack at once to 32 KiB,
// about what connecting and running a check take it to: one copy of a
// shallow stack instead of four doublings. The goroutine that runs a check
// calls it first.
//
//go:noinline
func GrowCheckStack() {
	var frame [16 << 10]byte
	touch(frame[:])
}

//go:noinline
func touch(b []byte) { b[0] = 1 }
