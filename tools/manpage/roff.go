package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/replmon/replmon/internal/cli"
	"github.com/replmon/replmon/internal/optfile"
	"github.com/replmon/replmon/internal/plugin"
)

// page renders the man page (section 1, roff) of e's plugin for the suite
// version (empty: the module's build info); others are the suite's other
// plugins, named under SEE ALSO.
func page(e entry, version string, others []string) string {
	p := e.New()
	flags := flagsOf(p)
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }

	// The version -V prints, with the same fallback to the build info.
	version = strings.TrimPrefix(cli.VersionString(p.Name, version), p.Name+" ")
	w(`.TH %s 1 "" "replmon %s" "Monitoring Plugins"`, strings.ToUpper(p.Name), text(version))
	w(".SH NAME")
	w(`%s \- %s`, opt(p.Name), text(summary(p.Help)))

	w(".SH SYNOPSIS")
	w(".B %s", opt(p.Name))
	w(`[\fIOPTION\fR]...`)

	w(".SH DESCRIPTION")
	w("%s", text(p.Help))
	w(".PP")
	w(`It prints one line of Nagios plugin output (status, summary and performance data), ` +
		`possibly followed by detail lines, and exits with the status as its code. ` +
		`Debug output, asked for with \fB\-v\fR, goes to standard error only.`)

	w(".SH OPTIONS")
	for g := general; g <= check; g++ {
		first := true
		for _, f := range flags {
			if f.Group != g {
				continue
			}
			if first {
				w(`.SS "%s"`, groupTitles[g])
				first = false
			}
			w(".TP")
			w("%s", optionHead(f))
			help := text(f.Help)
			if len(f.Default) > 0 && f.Default[0] != "" {
				help += " Default: " + text(strings.Join(f.Default, ", ")) + "."
			}
			if f.Repeatable() && !f.IsBoolFlag() {
				help += " May be given more than once."
			}
			w("%s", help)
		}
	}

	w(".SH EXIT STATUS")
	for _, s := range []struct {
		code int
		text string
	}{
		{int(plugin.OK), "OK: everything checked is as it should be."},
		{int(plugin.WARNING), "WARNING: a threshold or rule for warnings was crossed."},
		{int(plugin.CRITICAL), "CRITICAL: a critical threshold or rule was crossed, or a server could not be reached."},
		{int(plugin.UNKNOWN), "UNKNOWN: no verdict could be made: invalid command line, timeout, missing privilege, internal error; also after --help and --version, which check nothing."},
	} {
		w(".TP")
		w(".B %d", s.code)
		w("%s", text(s.text))
	}

	if hasGroup(flags, connection) {
		w(".SH ENVIRONMENT")
		w(".TP")
		w(".B MYSQL_PWD")
		w("Password used when neither \\fB\\-\\-password\\fR nor an option file gives one. " +
			"It keeps the password out of the process list, as an option file does (" +
			text(optionFilePath) + ", owner " + optionFileOwner + ", group " + optionFileGroup + ", mode " + optionFileMode + ").")
		w(".TP")
		w(".B MYSQL_GROUP_SUFFIX")
		w("Default for \\fB\\-\\-defaults\\-group\\-suffix\\fR.")
		w(".TP")
		w(".B MYSQL_HOME")
		w("Directory of one more my.cnf to read.")
		w(".SH FILES")
		groups := "[" + strings.Join(optfile.Groups(""), "], [") + "]"
		w("Unless \\fB\\-\\-no\\-defaults\\fR or \\fB\\-\\-defaults\\-file\\fR is given, the option groups " +
			text(groups) + " (and the same names with the \\fB\\-\\-defaults\\-group\\-suffix\\fR appended) " +
			"are read from these files, later files overriding earlier ones:")
		w(".PP")
		w(".nf")
		w(".RS")
		for _, f := range []string{"/etc/my.cnf", "/etc/mysql/my.cnf", "$MYSQL_HOME/my.cnf", "~/.my.cnf"} {
			w("%s", text(f))
		}
		w(".RE")
		w(".fi")
		w(".PP")
		w("Options given on the command line win over the files.")
	}

	if len(e.Privileges) > 0 {
		w(".SH PRIVILEGES")
		w("The monitoring account needs, on every server the plugin reads:")
		for r, name := range serverRanges {
			var grants []string
			for _, pr := range e.Privileges {
				if pr.required() && pr.Grant[r] != "" && !slices.Contains(grants, pr.Grant[r]) {
					grants = append(grants, pr.Grant[r])
				}
			}
			w(".TP")
			w("%s", text(name))
			w("%s", text(strings.Join(grants, ", ")+" ON *.*"))
		}
		w(".PP")
		w("What it reads with each:")
		for _, pr := range e.Privileges {
			var per []string
			for r, g := range pr.Grant {
				if g != "" {
					per = append(per, g+" ("+serverRanges[r]+")")
				}
			}
			if pr.Grant[0] != "" && pr.Grant[0] == pr.Grant[1] && pr.Grant[1] == pr.Grant[2] {
				per = []string{pr.Grant[0] + " (every server)"}
			}
			w(".TP")
			w("%s", text(strings.Join(per, "; ")))
			when := ""
			if pr.When != "" {
				when = " (" + pr.When + ")"
			}
			w("%s", text("For "+pr.For+when+", on "+pr.On+". Without it: "+pr.Without+"."))
		}
		w(".PP")
		w("%s", text("The tables of the three plugins: docs/INSTALL.md, \"The monitoring account\"."))
	}

	if len(e.Examples) > 0 {
		w(".SH EXAMPLES")
		for _, ex := range e.Examples {
			w(".PP")
			w("%s", text(ex.Text))
			w(".PP")
			w(".RS")
			w(".nf")
			w("%s", opt(commandLine(p.Name, ex.Args)))
			w(".fi")
			w(".RE")
		}
	}

	if len(others) > 0 {
		w(".SH SEE ALSO")
		refs := make([]string, len(others))
		for i, o := range others {
			refs[i] = fmt.Sprintf(`\fB%s\fR(1)`, opt(o))
		}
		w("%s", strings.Join(refs, ", "))
	}
	return b.String()
}

// optionHead is the tag line of one option: "-w, --warning=WARNING".
func optionHead(f option) string {
	var s string
	if f.Short != 0 {
		s = fmt.Sprintf(`\fB\-%c\fR, `, f.Short)
	}
	s += `\fB\-\-` + opt(f.Name) + `\fR`
	if arg := f.Arg(); arg != "" {
		s += `=\fI` + text(arg) + `\fR`
	}
	return s
}

// summary is the first clause of a help text, for the NAME line.
func summary(help string) string {
	cut := len(help)
	for _, sep := range []string{": ", ". ", " — "} {
		if i := strings.Index(help, sep); i >= 0 && i < cut {
			cut = i
		}
	}
	s := strings.TrimSuffix(help[:cut], ".")
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// commandLine writes name and args as a shell command, quoting where
// needed, continued with a backslash before an option that would pass the
// 72nd column.
func commandLine(name string, args []string) string {
	var lines []string
	line := name
	for i := 0; i < len(args); i++ {
		word := shellQuote(args[i])
		// Keep an option and its separate value together.
		if strings.HasPrefix(args[i], "-") && !strings.Contains(args[i], "=") && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
			i++
			word += " " + shellQuote(args[i])
		}
		if len(line)+1+len(word) > 72 && line != name {
			lines = append(lines, line+` \`)
			line = "    " + word
			continue
		}
		line += " " + word
	}
	return strings.Join(append(lines, line), "\n")
}

// shellQuote quotes s for a POSIX shell when it holds anything but safe characters.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=.,:/@%+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// hasGroup reports whether any flag belongs to g.
func hasGroup(flags []option, g group) bool {
	for _, f := range flags {
		if f.Group == g {
			return true
		}
	}
	return false
}

// text escapes prose for roff: backslashes, a leading control character,
// and the few non-ASCII characters the help texts use.
func text(s string) string {
	s = strings.NewReplacer(`\`, `\e`, "—", `\(em`, "–", `\(en`, "’", `\(cq`).Replace(s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, ".") || strings.HasPrefix(l, "'") {
			lines[i] = `\&` + l
		}
	}
	return strings.Join(lines, "\n")
}

// opt escapes text that users type (option names, commands): hyphens stay
// ASCII hyphen-minus when copied from the rendered page.
func opt(s string) string {
	return strings.ReplaceAll(text(s), "-", `\-`)
}
