package main

import (
	"fmt"
	"strings"

	"github.com/replmon/replmon/internal/cli"
)

// icingaHeader starts the generated CheckCommand file.
const icingaHeader = `/*
 * Icinga 2 CheckCommand definitions for the replmon plugins: one per plugin,
 * one argument per flag, each with a custom variable named $mysql_...$.
 *
 * GENERATED from the flag definitions the plugins parse; do not edit. After a
 * flag changes, regenerate with:
 *   go test ./tools/manpage -run TestIcingaCommands -update
 *
 * Connection variables (mysql_host, mysql_port, mysql_user, ...) are shared by
 * every command, so a Host sets them once; the others carry the command's name
 * (mysql_repl_io_warning, ...). mysql_host defaults to the host's address.
 * The password goes to the plugin through the environment (MYSQL_PWD), never
 * on the command line, so it does not show in the process list; Icinga Web 2
 * hides variables matching *pass* by default. An option file is safer still:
 * mysql_defaults_file = "/etc/nagios/replmon.cnf", owner root, group nagios,
 * mode 0640.
 *
 * Include it with PluginDir pointing at the plugins, e.g. in icinga2.conf:
 *   include "/usr/share/replmon-plugins/icinga2/commands.conf"
 */
`

// passwordFlag is the flag passed through the environment instead.
const passwordFlag = "password"

// commandName is the CheckCommand name of a plugin: check_repl_io -> repl_io.
func commandName(pluginName string) string {
	return strings.TrimPrefix(pluginName, "check_")
}

// icingaVar is the custom variable that feeds flag f of plugin p.
func icingaVar(p cli.Plugin, f option) string {
	name := strings.ReplaceAll(f.Name, "-", "_")
	if f.Group == connection {
		return "mysql_" + name
	}
	return "mysql_" + commandName(p.Name) + "_" + name
}

// mapped reports whether a flag becomes a CheckCommand argument: --help and
// --version make no check.
func mapped(f option) bool {
	return f.Name != "help" && f.Name != "version"
}

// checkCommands renders one CheckCommand per plugin.
func checkCommands(ps []cli.Plugin) string {
	var b strings.Builder
	b.WriteString(icingaHeader)
	for _, p := range ps {
		b.WriteString("\n")
		writeCheckCommand(&b, p)
	}
	return b.String()
}

// writeCheckCommand renders the CheckCommand of p.
func writeCheckCommand(b *strings.Builder, p cli.Plugin) {
	w := func(format string, a ...any) { fmt.Fprintf(b, format+"\n", a...) }
	w("object CheckCommand %s {", icingaString(commandName(p.Name)))
	w("\tcommand = [ PluginDir + %s ]", icingaString("/"+p.Name))
	w("")
	w("\targuments = {")
	var password *option
	host := false
	for _, f := range flagsOf(p) {
		host = host || (f.Name == "host" && f.Group == connection)
		if !mapped(f) {
			continue
		}
		if f.Name == passwordFlag && f.Group == connection {
			password = &f
			continue
		}
		help := f.Help
		if len(f.Default) > 0 && f.Default[0] != "" {
			help += " Default: " + strings.Join(f.Default, ", ") + "."
		}
		w("\t\t%s = {", icingaString("--"+f.Name))
		if f.IsBoolFlag() {
			w("\t\t\tset_if = %s", icingaString("$"+icingaVar(p, f)+"$"))
		} else {
			w("\t\t\tvalue = %s", icingaString("$"+icingaVar(p, f)+"$"))
			if f.Repeatable() {
				w("\t\t\trepeat_key = true")
				help += " An array gives the flag once per element."
			}
		}
		w("\t\t\tdescription = %s", icingaString(help))
		w("\t\t}")
	}
	w("\t}")
	if password != nil {
		w("")
		w("\t/* --password: %s */", strings.ReplaceAll(password.Help, "*/", "* /"))
		w("\tenv.MYSQL_PWD = %s", icingaString("$"+icingaVar(p, *password)+"$"))
	}
	if host {
		w("")
		w("\tvars.mysql_host = \"$address$\"")
	}
	w("}")
}

// icingaString quotes s as an Icinga 2 DSL string literal.
func icingaString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`).Replace(s) + `"`
}
