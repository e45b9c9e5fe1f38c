// Command check_repl_io is a Nagios/Icinga plugin that checks the health of
// every replication channel of a MySQL or MariaDB replica.
package main

import (
	"os"

	"github.com/replmon/replmon/internal/cli"
	"github.com/replmon/replmon/internal/iocheck"
	"github.com/replmon/replmon/internal/startup/oneproc" // one connection: one processor is faster
)

// version is set at build time with -ldflags "-X main.version=...".
var version string

func main() {
	oneproc.HonourEnvironment(os.LookupEnv)
	os.Exit(cli.Main(iocheck.Plugin(), os.Args[1:], cli.Env{Version: version}))
}
