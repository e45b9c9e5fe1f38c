//go:build replmon_nooneproc

package main

// honourGOMAXPROCS has nothing to do in a build without oneproc (the tag
// replmon_nooneproc, with which make bench measures what oneproc buys).
func honourGOMAXPROCS() {}
