//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/testkit/sandbox"
)

// Debian's NRPE: its stock configuration, whose command_timeout bounds the
// shipped command lines, and check_nrpe.
const (
	nrpeBin        = "/usr/sbin/nrpe"
	checkNRPE      = "/usr/lib/nagios/plugins/check_nrpe"
	nrpeStockMain  = "/etc/nagios/nrpe.cfg"
	nrpeStockDir   = "/etc/nagios/nrpe.d/"
	nrpeStockLocal = "/etc/nagios/nrpe_local.cfg"
)

// nrpe is a private nrpe daemon on a loopback port.
type nrpe struct {
	*daemon
	port      int
	commands  map[string]string // command[name]=line, as the daemon runs it
	rec       *recorder
	checkNRPE int // the -t of the shipped Nagios example's check_nrpe
}

// startNRPE runs nrpe with Debian's stock nrpe.cfg (its command_timeout,
// user, allowed hosts), only its port, pid file and include paths
// rewritten, and the package's replmon.cfg as its nrpe.d: the option file
// and the servers rewritten for the sandbox, the plugins' directory for
// rec's. It checks the chain of timeouts the documentation promises: each
// command's -t 10 s inside NRPE's command_timeout and inside check_nrpe's
// -t of the shipped Nagios example, itself 10 s inside Debian's
// service_check_timeout.
func startNRPE(ctx context.Context, t *testing.T, work string, sb *sandbox.Sandbox, cnf string, a account, rec *recorder) *nrpe {
	dir := filepath.Join(work, "nrpe")
	incl := filepath.Join(dir, "nrpe.d")
	if err := os.MkdirAll(incl, 0o755); err != nil {
		t.Fatal(err)
	}
	shipped := readFile(t, filepath.Join(dataDir, "nrpe", "replmon.cfg"))
	shipped = strings.ReplaceAll(shipped, "/etc/nagios/replmon.cnf", cnf)
	shipped = rec.line(seedAddresses(t, shipped, sb, false))
	writeFile(t, filepath.Join(incl, "replmon.cfg"), shipped)
	writeFile(t, filepath.Join(dir, "nrpe_local.cfg"), "")
	commands := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^command\[([^\]]+)\]=(.+)$`).FindAllStringSubmatch(shipped, -1) {
		commands[m[1]] = m[2]
	}
	if len(commands) == 0 {
		t.Fatal("the shipped nrpe/replmon.cfg has no command")
	}

	port := freePort(t)
	stock := readFile(t, nrpeStockMain)
	for _, r := range []struct{ re, with string }{
		{`(?m)^server_port=.*$`, fmt.Sprintf("server_port=%d\nserver_address=127.0.0.1", port)},
		{`(?m)^pid_file=.*$`, "pid_file=" + filepath.Join(dir, "nrpe.pid")},
		{`(?m)^include=` + regexp.QuoteMeta(nrpeStockLocal) + `$`, "include=" + filepath.Join(dir, "nrpe_local.cfg")},
		{`(?m)^include_dir=` + regexp.QuoteMeta(nrpeStockDir) + `$`, "include_dir=" + incl + "/"},
	} {
		if !regexp.MustCompile(r.re).MatchString(stock) {
			t.Fatalf("%s has no line matching %s: Debian's stock file changed", nrpeStockMain, r.re)
		}
		stock = regexp.MustCompile(r.re).ReplaceAllLiteralString(stock, r.with)
	}
	writeFile(t, filepath.Join(dir, "nrpe.cfg"), stock)
	chownTree(t, dir, a)

	commandTimeout := 0
	if m := regexp.MustCompile(`(?m)^command_timeout=([0-9]+)\s*$`).FindStringSubmatch(stock); m != nil {
		commandTimeout, _ = strconv.Atoi(m[1])
	} else {
		t.Fatalf("%s sets no command_timeout", nrpeStockMain)
	}
	nagiosNRPE := shippedCheckNRPETimeout(t)
	for name, line := range commands {
		limit := pluginTimeout(line)
		if limit+nagiosTimeoutMargin > float64(commandTimeout) {
			t.Errorf("nrpe %s: -t %gs leaves less than %ds before Debian's command_timeout=%d: %s", name, limit, nagiosTimeoutMargin, commandTimeout, line)
		}
		if limit+nagiosTimeoutMargin > float64(nagiosNRPE) {
			t.Errorf("nrpe %s: -t %gs leaves less than %ds before the shipped check_nrpe -t %d: %s", name, limit, nagiosTimeoutMargin, nagiosNRPE, line)
		}
	}
	if timeout := stockServiceCheckTimeout(t); nagiosNRPE+nagiosTimeoutMargin > timeout {
		t.Errorf("the shipped check_nrpe -t %d leaves less than %ds before Debian's service_check_timeout=%d", nagiosNRPE, nagiosTimeoutMargin, timeout)
	}
	t.Logf("NRPE chain: plugin -t (at most %gs) < command_timeout=%d (Debian's nrpe.cfg), check_nrpe -t %d < service_check_timeout=%d (Debian's nagios.cfg)",
		maxTimeout(commands), commandTimeout, nagiosNRPE, stockServiceCheckTimeout(t))

	d := startDaemon(t, "nrpe", filepath.Join(work, "nrpe.out"), nrpeBin, "-c", filepath.Join(dir, "nrpe.cfg"), "-f")
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) || ctx.Err() != nil || d.exited() {
			t.Fatalf("nrpe does not listen on 127.0.0.1:%d: %v\n%s", port, err, d.tail())
		}
		time.Sleep(100 * time.Millisecond)
	}
	return &nrpe{daemon: d, port: port, commands: commands, rec: rec, checkNRPE: nagiosNRPE}
}

// shippedCheckNRPETimeout reads check_nrpe's -t from the shipped Nagios
// example (the Icinga 2 one gives it as nrpe_timeout; tools/manpage keeps
// both within their bounds).
func shippedCheckNRPETimeout(t *testing.T) int {
	conf := readFile(t, filepath.Join(dataDir, "nagios", "replmon-nrpe.cfg"))
	m := regexp.MustCompile(`(?m)^\s*command_line\s+\S*/check_nrpe\s.*-t ([0-9]+)`).FindStringSubmatch(conf)
	if m == nil {
		t.Fatal("the shipped nagios/replmon-nrpe.cfg runs no check_nrpe with -t")
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// pluginTimeout is a command line's -t in seconds, or the plugins' default.
func pluginTimeout(line string) float64 {
	if m := regexp.MustCompile(`(?:^|\s)(?:-t|--timeout)[ =]([0-9.]+)(?:\s|$)`).FindStringSubmatch(line); m != nil {
		v, _ := strconv.ParseFloat(m[1], 64)
		return v
	}
	return 10
}

func maxTimeout(commands map[string]string) float64 {
	var m float64
	for _, l := range commands {
		if v := pluginTimeout(l); v > m {
			m = v
		}
	}
	return m
}

// compareAll asks the daemon for every shipped command with check_nrpe,
// with the -t of the shipped examples, and compares its answer, byte for
// byte, and its exit code with what the plugin printed in that run. codes
// lists the exit codes some commands must have.
func (n *nrpe) compareAll(ctx context.Context, t *testing.T, codes map[string]int) {
	for _, name := range sortedKeys(n.commands) {
		cmd := exec.CommandContext(ctx, checkNRPE, "-H", "127.0.0.1", "-p", strconv.Itoa(n.port), "-t", strconv.Itoa(n.checkNRPE), "-c", name)
		got := runResult(t, cmd)
		if want, ok := codes[name]; ok && got.code != want {
			t.Errorf("check_nrpe -c %s: exit %d, want %d\n%s", name, got.code, want, got.out)
		}
		first, long, _ := strings.Cut(got.out, "\n")
		summary, perf, _ := strings.Cut(first, "|")
		compareRuns(t, "check_nrpe", name, stored{summary: strings.TrimRight(summary, " "), perf: strings.TrimSpace(perf), long: long, code: got.code, raw: got.out},
			n.rec, strings.Fields(n.commands[name]), true)
	}
}
