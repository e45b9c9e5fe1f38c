// Command manpage writes one man page per plugin, built from the same flag
// definitions the plugin parses (plugin.App), so a page cannot drift from
// its binary:
//
//	go run ./tools/manpage -out DIR [-version V]
//
// writes DIR/check_repl_io.1 and the like. Its tests also keep
// contrib/icinga2/commands.conf, the Icinga 2 CheckCommands generated from
// those definitions, up to date (go test ./tools/manpage -update).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	out := flag.String("out", "man", "directory to write the pages into")
	version := flag.String("version", "", "suite version shown in the page footer (default: the module build info, as -V)")
	flag.Parse()
	if err := write(*out, *version); err != nil {
		fmt.Fprintln(os.Stderr, "manpage:", err)
		os.Exit(1)
	}
}

// write renders every registered plugin's page into dir.
func write(dir, version string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	all := plugins()
	for i, e := range registry {
		var others []string
		for j, p := range all {
			if j != i {
				others = append(others, p.Name)
			}
		}
		path := filepath.Join(dir, all[i].Name+".1")
		if err := os.WriteFile(path, []byte(page(e, version, others)), 0o644); err != nil {
			return err
		}
	}
	return nil
}
