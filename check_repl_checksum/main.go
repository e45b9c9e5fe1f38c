// Command check_repl_checksum is a Nagios/Icinga plugin that compares table
// contents between a MySQL or MariaDB source and its replicas, and reports
// only differences it has confirmed while writes flow.
package main

import (
	"os"

	"github.com/replmon/replmon/internal/checksum"
	"github.com/replmon/replmon/internal/cli"
)

// version is set at build time with -ldflags "-X main.version=...".
var version string

func main() {
	os.Exit(cli.Main(checksum.Plugin(), os.Args[1:], cli.Env{Version: version}))
}
