package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// nagiosPlugins is where Debian installs the monitoring plugins.
const nagiosPlugins = "/usr/lib/nagios/plugins"

// Tools are the programs the scenarios run; an empty path is a tool that is
// not installed.
type Tools struct {
	IO, Checksum, Config string // our plugins
	CheckMySQL           string // monitoring-plugins-standard, C
	CheckMySQLHealth     string // monitoring-plugins-contrib, Perl
	PMPRunning           string // monitoring-plugins-contrib (Percona), shell + mysql client
	PTChecksum           string // percona-toolkit, Perl
	Client               string // mariadb (or mysql) command-line client
	Time                 string // GNU time, for peak RSS
}

// findTools locates every tool; our plugins must be built in bin.
func findTools(bin string) (Tools, error) {
	t := Tools{
		IO:               filepath.Join(bin, "check_repl_io"),
		Checksum:         filepath.Join(bin, "check_repl_checksum"),
		Config:           filepath.Join(bin, "check_repl_config"),
		CheckMySQL:       lookPath("check_mysql", nagiosPlugins),
		CheckMySQLHealth: lookPath("check_mysql_health", nagiosPlugins),
		PMPRunning:       lookPath("pmp-check-mysql-replication-running", nagiosPlugins),
		PTChecksum:       lookPath("pt-table-checksum", ""),
		Client:           lookPath("mariadb", ""),
		Time:             lookPath("time", "/usr/bin"),
	}
	if t.Client == "" {
		t.Client = lookPath("mysql", "")
	}
	for _, p := range []string{t.IO, t.Checksum, t.Config} {
		if _, err := os.Stat(p); err != nil {
			return t, fmt.Errorf("%s is not built (run make build, or make bench): %w", filepath.Base(p), err)
		}
	}
	return t, nil
}

// lookPath finds name in dir, else in $PATH; "" when it is nowhere.
func lookPath(name, dir string) string {
	if dir != "" {
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	return ""
}

// need reports the first missing tool of a scenario.
func need(scenario string, tools map[string]string) error {
	for name, path := range tools {
		if path == "" {
			return fmt.Errorf("%s: %s is not installed (make bench installs it on Debian)", scenario, name)
		}
	}
	return nil
}
