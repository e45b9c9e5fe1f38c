package address

import "strings"

// Value is a kingpin flag value holding one address, parsed when the flag
// is: a bad address is a command-line error naming the flag, before
// anything is connected.
type Value struct {
	Flag string // the flag's name with its dashes, for errors: "--expect-source"
	Addr Addr
	set  bool
}

// Set parses s.
func (v *Value) Set(s string) error {
	a, err := Parse(s)
	if err != nil {
		return flagError{v.Flag, err}
	}
	v.Addr, v.set = a, true
	return nil
}

// String returns the address as given.
func (v *Value) String() string {
	if !v.set {
		return ""
	}
	return v.Addr.String()
}

// IsSet reports whether the flag was given.
func (v *Value) IsSet() bool { return v.set }

// List is a kingpin flag value holding repeated addresses (--replica,
// --server), each parsed when given. One value may also hold several,
// separated by commas or spaces.
type List struct {
	Flag  string
	Addrs []Addr
}

// Set parses one value of the flag: an address, or several separated by
// commas or spaces.
func (l *List) Set(s string) error {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
	if len(parts) == 0 {
		parts = []string{""} // Parse says it is empty
	}
	for _, part := range parts {
		a, err := Parse(part)
		if err != nil {
			return flagError{l.Flag, err}
		}
		l.Addrs = append(l.Addrs, a)
	}
	return nil
}

// String returns the addresses given, comma-separated.
func (l *List) String() string {
	parts := make([]string, len(l.Addrs))
	for i, a := range l.Addrs {
		parts[i] = a.String()
	}
	return strings.Join(parts, ",")
}

// IsCumulative tells kingpin the flag may be repeated.
func (l *List) IsCumulative() bool { return true }

// flagError names the flag before the parse error.
type flagError struct {
	flag string
	err  error
}

func (e flagError) Error() string { return e.flag + ": " + e.err.Error() }
func (e flagError) Unwrap() error { return e.err }
