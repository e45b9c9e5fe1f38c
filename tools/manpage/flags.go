package main

import (
	"strings"

	"github.com/alecthomas/kingpin/v2"

	"github.com/replmon/replmon/internal/cli"
	"github.com/replmon/replmon/internal/mysqlconn"
)

// group is where a flag belongs on a page and in a CheckCommand.
type group int

const (
	general    group = iota // every plugin: -h, -V, -t, -v
	connection              // how to reach the server: mysqlconn.Flags
	check                   // the check's own options
)

// groupTitles are the OPTIONS subsections, by group.
var groupTitles = [...]string{"General options", "Connection options", "Check options"}

// option is one visible flag of a plugin.
type option struct {
	*kingpin.FlagModel
	Group group
}

// Repeatable reports whether the flag may be given more than once.
func (f option) Repeatable() bool {
	r, ok := f.Value.(interface{ IsCumulative() bool })
	return ok && r.IsCumulative()
}

// Arg is the placeholder of the flag's value, "" for a switch.
func (f option) Arg() string {
	if f.IsBoolFlag() {
		return ""
	}
	if f.PlaceHolder != "" {
		return f.PlaceHolder
	}
	return strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
}

// flagsOf returns the visible flags of p in the order the plugin registers
// them, each with its group, read from the same definitions the binary parses.
func flagsOf(p cli.Plugin) []option {
	generalNames := names(cli.App(cli.Plugin{Name: p.Name, Setup: func(*kingpin.Application) cli.Check { return cli.Check{} }}, ""))
	connApp := kingpin.New("conn", "")
	(&mysqlconn.Flags{}).Register(connApp)
	connNames := names(connApp)

	var out []option
	for _, f := range cli.App(p, "").Model().Flags {
		if f.Hidden {
			continue
		}
		g := check
		switch {
		case generalNames[f.Name]:
			g = general
		case connNames[f.Name]:
			g = connection
		}
		out = append(out, option{f, g})
	}
	return out
}

// names returns the names of the flags of app.
func names(app *kingpin.Application) map[string]bool {
	m := map[string]bool{}
	for _, f := range app.Model().Flags {
		m[f.Name] = true
	}
	return m
}
