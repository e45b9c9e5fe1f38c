// Command check_repl_io is a Nagios/Icinga plugin that checks the health of
// every replication channel of a MySQL or MariaDB replica.
package main

import (
	"os"

	"github.com/replmon/replmon/internal/iocheck"
	"github.com/replmon/replmon/internal/plugin"
)

// version is set at build time with -ldflags "-X main.version=...".
var version string

func main() {
	honourGOMAXPROCS()
	os.Exit(plugin.Main(iocheck.Plugin(), os.Args[1:], plugin.Env{Version: version}))
}
