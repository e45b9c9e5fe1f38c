package optfile

import (
	"strings"
	"testing"
	"testing/fstest"
)

// benignTexts may appear in errors: fixed reasons, paths and fs error words.
var benignTexts = []string{
	reasonNoGroup, reasonGroupNoClose, reasonGroupEmpty, reasonNoName, reasonQuote,
	reasonDirectiveArg, reasonTooDeep, reasonIncludeCycle, reasonIncludeDir,
	reasonFileTooLarge, reasonWorldWritable, "cannot read included file",
	"is a directory", "file does not exist", "invalid argument", "not a directory",
	"open", "stat", "readdir", " -> ", "/etc/my.cnf", "/etc/a.cnf", "/etc/conf.d/b.cnf",
}

// passwordValues returns the raw text after "password=" on each line of data,
// with and without one pair of surrounding quotes.
func passwordValues(data string) []string {
	var values []string
	for _, line := range strings.Split(data, "\n") {
		i := strings.Index(asciiLower(line), "password")
		if i < 0 {
			continue
		}
		rest := strings.TrimLeft(line[i+len("password"):], " \t")
		if !strings.HasPrefix(rest, "=") {
			continue
		}
		v := trim(rest[1:])
		values = append(values, v)
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') {
			values = append(values, v[1:len(v)-1])
		}
		values = append(values, unescape(v))
	}
	return values
}

// asciiLower lower-cases ASCII letters only, keeping byte offsets.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func FuzzParse(f *testing.F) {
	seeds := []string{
		"[client]\nuser=monitor\npassword=s3cret\n",
		"password=s3cret\n[client]\n",
		"[client]\npassword=\"s3cret\n",
		"[client]\npassword='s3cret' trailing\n",
		"[client\npassword=s3cret\n",
		"[]\npassword=s3cret\n",
		"[client]\n=s3cret\n",
		"[client]\npassword=\"a\\\"#b\" # c\n",
		"[client]\npassword=a\\sb\\\\c\\\n",
		"!include a.cnf\n[client]\npassword=s3cret\n",
		"!includedir /etc/conf.d\n!include /etc/my.cnf\n",
		"!include\n",
		"!include /etc/nope.cnf\n[client]\nloose-password = 'x y'\n",
		"[client]\r\nPASSWORD = s3cret\r\n",
		"\x00[client]\xff\npassword=\x00\n",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		m := memFS{
			"etc/my.cnf":        &fstest.MapFile{Data: []byte(data), Mode: 0o600},
			"etc/a.cnf":         &fstest.MapFile{Data: []byte("[client]\nuser=a\n"), Mode: 0o600},
			"etc/conf.d/b.cnf":  &fstest.MapFile{Data: []byte("[client]\n!include ../my.cnf\n"), Mode: 0o600},
			"etc/conf.d/c.cnf":  &fstest.MapFile{Data: []byte(data), Mode: 0o644},
			"etc/conf.d/d.conf": &fstest.MapFile{Data: []byte("junk"), Mode: 0o600},
		}
		r := newReader(m, Groups("_x"))
		err := r.readTop("/etc/my.cnf")
		if err == nil {
			return
		}
		msg := err.Error()
		benign := strings.Join(benignTexts, "\n")
		for _, line := range strings.Split(data, "\n") {
			if s := trimLeft(line); strings.HasPrefix(s, "!") {
				benign += "\n" + s
			}
		}
		for _, v := range passwordValues(data) {
			if len(v) < 3 || allDigits(v) || strings.Contains(benign, v) {
				continue
			}
			if strings.Contains(msg, v) {
				t.Fatalf("error %q contains the password value %q", msg, v)
			}
		}
	})
}
