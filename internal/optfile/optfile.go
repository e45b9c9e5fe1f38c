// Package optfile reads MySQL and MariaDB option files (my.cnf) the way the
// client library does.
//
// The syntax follows mysys/my_default of both servers: "[group]" headers,
// "name" and "name=value" lines, "#" and ";" comment lines, "#" comments after
// a value unless inside quotes, one pair of surrounding quotes removed, the
// escapes \b \t \n \r \s \\ \" \' (any other backslash is kept as it is), and
// the "!include FILE" and "!includedir DIR" directives.
//
// It is stricter than the client in a few places, so that a broken file fails
// loudly instead of silently losing a credential: a value that opens a quote
// it does not close, an empty group name, an unreadable !includedir directory,
// an include cycle and an error inside an included file are all errors. Error
// messages name the file and line but never contain an option value.
package optfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
)

// Options maps normalised option names to their values.
type Options map[string]string

// Lookup returns the value of the named option; name is normalised first.
func (o Options) Lookup(name string) (string, bool) {
	v, ok := o[normalizeName(name)]
	return v, ok
}

// Groups returns the option groups a client reads, with their variants for a
// non-empty --defaults-group-suffix.
func Groups(suffix string) []string {
	base := []string{"client", "client-server", "client-mariadb"}
	if suffix == "" {
		return base
	}
	groups := append([]string(nil), base...)
	for _, g := range base {
		groups = append(groups, g+suffix)
	}
	return groups
}

// Read parses the option file at path, following its includes, and returns
// the options of the given groups; an option set again later in the files
// overrides the earlier value.
func Read(path string, groups []string) (Options, error) {
	opts, _, err := ReadWithWarnings(path, groups)
	return opts, err
}

// ReadWithWarnings is Read that also returns warnings about files that were
// skipped or that expose a password.
//
// Like the mysql client, it ignores world-writable files with a warning. It
// also skips an included file that is missing or unreadable with a warning.
func ReadWithWarnings(path string, groups []string) (Options, []string, error) {
	opts, rep, err := ReadReport(path, groups)
	return opts, rep.Warnings, err
}

// Report is what reading option files found besides the options.
type Report struct {
	Files    []string // the files read, in order (includes too)
	Skipped  []string // files not used, each as "path: why"
	Warnings []string // one sentence each, for stderr: skipped files, passwords readable by all
}

// ReadReport is Read that also reports the files read and skipped.
func ReadReport(path string, groups []string) (Options, Report, error) {
	r := newReader(osFS{}, groups)
	err := r.readTop(path)
	rep := Report{Files: r.files, Skipped: r.skipped, Warnings: r.warnings}
	if err != nil {
		return nil, rep, err
	}
	return r.opts, rep, nil
}

// maxDepth bounds the nesting of includes, as the client's recursion limit does.
const maxDepth = 10

// maxFileSize bounds how much of one option file is read.
const maxFileSize = 1 << 20

// Reasons given in parse errors. They are fixed texts so that no value from
// the file can reach an error message.
const (
	reasonNoGroup       = "option line before any [group] header"
	reasonGroupNoClose  = "group header has no closing ']'"
	reasonGroupEmpty    = "group header has an empty name"
	reasonNoName        = "option has no name before '='"
	reasonQuote         = "quoted value has no matching closing quote"
	reasonDirectiveArg  = "include directive has no path"
	reasonTooDeep       = "includes are nested more than 10 levels deep"
	reasonIncludeCycle  = "include cycle"
	reasonIncludeDir    = "cannot read include directory"
	reasonFileTooLarge  = "file is larger than 1 MiB"
	reasonWorldWritable = "ignoring world-writable option file"
)

// ParseError reports a syntax or include problem at one line of an option file.
type ParseError struct {
	Path   string // file in which the problem is
	Line   int    // 1-based line number
	Reason string // fixed description, at most naming a file; never an option value
	Err    error  // underlying error, if any
}

// Error returns the message "path:line: reason".
func (e *ParseError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s:%d: %s: %v", e.Path, e.Line, e.Reason, e.Err)
	}
	return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Reason)
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

// fileSystem is the part of the file system the reader uses; tests swap it.
type fileSystem interface {
	Open(name string) (fs.File, error)
	Stat(name string) (fs.FileInfo, error)
	ReadDir(name string) ([]fs.DirEntry, error)
}

// fileReader is implemented by a fileSystem that reads a whole file more
// cheaply than Open, Stat and io.ReadAll do. ReadFile appends at most
// limit+1 bytes of the file at name to buf and returns them with the file's
// mode; on failure to open the file it returns the error os.Open would.
type fileReader interface {
	ReadFile(name string, buf []byte, limit int) ([]byte, fs.FileMode, error)
}

type osFS struct{}

func (osFS) Open(name string) (fs.File, error)          { return os.Open(name) }
func (osFS) Stat(name string) (fs.FileInfo, error)      { return os.Stat(name) }
func (osFS) ReadDir(name string) ([]fs.DirEntry, error) { return os.ReadDir(name) }

// ReadFile reads the file with plain system calls: open, fstat, read until
// the end, close. An *os.File would also try, and fail, to register the
// file with the network poller on every open (three more system calls).
func (osFS) ReadFile(name string, buf []byte, limit int) ([]byte, fs.FileMode, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return buf, 0, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return buf, 0, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	mode := fs.FileMode(st.Mode & 0o777)
	switch st.Mode & syscall.S_IFMT {
	case syscall.S_IFREG:
	case syscall.S_IFDIR:
		return buf, mode | fs.ModeDir, nil
	default:
		mode |= fs.ModeIrregular // neither regular nor a directory: read it, as before
	}
	if want := len(buf) + int(min(st.Size, int64(limit))) + 1; cap(buf) < want {
		buf = append(make([]byte, 0, want), buf...)
	}
	for len(buf) <= limit {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := syscall.Read(fd, buf[len(buf):cap(buf)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return buf, mode, &fs.PathError{Op: "read", Path: name, Err: err}
		}
		if n == 0 {
			break
		}
		buf = buf[:len(buf)+n]
	}
	return buf, mode, nil
}

type reader struct {
	fsys     fileSystem
	groups   map[string]bool
	opts     Options
	warnings []string
	files    []string // files read
	skipped  []string // files not used, "path: why"
	stack    []string // files being read, outermost first
	buf      []byte   // read buffer, reused from file to file
}

func newReader(fsys fileSystem, groups []string) *reader {
	r := &reader{fsys: fsys, groups: make(map[string]bool, len(groups)), opts: Options{}}
	for _, g := range groups {
		r.groups[strings.ToLower(g)] = true
	}
	return r
}

// readTop reads the file named by the caller; unlike an include, it must exist.
func (r *reader) readTop(path string) error {
	data, skip, err := r.load(path)
	if err != nil {
		return fmt.Errorf("cannot read option file %s: %w", path, err)
	}
	if skip {
		return nil
	}
	return r.parse(filepath.Clean(path), data)
}

// load returns the content of the file at path, or skip=true when the file is
// world-writable and must be ignored.
func (r *reader) load(path string) (data string, skip bool, err error) {
	content, mode, err := r.readFile(path)
	var pe *fs.PathError
	if _, real := r.fsys.(fileReader); real && errors.As(err, &pe) && pe.Op == "open" && errors.Is(pe.Err, fs.ErrNotExist) {
		// A missing file: os.Stat would fail with the same errno, and its
		// error is the one to give, without a system call to ask for it.
		return "", false, &fs.PathError{Op: "stat", Path: path, Err: pe.Err}
	}
	if err != nil {
		// The file cannot be read: judge it by its metadata first, as the
		// client does, so that a world-writable or directory path is
		// reported as such.
		info, serr := r.fsys.Stat(path)
		if serr != nil {
			return "", false, serr
		}
		if m := info.Mode(); m.IsDir() || m.IsRegular() && m.Perm()&0o002 != 0 {
			mode, err = m, nil
		} else {
			return "", false, err
		}
	}
	if mode.IsDir() {
		return "", false, errors.New("is a directory")
	}
	if mode.IsRegular() && mode.Perm()&0o002 != 0 {
		r.warnings = append(r.warnings, fmt.Sprintf("%s %s, as the mysql client does", reasonWorldWritable, path))
		r.skipped = append(r.skipped, path+": world-writable, ignored as the mysql client does (chmod o-w "+path+")")
		return "", true, nil
	}
	if len(content) > maxFileSize {
		return "", false, errors.New(reasonFileTooLarge)
	}
	data = string(content)
	r.files = append(r.files, path)
	if mode.Perm()&0o004 != 0 && containsPassword(data) {
		r.warnings = append(r.warnings, fmt.Sprintf("option file %s contains a password and is readable by all users", path))
	}
	return data, false, nil
}

// readFile reads at most maxFileSize+1 bytes of the file at path into the
// reader's buffer and returns them, valid until the next call, with the
// file's mode.
func (r *reader) readFile(path string) ([]byte, fs.FileMode, error) {
	if fr, ok := r.fsys.(fileReader); ok {
		buf, mode, err := fr.ReadFile(path, r.buf[:0], maxFileSize)
		r.buf = buf
		return buf, mode, err
	}
	f, err := r.fsys.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	if info.IsDir() {
		return nil, info.Mode(), nil
	}
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	return data, info.Mode(), err
}

// nextLine returns the first line of s, without its newline, and the rest.
func nextLine(s string) (line, rest string) {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i], s[i+1:]
	}
	return s, ""
}

// parse reads the lines of one file; path is already cleaned.
func (r *reader) parse(path string, data string) error {
	r.stack = append(r.stack, path)
	defer func() { r.stack = r.stack[:len(r.stack)-1] }()

	group := ""
	inGroup := false // a [group] header has been seen in this file
	lineNo := 0
	for rest := data; rest != ""; {
		var raw string
		raw, rest = nextLine(rest)
		lineNo++
		fail := func(reason string, err error) error {
			return &ParseError{Path: path, Line: lineNo, Reason: reason, Err: err}
		}
		s := trimLeft(raw)
		if s == "" || s[0] == '#' || s[0] == ';' {
			continue
		}
		if s[0] == '!' {
			if err := r.directive(path, lineNo, trimLeft(s[1:])); err != nil {
				return err
			}
			continue
		}
		if s[0] == '[' {
			end := strings.IndexByte(s, ']')
			if end < 0 {
				return fail(reasonGroupNoClose, nil)
			}
			name := trim(s[1:end])
			if name == "" {
				return fail(reasonGroupEmpty, nil)
			}
			group, inGroup = strings.ToLower(name), true
			continue
		}
		if !inGroup {
			return fail(reasonNoGroup, nil)
		}
		name, value, reason := splitOption(s)
		if reason != "" {
			// A value the server would take literally must not break a
			// client that does not read that group.
			if reason == reasonQuote && !r.groups[group] {
				continue
			}
			return fail(reason, nil)
		}
		if !r.groups[group] {
			continue
		}
		if normalizeName(name) == "password" && !strings.Contains(removeEndComment(s), "=") {
			// The client's "ask me" form: a plugin cannot prompt.
			r.warnings = append(r.warnings, fmt.Sprintf("%s:%d: a bare 'password' line asks the client to prompt for the password, "+
				"which a plugin cannot do: the line is ignored (give password=... or MYSQL_PWD)", path, lineNo))
			continue
		}
		r.opts[normalizeName(name)] = value
	}
	return nil
}

// directive handles the text after '!' on line lineNo of file path.
func (r *reader) directive(path string, lineNo int, s string) error {
	fail := func(reason string, err error) error {
		return &ParseError{Path: path, Line: lineNo, Reason: reason, Err: err}
	}
	var isDir bool
	var arg string
	switch {
	case hasKeyword(s, "includedir"):
		isDir, arg = true, trim(s[len("includedir"):])
	case hasKeyword(s, "include"):
		arg = trim(s[len("include"):])
	default:
		return nil // the client ignores unknown directives
	}
	if arg == "" {
		return fail(reasonDirectiveArg, nil)
	}
	if len(r.stack) > maxDepth {
		return fail(reasonTooDeep, nil)
	}
	if !filepath.IsAbs(arg) {
		arg = filepath.Join(filepath.Dir(path), arg)
	}
	arg = filepath.Clean(arg)
	if !isDir {
		return r.include(path, lineNo, arg)
	}
	entries, err := r.fsys.ReadDir(arg)
	if err != nil {
		return fail(reasonIncludeDir, err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".cnf") && !e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, name := range names {
		if err := r.include(path, lineNo, filepath.Join(arg, name)); err != nil {
			return err
		}
	}
	return nil
}

// include reads the file target named on line lineNo of file path.
func (r *reader) include(path string, lineNo int, target string) error {
	for i, p := range r.stack {
		if p == target {
			chain := append(append([]string(nil), r.stack[i:]...), target)
			return &ParseError{Path: path, Line: lineNo, Reason: reasonIncludeCycle,
				Err: errors.New(strings.Join(chain, " -> "))}
		}
	}
	data, skip, err := r.load(target)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
		r.warnings = append(r.warnings, fmt.Sprintf("%s:%d: skipping included file: %v", path, lineNo, err))
		r.skipped = append(r.skipped, fmt.Sprintf("%s (included at %s:%d): %v", target, path, lineNo, errors.Unwrap(err)))
		return nil
	}
	if err != nil {
		return &ParseError{Path: path, Line: lineNo, Reason: "cannot read included file " + target, Err: err}
	}
	if skip {
		return nil
	}
	return r.parse(target, data)
}

// splitOption splits an option line into its name and decoded value. reason
// is non-empty when the line is malformed.
func splitOption(s string) (name, value, reason string) {
	s = removeEndComment(s)
	eq := strings.IndexByte(s, '=')
	if eq < 0 {
		name = trim(s)
		return name, "", ""
	}
	name = trim(s[:eq])
	if name == "" {
		return "", "", reasonNoName
	}
	v := trim(s[eq+1:])
	if v != "" && (v[0] == '"' || v[0] == '\'') {
		if len(v) < 2 || v[len(v)-1] != v[0] {
			return "", "", reasonQuote
		}
		v = v[1 : len(v)-1]
	}
	return name, unescape(v), ""
}

// removeEndComment cuts s at the first '#' that is not inside quotes; inside
// quotes a backslash protects the next quote character.
func removeEndComment(s string) string {
	var quote byte
	escape := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c == '\'' || c == '"') && !escape {
			if quote == 0 {
				quote = c
			} else if quote == c {
				quote = 0
			}
		}
		if quote == 0 && c == '#' {
			return s[:i]
		}
		escape = quote != 0 && c == '\\' && !escape
	}
	return s
}

// unescape decodes the escape sequences the client accepts in values; a
// backslash before any other character, or at the end, is kept.
func unescape(v string) string {
	if !strings.Contains(v, `\`) {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c != '\\' || i == len(v)-1 {
			b.WriteByte(c)
			continue
		}
		i++
		switch v[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'b':
			b.WriteByte('\b')
		case 's':
			b.WriteByte(' ')
		case '"', '\'', '\\':
			b.WriteByte(v[i])
		default:
			b.WriteByte('\\')
			b.WriteByte(v[i])
		}
	}
	return b.String()
}

// containsPassword reports whether any group of an option file sets a
// non-empty password.
func containsPassword(data string) bool {
	for rest := data; rest != ""; {
		var raw string
		raw, rest = nextLine(rest)
		s := trimLeft(raw)
		if s == "" || strings.ContainsRune("#;![", rune(s[0])) {
			continue
		}
		name, value, reason := splitOption(s)
		if reason == "" && value != "" && isPasswordName(name) {
			return true
		}
	}
	return false
}

// isPasswordName reports whether normalizeName(name) is "password", without
// building the normalised name. No letter outside ASCII lower-cases to one of
// "password" or "loose", so an ASCII comparison that ignores case is exact.
func isPasswordName(name string) bool {
	n := trim(name)
	if len(n) > 6 && asciiEqualFold(n[:5], "loose") && (n[5] == '-' || n[5] == '_') {
		n = n[6:]
	}
	return asciiEqualFold(n, "password")
}

// asciiEqualFold reports whether s equals lower, a lower-case ASCII word, when
// ASCII upper-case letters of s are lowered.
func asciiEqualFold(s, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// normalizeName lower-cases an option name, treats '-' and '_' alike and drops
// the "loose" prefix.
func normalizeName(name string) string {
	n := trim(name)
	if !isNormal(n) {
		n = strings.ReplaceAll(strings.ToLower(n), "-", "_")
	}
	return strings.TrimPrefix(n, "loose_")
}

// isNormal reports whether name is already lower-case ASCII without '-', so
// that normalising it needs no copy.
func isNormal(name string) bool {
	for i := 0; i < len(name); i++ {
		if c := name[i]; c == '-' || 'A' <= c && c <= 'Z' || c >= 0x80 {
			return false
		}
	}
	return true
}

// hasKeyword reports whether s starts with the directive keyword kw followed
// by white space or the end of the line.
func hasKeyword(s, kw string) bool {
	return strings.HasPrefix(s, kw) && (len(s) == len(kw) || isSpace(s[len(kw)]))
}

// isSpace matches the characters the client treats as white space.
func isSpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\v', '\f', '\r':
		return true
	}
	return false
}

func trimLeft(s string) string {
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	return s
}

func trim(s string) string {
	s = trimLeft(s)
	for len(s) > 0 && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}
