//go:build !replmon_nooneproc

package main

import (
	"os"

	"github.com/replmon/replmon/internal/plugin/oneproc" // one connection: one processor is faster
)

// honourGOMAXPROCS gives back the processors oneproc took at start-up when
// the GOMAXPROCS environment variable asks for them.
func honourGOMAXPROCS() { oneproc.HonourEnvironment(os.LookupEnv) }
