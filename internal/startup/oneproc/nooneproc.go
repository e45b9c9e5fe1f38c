//go:build replmon_nooneproc

package oneproc

// HonourEnvironment has nothing to do in a build without oneproc (the tag
// replmon_nooneproc, with which make bench measures what oneproc buys).
func HonourEnvironment(func(string) (string, bool)) {}
