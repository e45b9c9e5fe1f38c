package optfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// memFS serves absolute paths from an in-memory file system.
type memFS fstest.MapFS

func (m memFS) rel(name string) string {
	name = strings.TrimPrefix(filepath.ToSlash(name), "/")
	if name == "" {
		return "."
	}
	return name
}

func (m memFS) Open(name string) (fs.File, error)     { return fstest.MapFS(m).Open(m.rel(name)) }
func (m memFS) Stat(name string) (fs.FileInfo, error) { return fstest.MapFS(m).Stat(m.rel(name)) }
func (m memFS) ReadDir(name string) ([]fs.DirEntry, error) {
	return fstest.MapFS(m).ReadDir(m.rel(name))
}

// readMem reads /etc/my.cnf from files, each a path (without leading slash)
// and its content, created with mode 0600.
func readMem(files map[string]string, groups []string) (Options, []string, error) {
	m := memFS{}
	for name, content := range files {
		m[name] = &fstest.MapFile{Data: []byte(content), Mode: 0o600}
	}
	r := newReader(m, groups)
	err := r.readTop("/etc/my.cnf")
	return r.opts, r.warnings, err
}

func TestSyntax(t *testing.T) {
	client := []string{"client"}
	tests := []struct {
		name   string
		file   string
		groups []string
		want   Options
		line   int    // expected error line, 0 for success
		reason string // expected error reason
	}{
		{name: "empty", file: "", want: Options{}},
		{name: "comments and blank lines",
			file: "# a\n; b\n\n   # c\n[client]\n  ;user=x\nuser=monitor\n",
			want: Options{"user": "monitor"}},
		{name: "space around equals trimmed",
			file: "[client]\n  user   =   monitor  \n",
			want: Options{"user": "monitor"}},
		{name: "option without value",
			file: "[client]\nssl\n",
			want: Options{"ssl": ""}},
		{name: "names normalised",
			file: "[client]\nSSL-CA=/a\nloose-ssl-cert=/b\nloose_ssl_key=/c\n",
			want: Options{"ssl_ca": "/a", "ssl_cert": "/b", "ssl_key": "/c"}},
		{name: "dash and underscore are the same option",
			file: "[client]\nssl-ca=/a\nssl_ca=/b\n",
			want: Options{"ssl_ca": "/b"}},
		{name: "later occurrence wins across groups in file order",
			file:   "[client]\nuser=a\n[client-server]\nuser=b\n[client]\nport=1\n",
			groups: []string{"client-server", "client"},
			want:   Options{"user": "b", "port": "1"}},
		{name: "other groups ignored",
			file: "[mysqld]\nuser=mysql\n[client]\nuser=monitor\n[mysqldump]\nuser=dump\n",
			want: Options{"user": "monitor"}},
		{name: "group names case-insensitive and trimmed",
			file: "[ Client ]\nuser=monitor\n",
			want: Options{"user": "monitor"}},
		{name: "text after group header ignored",
			file: "[client] # main\nuser=monitor\n",
			want: Options{"user": "monitor"}},
		{name: "mid-line comment",
			file: "[client]\nuser=monitor # the monitoring user\n",
			want: Options{"user": "monitor"}},
		{name: "hash inside double quotes kept",
			file: "[client]\npassword=\"a#b\" # comment\n",
			want: Options{"password": "a#b"}},
		{name: "hash inside single quotes kept",
			file: "[client]\npassword='a#b'\n",
			want: Options{"password": "a#b"}},
		{name: "semicolon mid-line is not a comment",
			file: "[client]\npassword=a;b\n",
			want: Options{"password": "a;b"}},
		{name: "quotes removed, spaces inside kept",
			file: "[client]\npassword=\"  a b  \"\n",
			want: Options{"password": "  a b  "}},
		{name: "inner quote of the other kind kept",
			file: "[client]\npassword=\"it's\"\n",
			want: Options{"password": "it's"}},
		{name: "outer quotes only when first and last match",
			file: "[client]\npassword=\"a\"b\"\n",
			want: Options{"password": "a\"b"}},
		{name: "quote inside unquoted value kept",
			file: "[client]\npassword=ab\"cd\n",
			want: Options{"password": "ab\"cd"}},
		{name: "escapes",
			file: `[client]` + "\n" + `password=a\sb\tc\nd\re\bf\\g\"h\'i` + "\n",
			want: Options{"password": "a b\tc\nd\re\bf\\g\"h'i"}},
		{name: "unknown escape keeps backslash",
			file: `[client]` + "\n" + `socket=C:\mysql\x` + "\n",
			want: Options{"socket": `C:\mysql\x`}},
		{name: "trailing backslash kept",
			file: `[client]` + "\n" + `password=abc\` + "\n",
			want: Options{"password": `abc\`}},
		{name: "escaped quote inside quotes does not end them",
			file: `[client]` + "\n" + `password="a\"#b"` + "\n",
			want: Options{"password": `a"#b`}},
		{name: "escapes inside quotes",
			file: `[client]` + "\n" + `password="\s"` + "\n",
			want: Options{"password": " "}},
		{name: "unquoted hash after backslash is a comment",
			file: `[client]` + "\n" + `password=ab\#c` + "\n",
			want: Options{"password": `ab\`}},
		{name: "empty value",
			file: "[client]\npassword=\n",
			want: Options{"password": ""}},
		{name: "empty quoted value",
			file: "[client]\npassword=\"\"\n",
			want: Options{"password": ""}},
		{name: "CRLF line endings",
			file: "[client]\r\nuser=monitor\r\n",
			want: Options{"user": "monitor"}},
		{name: "first equals separates name and value",
			file: "[client]\npassword=a=b\n",
			want: Options{"password": "a=b"}},
		{name: "unknown directive ignored",
			file: "!foo bar\n[client]\nuser=x\n",
			want: Options{"user": "x"}},
		{name: "bad quote in a group not read is ignored",
			file: "[mysqld]\ninit-file=\"/x\n[client]\nuser=x\n",
			want: Options{"user": "x"}},

		{name: "option before any group",
			file: "# header\nuser=monitor\n[client]\n",
			line: 2, reason: reasonNoGroup},
		{name: "group without closing bracket",
			file: "[client]\nuser=a\n[client\n",
			line: 3, reason: reasonGroupNoClose},
		{name: "empty group name",
			file: "[ ]\nuser=a\n",
			line: 1, reason: reasonGroupEmpty},
		{name: "unterminated double quote",
			file: "[client]\npassword=\"s3cret\n",
			line: 2, reason: reasonQuote},
		{name: "lone quote",
			file: "[client]\npassword='\n",
			line: 2, reason: reasonQuote},
		{name: "text after closing quote",
			file: "[client]\npassword='s3cret' x\n",
			line: 2, reason: reasonQuote},
		{name: "mismatched quotes",
			file: "[client]\npassword=\"s3cret'\n",
			line: 2, reason: reasonQuote},
		{name: "no option name",
			file: "[client]\n=s3cret\n",
			line: 2, reason: reasonNoName},
		{name: "include without path",
			file: "!include   \n",
			line: 1, reason: reasonDirectiveArg},
		{name: "includedir without path",
			file: "[client]\n!includedir\n",
			line: 2, reason: reasonDirectiveArg},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			groups := tt.groups
			if groups == nil {
				groups = client
			}
			got, _, err := readMem(map[string]string{"etc/my.cnf": tt.file}, groups)
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Fatalf("got %q, want %q", got, tt.want)
				}
				return
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("got error %v, want a ParseError", err)
			}
			if pe.Line != tt.line || pe.Reason != tt.reason || pe.Path != "/etc/my.cnf" {
				t.Fatalf("got %s:%d %q, want /etc/my.cnf:%d %q", pe.Path, pe.Line, pe.Reason, tt.line, tt.reason)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Fatalf("error %q contains the value", err)
			}
		})
	}
}

func TestIncludes(t *testing.T) {
	tests := []struct {
		name     string
		files    map[string]string
		want     Options
		warnings int
		errPart  string // expected part of the error, "" for success
	}{
		{name: "include absolute then override",
			files: map[string]string{
				"etc/my.cnf":    "[client]\nuser=a\npassword=p1\n!include /etc/extra.cnf\nport=1\n",
				"etc/extra.cnf": "[client]\nuser=b\nport=2\n",
			},
			want: Options{"user": "b", "password": "p1", "port": "1"}},
		{name: "include relative to the including file",
			files: map[string]string{
				"etc/my.cnf":        "!include mysql/x.cnf\n",
				"etc/mysql/x.cnf":   "[client]\nuser=x\n!include y.cnf\n",
				"etc/mysql/y.cnf":   "[client]\nhost=y\n",
				"etc/y.cnf":         "[client]\nhost=wrong\n",
				"etc/mysql/unused":  "",
				"etc/unrelated.cnf": "[client]\nhost=wrong\n",
			},
			want: Options{"user": "x", "host": "y"}},
		{name: "group of includer continues after include",
			files: map[string]string{
				"etc/my.cnf":    "[client]\nuser=a\n!include /etc/other.cnf\nhost=h\n",
				"etc/other.cnf": "[mysqld]\nhost=server\n",
			},
			want: Options{"user": "a", "host": "h"}},
		{name: "included file needs its own group",
			files: map[string]string{
				"etc/my.cnf":    "[client]\n!include /etc/other.cnf\n",
				"etc/other.cnf": "user=a\n",
			},
			errPart: "/etc/other.cnf:1: " + reasonNoGroup},
		{name: "includedir reads cnf files in sorted order",
			files: map[string]string{
				"etc/my.cnf":            "[client]\nuser=base\n!includedir /etc/conf.d\n",
				"etc/conf.d/20-b.cnf":   "[client]\nuser=b\nport=20\n",
				"etc/conf.d/10-a.cnf":   "[client]\nuser=a\nhost=a\n",
				"etc/conf.d/30-c.ini":   "[client]\nuser=ini\n",
				"etc/conf.d/40-d.cnf~":  "[client]\nuser=backup\n",
				"etc/conf.d/sub.cnf/x":  "",
				"etc/conf.d/99-z.cnf":   "[mysqld]\nuser=mysql\n",
				"etc/conf.d/50-e.CNF":   "[client]\nuser=upper\n",
				"etc/conf.d/05-0.cnf":   "[client]\nuser=0\nssl-ca=/ca\n",
				"etc/conf.d/30-c.cnf":   "[client]\nuser=c\n",
				"etc/conf.d/nocnf.conf": "[client]\nuser=conf\n",
			},
			want: Options{"user": "c", "port": "20", "host": "a", "ssl_ca": "/ca"}},
		{name: "missing include skipped with warning",
			files: map[string]string{
				"etc/my.cnf": "[client]\nuser=a\n!include /etc/nope.cnf\n",
			},
			want: Options{"user": "a"}, warnings: 1},
		{name: "missing includedir is an error",
			files: map[string]string{
				"etc/my.cnf": "[client]\n!includedir /etc/nope.d\n",
			},
			errPart: "/etc/my.cnf:2: " + reasonIncludeDir},
		{name: "include cycle",
			files: map[string]string{
				"etc/my.cnf": "[client]\n!include a.cnf\n",
				"etc/a.cnf":  "[client]\n!include b.cnf\n",
				"etc/b.cnf":  "[client]\n!include ./a.cnf\n",
			},
			errPart: "/etc/b.cnf:2: include cycle: /etc/a.cnf -> /etc/b.cnf -> /etc/a.cnf"},
		{name: "self include",
			files: map[string]string{
				"etc/my.cnf": "!include /etc/my.cnf\n",
			},
			errPart: "include cycle: /etc/my.cnf -> /etc/my.cnf"},
		{name: "includedir containing the includer",
			files: map[string]string{
				"etc/my.cnf":     "!includedir /etc\n",
				"etc/z.cnf.save": "",
			},
			errPart: "include cycle"},
		{name: "same file included twice without a cycle",
			files: map[string]string{
				"etc/my.cnf": "[client]\n!include a.cnf\nuser=mid\n!include a.cnf\n",
				"etc/a.cnf":  "[client]\nuser=a\n",
			},
			want: Options{"user": "a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warnings, err := readMem(tt.files, []string{"client"})
			if tt.errPart != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errPart) {
					t.Fatalf("got error %v, want one containing %q", err, tt.errPart)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			if len(warnings) != tt.warnings {
				t.Fatalf("got warnings %q, want %d", warnings, tt.warnings)
			}
		})
	}
}

func TestIncludeDepth(t *testing.T) {
	tests := []struct {
		levels  int // files including each other in a chain, after my.cnf
		wantErr bool
	}{
		{levels: 10, wantErr: false},
		{levels: 11, wantErr: true},
	}
	for _, tt := range tests {
		files := map[string]string{"etc/my.cnf": "!include /etc/1.cnf\n"}
		for i := 1; i <= tt.levels; i++ {
			content := "[client]\nport=" + strconv.Itoa(i) + "\n"
			if i < tt.levels {
				content += "!include /etc/" + strconv.Itoa(i+1) + ".cnf\n"
			}
			files["etc/"+strconv.Itoa(i)+".cnf"] = content
		}
		got, _, err := readMem(files, []string{"client"})
		if tt.wantErr {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Reason != reasonTooDeep {
				t.Fatalf("levels %d: got %v, want %q", tt.levels, err, reasonTooDeep)
			}
			continue
		}
		if err != nil || got["port"] != strconv.Itoa(tt.levels) {
			t.Fatalf("levels %d: got %q, %v", tt.levels, got, err)
		}
	}
}

func TestGroups(t *testing.T) {
	tests := []struct {
		suffix string
		want   []string
	}{
		{"", []string{"client", "client-server", "client-mariadb"}},
		{"_replmon", []string{"client", "client-server", "client-mariadb",
			"client_replmon", "client-server_replmon", "client-mariadb_replmon"}},
	}
	for _, tt := range tests {
		if got := Groups(tt.suffix); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Groups(%q) = %q, want %q", tt.suffix, got, tt.want)
		}
	}
}

func TestGroupSuffix(t *testing.T) {
	file := "[client]\nuser=plain\nport=1\n[client_replmon]\nuser=suffixed\n[client-mariadb_other]\nport=9\n"
	tests := []struct {
		suffix string
		want   Options
	}{
		{"", Options{"user": "plain", "port": "1"}},
		{"_replmon", Options{"user": "suffixed", "port": "1"}},
		{"_other", Options{"user": "plain", "port": "9"}},
	}
	for _, tt := range tests {
		got, _, err := readMem(map[string]string{"etc/my.cnf": file}, Groups(tt.suffix))
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("suffix %q: got %q, %v; want %q", tt.suffix, got, err, tt.want)
		}
	}
}

func TestLookup(t *testing.T) {
	o := Options{"ssl_ca": "/ca"}
	for _, name := range []string{"ssl-ca", "ssl_ca", "SSL-CA", "loose-ssl-ca"} {
		if v, ok := o.Lookup(name); !ok || v != "/ca" {
			t.Errorf("Lookup(%q) = %q, %v", name, v, ok)
		}
	}
	if _, ok := o.Lookup("ssl-key"); ok {
		t.Error("Lookup(ssl-key) found a missing option")
	}
}

// TestReadDisk exercises the real file system: permissions, top-level errors.
func TestReadDisk(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Log("running as root: unreadable-file cases are skipped")
	}
	tests := []struct {
		name     string
		content  string
		mode     os.FileMode
		want     Options
		warnPart string // expected part of the single warning, "" for none
		errIs    error
	}{
		{name: "private file with password", content: "[client]\npassword=s3cret\n", mode: 0o600,
			want: Options{"password": "s3cret"}},
		{name: "world-readable file with password", content: "[client]\npassword=s3cret\n", mode: 0o644,
			want: Options{"password": "s3cret"}, warnPart: "contains a password and is readable by all users"},
		{name: "world-readable password in another group", content: "[mysqld]\npassword=s3cret\n[client]\n", mode: 0o644,
			want: Options{}, warnPart: "contains a password"},
		{name: "world-readable without password", content: "[client]\nuser=monitor\npassword=\n", mode: 0o644,
			want: Options{"user": "monitor", "password": ""}},
		{name: "world-writable file ignored", content: "[client]\nuser=evil\n", mode: 0o666,
			want: Options{}, warnPart: "ignoring world-writable option file"},
		{name: "bare password line ignored", content: "[client]\nuser=monitor\npassword # prompt\n", mode: 0o600,
			want: Options{"user": "monitor"}, warnPart: ":3: a bare 'password' line asks the client to prompt for the password, which a plugin cannot do"},
		{name: "empty password kept", content: "[client]\npassword = # none\n", mode: 0o600,
			want: Options{"password": ""}},
		{name: "unreadable file", content: "[client]\n", mode: 0o000, errIs: fs.ErrPermission},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.errIs == fs.ErrPermission && os.Geteuid() == 0 {
				t.Skip("root can read any file")
			}
			path := filepath.Join(t.TempDir(), "my.cnf")
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tt.mode); err != nil {
				t.Fatal(err)
			}
			got, warnings, err := ReadWithWarnings(path, []string{"client"})
			if tt.errIs != nil {
				if !errors.Is(err, tt.errIs) || !strings.Contains(err.Error(), path) {
					t.Fatalf("got error %v, want %v naming the file", err, tt.errIs)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			switch {
			case tt.warnPart == "" && len(warnings) != 0:
				t.Fatalf("unexpected warnings %q", warnings)
			case tt.warnPart != "" && (len(warnings) != 1 || !strings.Contains(warnings[0], tt.warnPart) || !strings.Contains(warnings[0], path)):
				t.Fatalf("got warnings %q, want one naming the file and containing %q", warnings, tt.warnPart)
			}
			for _, w := range warnings {
				if strings.Contains(w, "s3cret") {
					t.Fatalf("warning %q contains the password", w)
				}
			}
		})
	}

	t.Run("missing file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "nope.cnf")
		_, err := Read(path, []string{"client"})
		if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), path) {
			t.Fatalf("got %v, want a not-exist error naming the file", err)
		}
	})
	t.Run("directory", func(t *testing.T) {
		dir := t.TempDir()
		if _, err := Read(dir, []string{"client"}); err == nil {
			t.Fatal("reading a directory succeeded")
		}
	})
	t.Run("relative includes on disk", func(t *testing.T) {
		dir := t.TempDir()
		mustWrite(t, filepath.Join(dir, "my.cnf"), "[client]\nuser=a\n!includedir conf.d\n!include extra/x.cnf\n")
		mustWrite(t, filepath.Join(dir, "conf.d", "b.cnf"), "[client]\nuser=b\nhost=hb\n")
		mustWrite(t, filepath.Join(dir, "conf.d", "a.cnf"), "[client]\nuser=wrong\nhost=ha\n")
		mustWrite(t, filepath.Join(dir, "extra", "x.cnf"), "[client]\nport=3307\n")
		got, err := Read(filepath.Join(dir, "my.cnf"), []string{"client"})
		want := Options{"user": "b", "host": "hb", "port": "3307"}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("got %q, %v; want %q", got, err, want)
		}
	})
}

func mustWrite(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// denyFS refuses access to the listed paths, as a file owned by another user.
type denyFS struct {
	memFS
	deny map[string]bool
}

func (d denyFS) Open(name string) (fs.File, error) {
	if d.deny[name] {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return d.memFS.Open(name)
}

func (d denyFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if d.deny[name] {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return d.memFS.ReadDir(name)
}

func TestUnreadable(t *testing.T) {
	files := memFS{
		"etc/my.cnf":            {Data: []byte("[client]\nuser=a\n!includedir /etc/conf.d\n!include /etc/secret.cnf\n"), Mode: 0o644},
		"etc/conf.d/a.cnf":      {Data: []byte("[client]\nhost=h\n"), Mode: 0o644},
		"etc/conf.d/debian.cnf": {Data: []byte("[client]\npassword=root\n"), Mode: 0o600},
		"etc/secret.cnf":        {Data: []byte("[client]\npassword=root\n"), Mode: 0o600},
	}
	tests := []struct {
		name     string
		deny     []string
		want     Options
		warnings int
		errPart  string
	}{
		{name: "all readable", want: Options{"user": "a", "host": "h", "password": "root"}},
		{name: "unreadable included files are skipped with a warning",
			deny:     []string{"/etc/conf.d/debian.cnf", "/etc/secret.cnf"},
			want:     Options{"user": "a", "host": "h"},
			warnings: 2},
		{name: "unreadable include directory is an error",
			deny:    []string{"/etc/conf.d"},
			errPart: "/etc/my.cnf:3: " + reasonIncludeDir},
		{name: "unreadable top-level file is an error",
			deny:    []string{"/etc/my.cnf"},
			errPart: "cannot read option file /etc/my.cnf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := denyFS{memFS: files, deny: map[string]bool{}}
			for _, p := range tt.deny {
				d.deny[p] = true
			}
			r := newReader(d, []string{"client"})
			err := r.readTop("/etc/my.cnf")
			if tt.errPart != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errPart) || !errors.Is(err, fs.ErrPermission) {
					t.Fatalf("got %v, want a permission error containing %q", err, tt.errPart)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(r.opts, tt.want) || len(r.warnings) != tt.warnings {
				t.Fatalf("got %q, %q, %v; want %q with %d warnings", r.opts, r.warnings, err, tt.want, tt.warnings)
			}
		})
	}
}

// TestReadReport: the files read and the files skipped, with why, for the
// -v detail and for a failed connection's message.
func TestReadReport(t *testing.T) {
	dir := t.TempDir()
	inc := filepath.Join(dir, "inc.cnf")
	if err := os.WriteFile(inc, []byte("[client]\nuser=u\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.cnf")
	if err := os.WriteFile(bad, []byte("[client]\nuser=evil\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(bad, 0o666); err != nil {
		t.Fatal(err)
	}
	top := filepath.Join(dir, "my.cnf")
	body := "[client]\n!include " + inc + "\n!include " + bad + "\n!include " + filepath.Join(dir, "missing.cnf") + "\n"
	if err := os.WriteFile(top, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	opts, rep, err := ReadReport(top, []string{"client"})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := opts.Lookup("user"); v != "u" {
		t.Errorf("user = %q", v)
	}
	if !reflect.DeepEqual(rep.Files, []string{top, inc}) {
		t.Errorf("files read %q", rep.Files)
	}
	if len(rep.Skipped) != 2 || !strings.HasPrefix(rep.Skipped[0], bad+": world-writable, ignored as the mysql client does (chmod o-w "+bad+")") ||
		!strings.HasPrefix(rep.Skipped[1], filepath.Join(dir, "missing.cnf")+" (included at "+top+":4): ") {
		t.Errorf("skipped %q", rep.Skipped)
	}
}
