package optfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
)

// statOpenRead is how load read a file before it used osFS.ReadFile: stat,
// then open and read; it is the reference the faster reading must match.
func statOpenRead(path string) (data string, skip bool, warnings []string, err error) {
	info, err := os.Stat(path)
	if err != nil {
		return "", false, nil, err
	}
	if info.IsDir() {
		return "", false, nil, errors.New("is a directory")
	}
	if info.Mode().IsRegular() && info.Mode().Perm()&0o002 != 0 {
		return "", true, []string{fmt.Sprintf("%s %s, as the mysql client does", reasonWorldWritable, path)}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", false, nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return "", false, nil, err
	}
	if len(b) > maxFileSize {
		return "", false, nil, errors.New(reasonFileTooLarge)
	}
	if info.Mode().Perm()&0o004 != 0 && containsPassword(string(b)) {
		warnings = append(warnings, fmt.Sprintf("option file %s contains a password and is readable by all users", path))
	}
	return string(b), false, warnings, nil
}

// TestLoadMatchesStatOpenRead: the file's content, the skip, the warnings
// and the error text are those of stat, open and read, for every kind of
// path an option file list may name.
func TestLoadMatchesStatOpenRead(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		mustWrite(t, p, content)
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	big := strings.Repeat("# comment line of some length\n", (maxFileSize/30)+2)
	paths := []string{
		write("private.cnf", "[client]\npassword=s3cret\n", 0o600),
		write("public.cnf", "[client]\npassword=s3cret\n", 0o644),
		write("public-nopw.cnf", "[client]\nuser=u\n", 0o644),
		write("writable.cnf", "[client]\nuser=evil\n", 0o666),
		write("writable-unreadable.cnf", "[client]\nuser=evil\n", 0o602),
		write("unreadable.cnf", "[client]\n", 0o000),
		write("empty.cnf", "", 0o644),
		write("exactly-limit.cnf", strings.Repeat("x", maxFileSize), 0o600),
		write("too-big.cnf", big, 0o600),
		write("no-newline.cnf", "[client]\nuser=u", 0o644),
		dir,
		filepath.Join(dir, "missing.cnf"),
		filepath.Join(dir, "missing-dir", "x.cnf"),
		filepath.Join(dir, "private.cnf", "x.cnf"), // a file used as a directory
		"/dev/null",
	}
	if err := os.Symlink(filepath.Join(dir, "public.cnf"), filepath.Join(dir, "link.cnf")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "gone.cnf"), filepath.Join(dir, "dangling.cnf")); err != nil {
		t.Fatal(err)
	}
	paths = append(paths, filepath.Join(dir, "link.cnf"), filepath.Join(dir, "dangling.cnf"))
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			wantData, wantSkip, wantWarnings, wantErr := statOpenRead(path)
			r := newReader(osFS{}, []string{"client"})
			data, skip, err := r.load(path)
			if data != wantData || skip != wantSkip || !reflect.DeepEqual(r.warnings, wantWarnings) {
				t.Errorf("load = %d bytes, skip %v, warnings %q; want %d bytes, skip %v, warnings %q",
					len(data), skip, r.warnings, len(wantData), wantSkip, wantWarnings)
			}
			if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
				t.Errorf("load error %v, want %v", err, wantErr)
			}
			for _, target := range []error{fs.ErrNotExist, fs.ErrPermission, syscall.ENOTDIR} {
				if errors.Is(err, target) != errors.Is(wantErr, target) {
					t.Errorf("errors.Is(%v, %v) differs from the reference %v", err, target, wantErr)
				}
			}
		})
	}
}

// TestReadFileReusesTheBuffer: the read buffer of one reader grows to the
// largest file and serves the next files without new allocations.
func TestReadFileReusesTheBuffer(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.cnf"), filepath.Join(dir, "b.cnf")
	mustWrite(t, a, strings.Repeat("a", 5000))
	mustWrite(t, b, "[client]\nuser=b\n")
	r := newReader(osFS{}, nil)
	if data, _, err := r.load(a); err != nil || data != strings.Repeat("a", 5000) {
		t.Fatalf("load a: %d bytes, %v", len(data), err)
	}
	capA := cap(r.buf)
	if data, _, err := r.load(b); err != nil || data != "[client]\nuser=b\n" {
		t.Fatalf("load b: %q, %v", data, err)
	}
	if cap(r.buf) != capA {
		t.Errorf("buffer reallocated: cap %d, then %d", capA, cap(r.buf))
	}
}

// oldNormalizeName is normalizeName as it was, allocating every time.
func oldNormalizeName(name string) string {
	n := strings.ReplaceAll(strings.ToLower(trim(name)), "-", "_")
	return strings.TrimPrefix(n, "loose_")
}

func TestNormalizeNameAndIsPasswordName(t *testing.T) {
	names := []string{
		"password", "Password", "PASSWORD", " password ", "loose-password", "loose_password", "LOOSE-PassWord",
		"loose_loose_password", "loosepassword", "pass-word", "pass_word", "passwords", "passwor", "",
		"user", "ssl-mode", "ssl_mode", "SSL-MODE", "loose-ssl-ca", "default-character-set",
		"paſsword", "pa\u212awsword", "PASSWORD\u0130", "p\u00e4ssword", "\u212aelvin", "loose\u017fpassword", "loose-",
		"İnclude", "ÅNGSTRÖM", "\tpassword\t", "password\x00",
	}
	for _, n := range names {
		if got, want := normalizeName(n), oldNormalizeName(n); got != want {
			t.Errorf("normalizeName(%q) = %q, want %q", n, got, want)
		}
		if got, want := isPasswordName(n), oldNormalizeName(n) == "password"; got != want {
			t.Errorf("isPasswordName(%q) = %v, want %v", n, got, want)
		}
	}
}

func FuzzNormalizeName(f *testing.F) {
	for _, s := range []string{"password", "Loose-Password", "paſsword", "ssl-mode", "\u212a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, n string) {
		if got, want := normalizeName(n), oldNormalizeName(n); got != want {
			t.Errorf("normalizeName(%q) = %q, want %q", n, got, want)
		}
		if got, want := isPasswordName(n), oldNormalizeName(n) == "password"; got != want {
			t.Errorf("isPasswordName(%q) = %v, want %v", n, got, want)
		}
	})
}
