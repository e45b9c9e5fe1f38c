//go:build e2e

package e2e

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/testkit/sandbox"
)

// Nagios 4 as Debian packages it (nagios4-core), and the stock object files
// the shipped definitions need: the generic-host and generic-service
// templates, the admins contact group with its 24x7 time period and
// notify-* commands, and check-host-alive from the monitoring plugins.
const (
	nagiosBin       = "/usr/sbin/nagios4"
	nagiosStockMain = "/etc/nagios4/nagios.cfg"
)

// nagiosTimeoutMargin is the least time, in seconds, between a plugin's
// -t and the daemon's timeout (docs/INSTALL.md).
const nagiosTimeoutMargin = 10

var nagiosStockObjects = []string{
	"/etc/nagios4/objects/commands.cfg",
	"/etc/nagios4/objects/contacts.cfg",
	"/etc/nagios4/objects/timeperiods.cfg",
	"/etc/nagios4/objects/templates.cfg",
	"/etc/nagios-plugins/config/ping.cfg",
}

// nagios is a private nagios4 daemon and the files it is driven through.
type nagios struct {
	*daemon
	status, commandFile string
	services            map[string]string // "host!service" -> command line, macros expanded
	hosts               []string
	timeout             int // service_check_timeout, seconds
	rec                 *recorder
	nrpe                *nrpe
}

// startNagios runs nagios4 on the package's definitions: commands.cfg as
// shipped, services.cfg with the sandbox's addresses and ports (each
// host's own port as -P at the head of $ARG1$, which the shipped file says
// a server off port 3306 takes), replmon-nrpe.cfg with check_nrpe pointed
// at nr's port, the stock Debian objects, a private main configuration
// (own status file, external command pipe, lock, temp and check result
// paths, log), and Debian's service_check_timeout. $USER1$ is rec's
// plugin directory. Checks run as the nagios user, as Debian's nagios4
// does.
func startNagios(ctx context.Context, t *testing.T, work string, sb *sandbox.Sandbox, cnf string, a account, nr *nrpe, rec *recorder) *nagios {
	dir := filepath.Join(work, "nagios4")
	for _, d := range []string{"etc", "var", "rw", "tmp", "checkresults"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range nagiosStockObjects {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("%s is missing (%v): install nagios4-core and monitoring-plugins-basic (ensure-daemons does)", f, err)
		}
	}
	timeout := stockServiceCheckTimeout(t)

	shippedCommands := filepath.Join(dataDir, "nagios", "commands.cfg")
	services := nagiosSandboxServices(t, readFile(t, filepath.Join(dataDir, "nagios", "services.cfg")), sb)
	// replmon-nrpe.cfg as shipped, check_nrpe asking the test's nrpe port.
	viaNRPE := readFile(t, filepath.Join(dataDir, "nagios", "replmon-nrpe.cfg"))
	if !strings.Contains(viaNRPE, "/check_nrpe -H $HOSTADDRESS$ ") {
		t.Fatal("the shipped replmon-nrpe.cfg does not run check_nrpe -H $HOSTADDRESS$")
	}
	viaNRPE = strings.ReplaceAll(viaNRPE, "/check_nrpe -H $HOSTADDRESS$ ", fmt.Sprintf("/check_nrpe -H $HOSTADDRESS$ -p %d ", nr.port))
	etc := filepath.Join(dir, "etc")
	writeFile(t, filepath.Join(etc, "services.cfg"), services)
	writeFile(t, filepath.Join(etc, "replmon-nrpe.cfg"), viaNRPE)
	// resource.cfg as docs/INSTALL.md asks, with the test's option file
	// and the recorder's plugin directory.
	writeFile(t, filepath.Join(etc, "resource.cfg"), fmt.Sprintf("$USER1$=%s\n$USER3$=%s\n", rec.dir, cnf))

	var cfg strings.Builder
	for _, f := range append(append([]string{}, nagiosStockObjects...), shippedCommands, filepath.Join(etc, "services.cfg"), filepath.Join(etc, "replmon-nrpe.cfg")) {
		fmt.Fprintf(&cfg, "cfg_file=%s\n", f)
	}
	p := func(name string) string { return filepath.Join(dir, name) }
	fmt.Fprintf(&cfg, `resource_file=%s
log_file=%s
object_cache_file=%s
precached_object_file=%s
status_file=%s
status_update_interval=1
nagios_user=%s
nagios_group=%s
check_external_commands=1
command_file=%s
query_socket=%s
lock_file=%s
temp_file=%s
temp_path=%s
check_result_path=%s
check_result_reaper_frequency=1
retain_state_information=0
state_retention_file=%s
debug_file=%s
debug_level=0
use_syslog=0
log_initial_states=1
enable_notifications=0
enable_event_handlers=0
check_for_updates=0
service_check_timeout=%d
`, p("etc/resource.cfg"), p("var/nagios.log"), p("var/objects.cache"), p("var/objects.precache"),
		p("var/status.dat"), a.name, a.name, p("rw/nagios.cmd"), p("rw/nagios.qh"), p("var/nagios.lock"),
		p("var/nagios.tmp"), p("tmp"), p("checkresults"), p("var/retention.dat"), p("var/nagios.debug"), timeout)
	// Debian's settings for what shapes a check and its output.
	for _, key := range []string{"service_check_timeout_state", "illegal_object_name_chars", "illegal_macro_output_chars", "interval_length"} {
		m := regexp.MustCompile(`(?m)^` + key + `=.*$`).FindString(readFile(t, nagiosStockMain))
		if m == "" {
			t.Fatalf("%s does not set %s", nagiosStockMain, key)
		}
		cfg.WriteString(m + "\n")
	}
	main := filepath.Join(etc, "nagios.cfg")
	writeFile(t, main, cfg.String())
	chownTree(t, dir, a)

	verify, err := exec.CommandContext(ctx, nagiosBin, "-v", main).CombinedOutput()
	if err != nil {
		t.Fatalf("nagios4 -v rejects the shipped definitions: %v\n%s", err, verify)
	}
	for _, want := range []string{"Total Warnings: 0", "Total Errors:   0"} {
		if !strings.Contains(string(verify), want) {
			t.Fatalf("nagios4 -v %s: no %q in its report\n%s", main, want, verify)
		}
	}
	t.Logf("nagios4 -v: %s", strings.Join(grepLines(string(verify), `^(Nagios Core|Things look okay|Total )`), "; "))

	n := &nagios{
		status: p("var/status.dat"), commandFile: p("rw/nagios.cmd"),
		services: nagiosCommandLines(t, readFile(t, shippedCommands)+viaNRPE, services+viaNRPE, cnf, rec),
		timeout:  timeout, rec: rec, nrpe: nr,
	}
	// Nagios kills a check at service_check_timeout and calls it CRITICAL:
	// every shipped line must give up (-t, default 10s) well before.
	for svc, line := range n.services {
		limit := 10.0
		if m := regexp.MustCompile(`(?:^|\s)(?:-t|--timeout)[ =]([0-9.]+)(?:\s|$)`).FindStringSubmatch(line); m != nil {
			limit, _ = strconv.ParseFloat(m[1], 64)
		}
		if limit > float64(timeout-nagiosTimeoutMargin) {
			t.Errorf("%s: -t %gs leaves less than %ds before Debian's service_check_timeout=%d: %s", svc, limit, nagiosTimeoutMargin, timeout, line)
		}
	}
	for _, m := range regexp.MustCompile(`(?m)^\s*host_name\s+(\S+)\s*$`).FindAllStringSubmatch(services, -1) {
		if !contains(n.hosts, m[1]) {
			n.hosts = append(n.hosts, m[1])
		}
	}
	n.daemon = startDaemon(t, "nagios4", filepath.Join(dir, "nagios4.out"), nagiosBin, main)
	deadline := time.Now().Add(20 * time.Second)
	for {
		if fi, err := os.Stat(n.commandFile); err == nil && fi.Mode()&os.ModeNamedPipe != 0 {
			if _, err := os.Stat(n.status); err == nil {
				break
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil || n.exited() {
			t.Fatalf("nagios4 made no command pipe %s and status file %s within 20s\n%s\n%s", n.commandFile, n.status, n.tail(), n.logTail())
		}
		time.Sleep(100 * time.Millisecond)
	}
	return n
}

// stockServiceCheckTimeout reads service_check_timeout from Debian's
// nagios.cfg (Nagios's own default, 60, when it is not set).
func stockServiceCheckTimeout(t *testing.T) int {
	timeout := 60
	if m := regexp.MustCompile(`(?m)^service_check_timeout=([0-9]+)\s*$`).FindStringSubmatch(readFile(t, nagiosStockMain)); m != nil {
		timeout, _ = strconv.Atoi(m[1])
	}
	return timeout
}

// nagiosSandboxServices rewrites the shipped services.cfg for the sandbox:
// hosts' addresses to 127.0.0.1, every db-NAME.example.net:3306 to the
// server's address, and -P PORT of the host's server put in front of each
// service's $ARG1$. Nothing else changes.
func nagiosSandboxServices(t *testing.T, text string, sb *sandbox.Sandbox) string {
	blocks := regexp.MustCompile(`(?s)define service \{.*?\n\}`)
	text = blocks.ReplaceAllStringFunc(text, func(block string) string {
		m := regexp.MustCompile(`(?m)^\s*host_name\s+(\S+)\s*$`).FindStringSubmatch(block)
		if m == nil || sb.Server(m[1]) == nil {
			t.Fatalf("a shipped service is on no host of the seed's topology:\n%s", block)
		}
		check := regexp.MustCompile(`(?m)^(\s*check_command\s+[^!\s]+)!`)
		if !check.MatchString(block) {
			t.Fatalf("a shipped service has no check_command with $ARG1$:\n%s", block)
		}
		return check.ReplaceAllString(block, fmt.Sprintf("${1}!-P %d ", sb.Server(m[1]).Port))
	})
	for _, s := range sb.Servers() {
		text = regexp.MustCompile(`(?m)^(\s*address\s+)db-`+regexp.QuoteMeta(s.Name)+`\.example\.net\s*$`).ReplaceAllString(text, "${1}127.0.0.1")
	}
	return seedAddresses(t, text, sb, false)
}

// nagiosCommandLines expands, for every service, the command line Nagios
// runs: $USER1$, $USER3$, $HOSTADDRESS$, $HOSTNAME$, $SERVICEDESC$ (the
// checksum's state file) and $ARG1$ of the shipped commands; the result
// runs the plugin directly, for comparison.
func nagiosCommandLines(t *testing.T, commands, services, cnf string, rec *recorder) map[string]string {
	lines := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^\s*command_name\s+(\S+)\s*\n\s*command_line\s+(.+)$`).FindAllStringSubmatch(commands, -1) {
		lines[m[1]] = strings.TrimSpace(m[2])
	}
	out := map[string]string{}
	for _, block := range regexp.MustCompile(`(?s)define service \{.*?\n\}`).FindAllString(services, -1) {
		field := func(name string) string {
			m := regexp.MustCompile(`(?m)^\s*` + name + `\s+(.+?)\s*$`).FindStringSubmatch(block)
			if m == nil {
				t.Fatalf("a service has no %s:\n%s", name, block)
			}
			return m[1]
		}
		name, arg, _ := strings.Cut(field("check_command"), "!")
		line, ok := lines[name]
		if !ok {
			t.Fatalf("services.cfg uses %s, which commands.cfg does not define", name)
		}
		line = strings.NewReplacer("$USER1$", rec.dir, "$USER3$", cnf, "$HOSTADDRESS$", "127.0.0.1",
			"$HOSTNAME$", field("host_name"), "$SERVICEDESC$", field("service_description"), "$ARG1$", arg).Replace(line)
		out[field("host_name")+"!"+field("service_description")] = line
	}
	if len(out) == 0 {
		t.Fatal("the shipped services.cfg defines no service")
	}
	return out
}

// command writes one external command to Nagios's command pipe.
func (n *nagios) command(t *testing.T, cmd string) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		// O_NONBLOCK: fails with ENXIO rather than hanging when Nagios is
		// not reading the pipe.
		f, err := os.OpenFile(n.commandFile, os.O_WRONLY|syscall.O_NONBLOCK, 0)
		if err == nil {
			_, err = fmt.Fprintf(f, "[%d] %s\n", time.Now().Unix(), cmd)
			f.Close()
			if err == nil {
				return
			}
		}
		if !errors.Is(err, syscall.ENXIO) && !errors.Is(err, syscall.EAGAIN) || time.Now().After(deadline) {
			t.Fatalf("writing %q to %s: %v\n%s", cmd, n.commandFile, err, n.logTail())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// forceAll schedules a forced check of every host and service now, and
// returns the time from which results count.
func (n *nagios) forceAll(t *testing.T) time.Time {
	since := time.Now().Truncate(time.Second)
	now := time.Now().Unix()
	for _, h := range n.hosts {
		n.command(t, fmt.Sprintf("SCHEDULE_FORCED_HOST_CHECK;%s;%d", h, now))
	}
	for _, svc := range sortedKeys(n.services) {
		host, desc, _ := strings.Cut(svc, "!")
		n.command(t, fmt.Sprintf("SCHEDULE_FORCED_SVC_CHECK;%s;%s;%d", host, desc, now))
	}
	return since
}

// nagiosStatus is one servicestatus or hoststatus block of status.dat.
type nagiosStatus map[string]string

// key is "host!service" for a service, "host" for a host.
func (s nagiosStatus) key() string {
	if d, ok := s["service_description"]; ok {
		return s["host_name"] + "!" + d
	}
	return s["host_name"]
}

// checkedSince reports whether the status holds a result of a check that
// ran at or after since.
func (s nagiosStatus) checkedSince(since time.Time) bool {
	last, err := strconv.ParseInt(s["last_check"], 10, 64)
	return err == nil && s["has_been_checked"] == "1" && last >= since.Unix()
}

var nagiosStateNames = map[string]string{"0": "OK", "1": "WARNING", "2": "CRITICAL", "3": "UNKNOWN"}

// state names the service state (or host state: 0 UP, 1 DOWN, 2 UNREACHABLE).
func (s nagiosStatus) state() string {
	if _, ok := s["service_description"]; !ok {
		return map[string]string{"0": "UP", "1": "DOWN", "2": "UNREACHABLE"}[s["current_state"]]
	}
	return nagiosStateNames[s["current_state"]]
}

// output is what Nagios kept of the plugin's output, in the form the
// plugin printed it: the first line, long output lines, then "|" and the
// performance data.
func (s nagiosStatus) output() string {
	out := s["plugin_output"]
	if long := s["long_plugin_output"]; long != "" {
		out += "\n" + strings.ReplaceAll(long, `\n`, "\n")
	}
	if perf := s["performance_data"]; perf != "" {
		first, rest, _ := strings.Cut(out, "\n")
		out = first + " | " + perf
		if rest != "" {
			out += "\n" + rest
		}
	}
	return out
}

// read parses status.dat: services and hosts by key.
func (n *nagios) read(t *testing.T) (services, hosts map[string]nagiosStatus) {
	f, err := os.Open(n.status)
	if err != nil {
		t.Fatalf("%v\n%s", err, n.logTail())
	}
	defer f.Close()
	services, hosts = map[string]nagiosStatus{}, map[string]nagiosStatus{}
	var cur nagiosStatus
	var kind string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "servicestatus {" || line == "hoststatus {":
			cur, kind = nagiosStatus{}, line
		case line == "}" && cur != nil:
			if kind == "servicestatus {" {
				services[cur.key()] = cur
			} else {
				hosts[cur.key()] = cur
			}
			cur = nil
		case cur != nil:
			if k, v, ok := strings.Cut(line, "="); ok {
				cur[k] = v
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return services, hosts
}

// waitStates forces a check of every host and service, then waits until
// status.dat holds a result since then for every service, each in the
// state want gives it (every service must be listed: the test says what
// each shipped service must show). It logs what Nagios stored beside what
// the plugin prints when run directly with the same command line.
func (n *nagios) waitStates(ctx context.Context, t *testing.T, want map[string]string) {
	for svc := range n.services {
		if _, ok := want[svc]; !ok {
			t.Fatalf("no state expected for the shipped Nagios service %s", svc)
		}
	}
	since := n.forceAll(t)
	deadline := time.Now().Add(90 * time.Second)
	for {
		services, hosts := n.read(t)
		var missing []string
		for svc, state := range want {
			s, ok := services[svc]
			switch {
			case !ok:
				missing = append(missing, fmt.Sprintf("%s: not in status.dat", svc))
			case !s.checkedSince(since):
				missing = append(missing, fmt.Sprintf("%s: no check since %s (last_check %s)", svc, since.Format(time.TimeOnly), s["last_check"]))
			case s.state() != state:
				missing = append(missing, fmt.Sprintf("%s: want %s, have %s %q", svc, state, s.state(), s["plugin_output"]))
			}
		}
		for svc := range services {
			if _, ok := want[svc]; !ok {
				missing = append(missing, fmt.Sprintf("%s: unexpected service", svc))
			}
		}
		if len(missing) == 0 {
			for _, h := range n.hosts {
				// Logged, not judged: check-host-alive pings, which depends on
				// the machine's ICMP permissions rather than on replmon.
				t.Logf("nagios4 host %s: %s %q", h, hosts[h].state(), hosts[h]["plugin_output"])
			}
			n.compare(t, services)
			return
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			sort.Strings(missing)
			t.Fatalf("nagios4 did not record the wanted states within 90s:\n%s\n%s\n%s", strings.Join(missing, "\n"), n.tail(), n.logTail())
		}
		if n.exited() {
			t.Fatalf("nagios4 exited\n%s\n%s", n.tail(), n.logTail())
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// compare checks, for every service, that what status.dat holds —
// plugin_output, performance_data, long_plugin_output and state — is
// byte for byte what the plugin printed in the run Nagios took it from
// (for a check through NRPE, the run NRPE made on the database server).
func (n *nagios) compare(t *testing.T, services map[string]nagiosStatus) {
	for _, svc := range sortedKeys(n.services) {
		line, s := n.services[svc], services[svc]
		code, _ := strconv.Atoi(s["current_state"])
		got := stored{summary: s["plugin_output"], perf: s["performance_data"], code: code,
			long: strings.NewReplacer(`\\`, `\`, `\n`, "\n").Replace(s["long_plugin_output"])}
		rec, argv := n.rec, strings.Fields(line)
		if filepath.Base(argv[0]) == "check_nrpe" {
			name := ""
			for i, w := range argv {
				if w == "-c" && i+1 < len(argv) {
					name = argv[i+1]
				}
			}
			rec, argv = n.nrpe.rec, strings.Fields(n.nrpe.commands[name])
		}
		compareRuns(t, "nagios4", svc, got, rec, argv, true)
	}
}

// logTail returns the end of nagios.log, for failure messages.
func (n *nagios) logTail() string {
	b, _ := os.ReadFile(filepath.Join(filepath.Dir(filepath.Dir(n.status)), "var", "nagios.log"))
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > 30 {
		lines = lines[len(lines)-30:]
	}
	return "nagios.log:\n" + strings.Join(lines, "\n")
}

func grepLines(text, pattern string) []string {
	re := regexp.MustCompile(pattern)
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if re.MatchString(strings.TrimSpace(l)) {
			out = append(out, strings.TrimSpace(l))
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
