package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/cli"
)

// The daemons' timeouts the shipped definitions rely on, as Debian ships
// them: NRPE's command_timeout (/etc/nagios/nrpe.cfg) and the timeout of an
// Icinga 2 CheckCommand when neither it nor the service sets one.
const (
	debianNRPECommandTimeout = 60 * time.Second
	icingaDefaultTimeout     = time.Minute
)

// pluginTimeout is the -t a command line gives the plugin, or its default.
func pluginTimeout(t *testing.T, line string) time.Duration {
	t.Helper()
	m := regexp.MustCompile(`(?:^|\s)(?:-t|--timeout)[ =](\S+)`).FindStringSubmatch(line)
	if m == nil {
		return cli.DefaultTimeout
	}
	d, _, err := cli.ParseTimeoutState(m[1])
	if err != nil {
		t.Errorf("%s: %v", line, err)
	}
	return d
}

// checkNRPETimeout is the -t of a check_nrpe command line, which must be
// given: check_nrpe's default of 10 s cuts a checksum off.
func checkNRPETimeout(t *testing.T, where, line string) time.Duration {
	t.Helper()
	m := regexp.MustCompile(`(?:^|\s)-t[ =]?([0-9]+)(?::[a-zA-Z]+)?(?:\s|$)`).FindStringSubmatch(line)
	if m == nil {
		t.Errorf("%s: check_nrpe has no -t, so it gives up after 10 s whatever the plugin's -t: %s", where, line)
		return 10 * time.Second
	}
	n, _ := strconv.Atoi(m[1])
	return time.Duration(n) * time.Second
}

// icingaDuration parses an Icinga 2 duration: 2m, 30s, 90.
func icingaDuration(t *testing.T, s string) time.Duration {
	t.Helper()
	m := regexp.MustCompile(`^([0-9.]+)(ms|s|m|h)?$`).FindStringSubmatch(s)
	if m == nil {
		t.Errorf("not an Icinga 2 duration: %q", s)
		return 0
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	unit := map[string]time.Duration{"": time.Second, "ms": time.Millisecond, "s": time.Second, "m": time.Minute, "h": time.Hour}[m[2]]
	return time.Duration(v * float64(unit))
}

// within fails unless inner leaves nagiosMargin before outer.
func within(t *testing.T, where, inner string, in time.Duration, outer string, out time.Duration) {
	t.Helper()
	if in+nagiosMargin > out {
		t.Errorf("%s: %s (%s) leaves less than %s before %s (%s)", where, inner, in, nagiosMargin, outer, out)
	}
}

// nrpeCommands reads the shipped NRPE command lines by name.
func nrpeCommands(t *testing.T) map[string]string {
	out := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^command\[([a-z0-9_]+)\]=(.+)$`).FindAllStringSubmatch(contrib(t, "nrpe/replmon.cfg"), -1) {
		out[m[1]] = m[2]
	}
	if len(out) == 0 {
		t.Fatal("nrpe/replmon.cfg has no command")
	}
	return out
}

// TestNRPETimeouts keeps the NRPE chains consistent, innermost first: the
// plugin's -t < NRPE's command_timeout, and the plugin's -t < check_nrpe's
// -t < the daemon's timeout, in the shipped Nagios and Icinga 2 examples
// that call NRPE; every NRPE command is called by both, and each names one
// that nrpe/replmon.cfg defines.
func TestNRPETimeouts(t *testing.T) {
	nrpe := nrpeCommands(t)
	conf := contrib(t, "nrpe/replmon.cfg")
	if regexp.MustCompile(`(?m)^\s*command_timeout\s*=`).MatchString(conf) {
		t.Errorf("nrpe/replmon.cfg sets command_timeout, which changes it for every command of the NRPE it is included in")
	}
	for name, line := range nrpe {
		within(t, "nrpe "+name, "the plugin's -t", pluginTimeout(t, line), "Debian's NRPE command_timeout", debianNRPECommandTimeout)
	}

	// Nagios: check_nrpe_replmon!<command>.
	nagios := contrib(t, "nagios/replmon-nrpe.cfg")
	cmd := regexp.MustCompile(`(?m)^\s*command_name\s+check_nrpe_replmon\s*\n\s*command_line\s+(.+)$`).FindStringSubmatch(nagios)
	if cmd == nil {
		t.Fatal("nagios/replmon-nrpe.cfg defines no command check_nrpe_replmon")
	}
	if !strings.Contains(cmd[1], "/check_nrpe ") || !strings.Contains(cmd[1], "-c $ARG1$") {
		t.Errorf("check_nrpe_replmon does not run check_nrpe -c $ARG1$: %s", cmd[1])
	}
	nagiosNRPE := checkNRPETimeout(t, "nagios/replmon-nrpe.cfg", cmd[1])
	within(t, "nagios/replmon-nrpe.cfg", "check_nrpe's -t", nagiosNRPE, "Nagios's service_check_timeout", nagiosServiceCheckTimeout)
	used := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\s*check_command\s+check_nrpe_replmon!(\S+)\s*$`).FindAllStringSubmatch(nagios, -1) {
		line, ok := nrpe[m[1]]
		if !ok {
			t.Errorf("nagios/replmon-nrpe.cfg calls the NRPE command %s, which nrpe/replmon.cfg does not define", m[1])
			continue
		}
		used[m[1]] = true
		within(t, "nagios/replmon-nrpe.cfg "+m[1], "the plugin's -t", pluginTimeout(t, line), "check_nrpe's -t", nagiosNRPE)
	}
	for name := range nrpe {
		if !used[name] {
			t.Errorf("nagios/replmon-nrpe.cfg has no service calling the NRPE command %s", name)
		}
	}

	// Icinga 2: the ITL's nrpe with vars.nrpe_command.
	icinga := contrib(t, "icinga2/replmon-nrpe.conf")
	tmpl := regexp.MustCompile(`(?s)template Service "replmon-nrpe-service" \{(.*?)\n\}`).FindStringSubmatch(icinga)
	if tmpl == nil {
		t.Fatal(`icinga2/replmon-nrpe.conf has no template Service "replmon-nrpe-service"`)
	}
	checkTimeout := icingaDefaultTimeout
	if m := regexp.MustCompile(`\n\tcheck_timeout = (\S+)`).FindStringSubmatch(tmpl[1]); m != nil {
		checkTimeout = icingaDuration(t, m[1])
	}
	m := regexp.MustCompile(`\n\tvars\.nrpe_timeout = "?([0-9]+)"?`).FindStringSubmatch(tmpl[1])
	if m == nil {
		t.Fatal("replmon-nrpe-service sets no vars.nrpe_timeout: check_nrpe gives up after 10 s")
	}
	icingaNRPE := icingaDuration(t, m[1])
	within(t, "icinga2/replmon-nrpe.conf", "check_nrpe's -t (nrpe_timeout)", icingaNRPE, "check_timeout", checkTimeout)
	used = map[string]bool{}
	for _, m := range regexp.MustCompile(`vars\.nrpe_command = "([^"]+)"`).FindAllStringSubmatch(icinga, -1) {
		line, ok := nrpe[m[1]]
		if !ok {
			t.Errorf("icinga2/replmon-nrpe.conf calls the NRPE command %s, which nrpe/replmon.cfg does not define", m[1])
			continue
		}
		used[m[1]] = true
		within(t, "icinga2/replmon-nrpe.conf "+m[1], "the plugin's -t", pluginTimeout(t, line), "check_nrpe's -t (nrpe_timeout)", icingaNRPE)
	}
	for name := range nrpe {
		if !used[name] {
			t.Errorf("icinga2/replmon-nrpe.conf has no service calling the NRPE command %s", name)
		}
	}
}

// TestIcingaTimeouts: every shipped Icinga 2 service's plugin gives up (its
// mysql_<command>_timeout, or the plugin's default) at least nagiosMargin
// before Icinga kills it (check_timeout, or the CheckCommand's default).
func TestIcingaTimeouts(t *testing.T) {
	services := contrib(t, "icinga2/replmon-services.conf")
	blocks := regexp.MustCompile(`(?s)apply Service "([^"]+)" \{(.*?)\n\}`).FindAllStringSubmatch(services, -1)
	if len(blocks) == 0 {
		t.Fatal("icinga2/replmon-services.conf has no apply Service")
	}
	for _, b := range blocks {
		cmd := regexp.MustCompile(`check_command = "([a-z_]+)"`).FindStringSubmatch(b[2])
		if cmd == nil {
			t.Errorf("service %s has no check_command", b[1])
			continue
		}
		limit := icingaDefaultTimeout
		if m := regexp.MustCompile(`\n\tcheck_timeout = (\S+)`).FindStringSubmatch(b[2]); m != nil {
			limit = icingaDuration(t, m[1])
		}
		plugin := cli.DefaultTimeout
		if m := regexp.MustCompile(`\n\tvars\.mysql_` + cmd[1] + `_timeout = "?([^"\s]+)"?`).FindStringSubmatch(b[2]); m != nil {
			d, _, err := cli.ParseTimeoutState(m[1])
			if err != nil {
				t.Errorf("service %s: %v", b[1], err)
			}
			plugin = d
		}
		within(t, "icinga2 service "+b[1], "the plugin's -t", plugin, "check_timeout", limit)
	}
}

// TestIcingaZones checks the distributed layout: every site template of
// replmon-hosts.conf names, in vars.replmon_satellite, an Endpoint of
// replmon-zones.conf alone in a zone under "master"; every host belongs to
// a site; the service template sends checks to that endpoint.
func TestIcingaZones(t *testing.T) {
	zones := contrib(t, "icinga2/replmon-zones.conf")
	hosts := contrib(t, "icinga2/replmon-hosts.conf")
	endpoints := map[string]bool{}
	for _, m := range regexp.MustCompile(`object Endpoint "([^"]+)"`).FindAllStringSubmatch(zones, -1) {
		endpoints[m[1]] = true
	}
	child := map[string]string{} // endpoint -> its zone, for zones under master
	for _, m := range regexp.MustCompile(`(?s)object Zone "([^"]+)" \{\n\tendpoints = \[ "([^"]+)" \]\n\tparent = "master"\n\}`).FindAllStringSubmatch(zones, -1) {
		child[m[2]] = m[1]
	}
	if !regexp.MustCompile(`object Zone "master" \{\n\tendpoints = \[ "[^"]+" \]\n\}`).MatchString(zones) {
		t.Error(`replmon-zones.conf has no Zone "master" with its endpoint`)
	}
	sites := map[string]string{} // site template -> satellite
	for _, m := range regexp.MustCompile(`(?s)template Host "(replmon-site[0-9]+)" \{.*?vars\.replmon_satellite = "([^"]+)"`).FindAllStringSubmatch(hosts, -1) {
		sites[m[1]] = m[2]
		if !endpoints[m[2]] || child[m[2]] == "" {
			t.Errorf("%s sends checks to %s, which replmon-zones.conf does not define as an Endpoint in a zone under master", m[1], m[2])
		}
	}
	if len(sites) != 2 {
		t.Errorf("replmon-hosts.conf has %d site templates, want the seed's 2", len(sites))
	}
	for _, m := range regexp.MustCompile(`(?s)object Host "([^"]+)" \{\n\timport "([^"]+)"`).FindAllStringSubmatch(hosts, -1) {
		if _, ok := sites[m[2]]; !ok {
			t.Errorf("host %s imports %s, not a site template", m[1], m[2])
		}
	}
	services := contrib(t, "icinga2/replmon-services.conf")
	if !strings.Contains(services, "command_endpoint = host.vars.replmon_satellite") {
		t.Error("the template replmon-service does not send checks to the host's satellite (command_endpoint)")
	}
}
