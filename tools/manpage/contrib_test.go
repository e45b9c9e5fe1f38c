package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/cli"
	"github.com/replmon/replmon/internal/testkit/clitest"
)

// contrib reads a file under contrib/.
func contrib(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(clitest.Root(t), "contrib", path))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestIcingaCommands keeps contrib/icinga2/commands.conf equal to what the
// flag definitions generate; -update rewrites it.
func TestIcingaCommands(t *testing.T) {
	clitest.Golden(t, filepath.Join(clitest.Root(t), "contrib", "icinga2", "commands.conf"), checkCommands(plugins()))
}

// commandBlock returns the body of object CheckCommand "name" in conf.
func commandBlock(conf, name string) (string, bool) {
	start := strings.Index(conf, "object CheckCommand \""+name+"\" {")
	if start < 0 {
		return "", false
	}
	end := strings.Index(conf[start:], "\n}\n")
	if end < 0 {
		return "", false
	}
	return conf[start : start+end], true
}

// TestIcingaMapsEveryFlag reads the shipped CheckCommands as a user gets
// them and checks that every flag of every plugin is an argument there
// with a $mysql_...$ value and a description (the password: an environment
// variable), and switches use set_if.
func TestIcingaMapsEveryFlag(t *testing.T) {
	conf := contrib(t, "icinga2/commands.conf")
	for _, p := range plugins() {
		block, ok := commandBlock(conf, commandName(p.Name))
		if !ok {
			t.Errorf("commands.conf has no CheckCommand %q for %s", commandName(p.Name), p.Name)
			continue
		}
		if !strings.Contains(block, `command = [ PluginDir + "/`+p.Name+`" ]`) {
			t.Errorf("CheckCommand %s does not run PluginDir/%s", commandName(p.Name), p.Name)
		}
		for _, f := range cli.App(p, "").Model().Flags {
			if f.Hidden || f.Name == "help" || f.Name == "version" {
				continue
			}
			if f.Name == "password" {
				if !regexp.MustCompile(`\n\tenv\.MYSQL_PWD = "\$mysql_password\$"`).MatchString(block) {
					t.Errorf("%s: the password is not passed as env.MYSQL_PWD", p.Name)
				}
				if strings.Contains(block, `"--password"`) {
					t.Errorf("%s: the password would show on the command line", p.Name)
				}
				continue
			}
			kind := "value"
			if f.IsBoolFlag() {
				kind = "set_if"
			}
			arg := regexp.MustCompile(`(?s)\t\t"--` + regexp.QuoteMeta(f.Name) + `" = \{\n\t\t\t` + kind +
				` = "\$mysql_[a-z0-9_]+\$"\n.*?\t\t\tdescription = "[^"]+`)
			if !arg.MatchString(block) {
				t.Errorf("%s: --%s is not mapped as an argument with %s = \"$mysql_...$\" and a description", p.Name, f.Name, kind)
			}
		}
	}
}

// TestIcingaExamplesUseDefinedVars fails when the shipped host and service
// examples set a mysql_ variable that no CheckCommand reads, as happens
// when a flag is renamed.
func TestIcingaExamplesUseDefinedVars(t *testing.T) {
	defined := map[string]bool{}
	for _, m := range regexp.MustCompile(`\$(mysql_[a-z0-9_]+)\$`).FindAllStringSubmatch(contrib(t, "icinga2/commands.conf"), -1) {
		defined[m[1]] = true
	}
	for _, file := range []string{"icinga2/replmon-hosts.conf", "icinga2/replmon-services.conf"} {
		used := regexp.MustCompile(`vars\.(mysql_[a-z0-9_]+)`).FindAllStringSubmatch(contrib(t, file), -1)
		if len(used) == 0 {
			t.Errorf("%s sets no mysql_ variable", file)
		}
		for _, m := range used {
			if !defined[m[1]] {
				t.Errorf("%s sets vars.%s, which no CheckCommand reads", file, m[1])
			}
		}
	}
	services := contrib(t, "icinga2/replmon-services.conf")
	for _, p := range plugins() {
		if !strings.Contains(services, `check_command = "`+commandName(p.Name)+`"`) {
			t.Errorf("replmon-services.conf has no service running %s", commandName(p.Name))
		}
	}
}

// macro matches a Nagios macro such as $USER1$ or $HOSTADDRESS$.
var macro = regexp.MustCompile(`\$[A-Z0-9_]+\$`)

// parseLine checks that a shipped command line runs a known plugin with
// flags it accepts; macros stand for values, $ARGn$ for nothing.
func parseLine(t *testing.T, where, line string) string {
	t.Helper()
	fields := strings.Fields(line)
	if len(fields) == 0 {
		t.Errorf("%s: empty command line", where)
		return ""
	}
	name := filepath.Base(fields[0])
	var args []string
	for _, a := range fields[1:] {
		if regexp.MustCompile(`^\$ARG[0-9]+\$$`).MatchString(a) {
			continue
		}
		args = append(args, macro.ReplaceAllString(a, "1"))
	}
	for _, p := range plugins() {
		if p.Name == name {
			if _, err := cli.App(p, "").Parse(args); err != nil {
				t.Errorf("%s: %s: %v", where, line, err)
			}
			return name
		}
	}
	t.Errorf("%s: %s runs no known plugin", where, line)
	return ""
}

// TestNagiosCommands checks contrib/nagios: a command per plugin whose
// command line the plugin accepts.
func TestNagiosCommands(t *testing.T) {
	conf := contrib(t, "nagios/commands.cfg")
	re := regexp.MustCompile(`(?m)^\s*command_name\s+(\S+)\s*\n\s*command_line\s+(.+)$`)
	seen := map[string]bool{}
	for _, m := range re.FindAllStringSubmatch(conf, -1) {
		seen[parseLine(t, "nagios/commands.cfg "+m[1], m[2])] = true
	}
	for _, p := range plugins() {
		if !seen[p.Name] {
			t.Errorf("nagios/commands.cfg defines no command running %s", p.Name)
		}
	}
	services := contrib(t, "nagios/services.cfg")
	for _, m := range regexp.MustCompile(`(?m)^\s*check_command\s+([^!\s]+)`).FindAllStringSubmatch(services, -1) {
		if !strings.Contains(conf, "command_name    "+m[1]+"\n") && !strings.HasPrefix(m[1], "check-host-alive") {
			t.Errorf("nagios/services.cfg uses command %s, which commands.cfg does not define", m[1])
		}
	}
}

// TestNRPECommands checks contrib/nrpe: a command[...] line per plugin that
// the plugin accepts, with no argument passing from the client.
func TestNRPECommands(t *testing.T) {
	conf := contrib(t, "nrpe/replmon.cfg")
	re := regexp.MustCompile(`(?m)^command\[([a-z0-9_]+)\]=(.+)$`)
	seen := map[string]bool{}
	for _, m := range re.FindAllStringSubmatch(conf, -1) {
		if strings.Contains(m[2], "$ARG") {
			t.Errorf("nrpe command %s takes arguments from the client", m[1])
		}
		if !strings.HasPrefix(m[2], "/usr/lib/nagios/plugins/") {
			t.Errorf("nrpe command %s does not run the installed plugin: %s", m[1], m[2])
		}
		seen[parseLine(t, "nrpe/replmon.cfg "+m[1], m[2])] = true
	}
	for _, p := range plugins() {
		if !seen[p.Name] {
			t.Errorf("nrpe/replmon.cfg has no command running %s", p.Name)
		}
	}
}

// nagiosServiceCheckTimeout is service_check_timeout in Debian's
// /etc/nagios4/nagios.cfg (Nagios's default too): Nagios kills a check
// then and calls it CRITICAL. nagiosMargin is the least time a shipped
// service's -t leaves before it (docs/INSTALL.md).
const (
	nagiosServiceCheckTimeout = 60 * time.Second
	nagiosMargin              = 10 * time.Second
)

// TestNagiosTimeouts keeps the shipped Nagios chain consistent: every
// service's plugin gives up (-t, or the default) at least nagiosMargin
// before Nagios would kill it, so a slow check ends as the plugin's own
// UNKNOWN naming the stage, not as Nagios's "(Service check timed out)".
func TestNagiosTimeouts(t *testing.T) {
	services := contrib(t, "nagios/services.cfg")
	checks := regexp.MustCompile(`(?m)^\s*check_command\s+(check_repl_[a-z]+)(?:!(.*))?$`).FindAllStringSubmatch(services, -1)
	if len(checks) == 0 {
		t.Fatal("nagios/services.cfg has no check_command running a plugin")
	}
	for _, m := range checks {
		limit := cli.DefaultTimeout
		if t0 := regexp.MustCompile(`(?:^|\s)(?:-t|--timeout)[ =](\S+)`).FindStringSubmatch(m[2]); t0 != nil {
			d, _, err := cli.ParseTimeoutState(t0[1])
			if err != nil {
				t.Errorf("%s!%s: %v", m[1], m[2], err)
				continue
			}
			limit = d
		}
		if limit > nagiosServiceCheckTimeout-nagiosMargin {
			t.Errorf("%s!%s: -t %s leaves less than %s before Nagios's service_check_timeout of %s",
				m[1], m[2], limit, nagiosMargin, nagiosServiceCheckTimeout)
		}
	}
}
