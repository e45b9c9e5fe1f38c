package sandbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// ErrNotInstalled is returned by Start when mariadbd or mariadb-install-db
// cannot be found.
var ErrNotInstalled = errors.New("mariadbd not found: run `make test` as root (it installs mariadb-server) or apt-get install mariadb-server mariadb-client")

// binaries are the MariaDB programs the sandbox runs.
type binaries struct {
	mariadbd  string
	installDB string
}

// findBinaries looks each program up in PATH, then in the given fallback
// directories (Debian keeps mariadbd in /usr/sbin, often not in PATH).
func findBinaries(fallbackDirs ...string) (binaries, error) {
	find := func(name string) string {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
		for _, d := range fallbackDirs {
			p := filepath.Join(d, name)
			if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
				return p
			}
		}
		return ""
	}
	b := binaries{mariadbd: find("mariadbd"), installDB: find("mariadb-install-db")}
	if b.mariadbd == "" || b.installDB == "" {
		return b, ErrNotInstalled
	}
	return b, nil
}

// systemBinaries finds the installed MariaDB programs.
func systemBinaries() (binaries, error) {
	return findBinaries("/usr/sbin", "/usr/bin", "/usr/local/mysql/bin")
}

// templateMu serialises template builds within this process; other
// processes are handled by the atomic rename in buildTemplate.
var templateMu sync.Mutex

// templateDir returns a data directory made by mariadb-install-db for the
// current mariadbd binary and settings, building it on first use. It is
// cached under the user cache directory (shared by test binaries and
// runs), keyed by the binary's path, size and mtime, the format settings
// and the bootstrap SQL.
func templateDir(ctx context.Context, bins binaries) (string, error) {
	fi, err := os.Stat(bins.mariadbd)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%d\n%d\n%d\n", bins.mariadbd, fi.Size(), fi.ModTime().UnixNano(), os.Geteuid())
	fmt.Fprintf(h, "%s\n%s\n", strings.Join(formatCnf, "\n"), bootstrapSQL())
	key := "tpl-" + hex.EncodeToString(h.Sum(nil))[:16]

	root := cacheRoot()
	final := filepath.Join(root, key)
	data := filepath.Join(final, "data")

	templateMu.Lock()
	defer templateMu.Unlock()
	if _, err := os.Stat(data); err == nil {
		return data, nil
	}
	if err := buildTemplate(ctx, bins, root, final); err != nil {
		return "", err
	}
	return data, nil
}

// cacheRoot returns (and creates) the directory holding templates.
func cacheRoot() string {
	if d, err := os.UserCacheDir(); err == nil {
		root := filepath.Join(d, "replmon-sandbox")
		if os.MkdirAll(root, 0o700) == nil {
			return root
		}
	}
	root := filepath.Join(os.TempDir(), fmt.Sprintf("replmon-sandbox-%d", os.Geteuid()))
	_ = os.MkdirAll(root, 0o700)
	return root
}

// buildTemplate runs mariadb-install-db into a scratch directory under root
// and renames it to final, so a template directory is always complete.
func buildTemplate(ctx context.Context, bins binaries, root, final string) error {
	removeStaleBuilds(root)
	tmp, err := os.MkdirTemp(root, "build-")
	if err != nil {
		return fmt.Errorf("sandbox: template: %w", err)
	}
	defer os.RemoveAll(tmp) // no-op after a successful rename

	cnf := filepath.Join(tmp, "install.cnf")
	sqlFile := filepath.Join(tmp, "bootstrap.sql")
	logFile := filepath.Join(tmp, "install.log")
	lines := append([]string{"[mariadbd]"}, runAsRootLine()...)
	lines = append(lines, formatCnf...)
	lines = append(lines, "tmpdir="+tmp) // not /tmp: see renderCnf
	if err := os.WriteFile(cnf, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		return fmt.Errorf("sandbox: template: %w", err)
	}
	if err := os.WriteFile(sqlFile, []byte(bootstrapSQL()), 0o600); err != nil {
		return fmt.Errorf("sandbox: template: %w", err)
	}
	args := []string{
		"--defaults-file=" + cnf,
		"--datadir=" + filepath.Join(tmp, "data"),
		"--auth-root-authentication-method=normal",
		"--skip-test-db",
		"--extra-file=" + sqlFile,
	}
	if os.Geteuid() == 0 {
		args = append(args, "--user=root")
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bins.installDB, args...)
	out, err := cmd.CombinedOutput()
	_ = os.WriteFile(logFile, out, 0o600)
	if err != nil {
		return fmt.Errorf("sandbox: %s failed: %w\n%s", bins.installDB, err, tail(string(out), 20))
	}
	if err := os.Rename(tmp, final); err != nil {
		if _, statErr := os.Stat(filepath.Join(final, "data")); statErr == nil {
			return nil // another process won the race
		}
		return fmt.Errorf("sandbox: template: %w", err)
	}
	return nil
}

// removeStaleBuilds deletes scratch directories left by interrupted builds.
func removeStaleBuilds(root string) {
	old, _ := filepath.Glob(filepath.Join(root, "build-*"))
	for _, d := range old {
		if fi, err := os.Stat(d); err == nil && time.Since(fi.ModTime()) > 10*time.Minute {
			_ = os.RemoveAll(d)
		}
	}
}

// copyTree copies the directory src to dst (which must not exist), regular
// files and directories only, keeping permissions.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.Mkdir(target, info.Mode().Perm())
		case info.Mode().IsRegular():
			return copyFile(path, target, info.Mode().Perm())
		default:
			return nil
		}
	})
}

// copyFile copies one regular file; io.Copy uses copy_file_range on Linux.
func copyFile(src, dst string, perm fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// tail returns the last n lines of text.
func tail(text string, n int) string {
	text = strings.TrimRight(text, "\n")
	if text == "" || n <= 0 {
		return ""
	}
	lines := strings.Split(text, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
