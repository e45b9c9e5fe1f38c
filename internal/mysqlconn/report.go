package mysqlconn

// Reporter is the part of a plugin's report that resolving the connection
// flags feeds: the warnings about option files and TLS, for stderr.
type Reporter interface {
	Warn(format string, args ...any)
}

// ResolveFor resolves the flags like Resolve, then hands r the warnings, so
// that no plugin can forget them.
func (f *Flags) ResolveFor(r Reporter) (Config, error) {
	cfg, err := f.Resolve()
	if err != nil {
		return cfg, err
	}
	for _, w := range cfg.Warnings {
		r.Warn("%s", w)
	}
	return cfg, nil
}
