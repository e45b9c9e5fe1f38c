package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Machine describes where the figures were taken.
type Machine struct {
	CPUs      int
	CPUModel  string
	MemoryMiB int
	Kernel    string
	LoadStart string        // /proc/loadavg when the bench started
	FaultCost time.Duration // one anonymous page fault, measured in this process
	Versions  [][2]string   // tool, version
}

// Summary is the one-line description printed at start.
func (m Machine) Summary() string {
	return fmt.Sprintf("%d CPUs (%s), %d MiB, Linux %s, load %s, page fault %s",
		m.CPUs, m.CPUModel, m.MemoryMiB, m.Kernel, m.LoadStart, m.FaultCost)
}

// describeMachine collects the machine facts and tool versions.
func describeMachine(ctx context.Context, t Tools) Machine {
	m := Machine{CPUs: runtime.NumCPU(), LoadStart: loadAverage(), FaultCost: pageFaultCost()}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	m.CPUModel = procField("/proc/cpuinfo", "model name")
	if kb, err := strconv.Atoi(strings.Fields(procField("/proc/meminfo", "MemTotal") + " 0")[0]); err == nil {
		m.MemoryMiB = kb / 1024
	}
	first := func(name string, args ...string) string {
		out, _ := exec.CommandContext(ctx, name, args...).CombinedOutput()
		line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
		return strings.TrimSpace(line)
	}
	deb := func(pkg string) string {
		v := first("dpkg-query", "-W", "-f", "${Version}", pkg)
		if v == "" || strings.Contains(v, "no packages found") {
			return "not installed"
		}
		return pkg + " " + v
	}
	add := func(tool, version string) { m.Versions = append(m.Versions, [2]string{tool, version}) }
	add("check_repl_io / _checksum / _config", first(t.IO, "--version")+"; "+runtime.Version()+", "+buildMode(t.IO))
	add("mariadbd", first("mariadbd", "--version"))
	if t.CheckMySQL != "" {
		add("check_mysql", first(t.CheckMySQL, "-V")+"; "+deb("monitoring-plugins-standard"))
	}
	if t.CheckMySQLHealth != "" {
		add("check_mysql_health", first(t.CheckMySQLHealth, "--version")+"; "+deb("monitoring-plugins-contrib")+", "+deb("libdbd-mysql-perl"))
	}
	if t.PMPRunning != "" {
		add("pmp-check-mysql-replication-running", deb("monitoring-plugins-contrib")+"; client "+first(t.Client, "--version"))
	}
	if t.PTChecksum != "" {
		add("pt-table-checksum", first(t.PTChecksum, "--version")+"; "+deb("percona-toolkit"))
	}
	if hf := lookPath("hyperfine", ""); hf != "" {
		add("hyperfine (for ad-hoc checks)", first(hf, "--version"))
	}
	return m
}

// buildMode says how a binary is linked.
func buildMode(path string) string {
	out, err := exec.Command("file", "-b", path).Output()
	if err != nil {
		return "unknown linking"
	}
	s := string(out)
	switch {
	case strings.Contains(s, "statically linked"):
		return "static"
	case strings.Contains(s, "dynamically linked"):
		return "dynamically linked (cgo)"
	}
	return "unknown linking"
}

// procField returns the value of the first "key: value" line of a /proc file.
func procField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// loadAverage returns the 1, 5 and 15 minute load averages.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// pageFaultCost times first touches of fresh anonymous pages: what every
// page a short-lived process allocates costs it on this machine.
func pageFaultCost() time.Duration {
	const pages = 4096
	var best time.Duration
	for try := 0; try < 3; try++ {
		mem, err := syscall.Mmap(-1, 0, pages*4096, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
		if err != nil {
			return 0
		}
		t0 := time.Now()
		for i := 0; i < pages; i++ {
			mem[i*4096] = 1
		}
		d := time.Since(t0) / pages
		_ = syscall.Munmap(mem)
		if best == 0 || d < best {
			best = d
		}
	}
	return best
}
