package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
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

// readFromDisk drops the files' pages from the page cache (after writing
// back what is dirty), so that the next run of a program reads it from
// disk, as on a monitoring host some time after the package was installed.
// Pages that a running process maps stay (a shared library of the
// servers): posix_fadvise leaves them.
//
// How a program's file sits in the page cache changes what running it
// costs: written with one write(2) (a fresh copy) it sits in large folios,
// and a check_repl_io run then takes ~50 fewer page faults and ~15% less
// CPU than when the same bytes were read from disk by exec, or written
// through a memory mapping by the Go linker (4 KiB pages; measured
// 2026-12-02, interleaved, one build). Every program compared is timed in
// the same state: read from disk.
func readFromDisk(paths ...string) error {
	for _, p := range paths {
		if p == "" {
			continue
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		err = f.Sync()
		if err == nil {
			// POSIX_FADV_DONTNEED (4) over the whole file.
			if _, _, e := syscall.Syscall6(syscall.SYS_FADVISE64, f.Fd(), 0, 0, 4, 0, 0); e != 0 {
				err = e
			}
		}
		f.Close()
		if err != nil {
			return fmt.Errorf("dropping %s from the page cache: %w", p, err)
		}
	}
	return nil
}

// withLibraries returns the program and the shared libraries ldd lists
// for it.
func withLibraries(program string) []string {
	out := []string{program}
	b, err := exec.Command("ldd", program).Output()
	if err != nil {
		return out // static, or ldd missing: the program alone
	}
	for _, line := range strings.Split(string(b), "\n") {
		if _, after, ok := strings.Cut(line, "=> "); ok {
			if lib, _, _ := strings.Cut(after, " ("); strings.HasPrefix(lib, "/") {
				out = append(out, lib)
			}
		}
	}
	return out
}
