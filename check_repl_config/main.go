// Command check_repl_config is a Nagios/Icinga plugin that audits the
// replication configuration of one MySQL or MariaDB server, or of a whole
// multi-master topology, before a missing setting loses data.
package main

import (
	"os"

	"github.com/replmon/replmon/internal/cli"
	"github.com/replmon/replmon/internal/configcheck"
)

// version is set at build time with -ldflags "-X main.version=...".
var version string

func main() {
	os.Exit(cli.Main(configcheck.Plugin(), os.Args[1:], cli.Env{Version: version}))
}
