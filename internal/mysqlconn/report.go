package mysqlconn

import "strings"

// Reporter is the part of a plugin's report that resolving the connection
// flags feeds: the warnings about option files and TLS, for stderr, and
// with -v the option files read.
type Reporter interface {
	Warn(format string, args ...any)
	Debugf(level int, format string, args ...any)
}

// ResolveFor resolves the flags like Resolve, then hands r the warnings and
// the option files read, so that no plugin can forget them.
func (f *Flags) ResolveFor(r Reporter) (Config, error) {
	cfg, err := f.Resolve()
	if err != nil {
		return cfg, err
	}
	for _, w := range cfg.Warnings {
		r.Warn("%s", w)
	}
	if len(cfg.OptionFiles) == 0 {
		r.Debugf(1, "option files read: none")
	} else {
		r.Debugf(1, "option files read: %s", strings.Join(cfg.OptionFiles, ", "))
	}
	for _, s := range cfg.SkippedFiles {
		r.Debugf(1, "option file not used: %s", s)
	}
	return cfg, nil
}
