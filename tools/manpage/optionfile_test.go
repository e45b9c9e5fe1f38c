package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/testkit/clitest"
)

// clientFiles are the option files the plugins read without
// --defaults-file, as the mysql client does; documents may name them.
var clientFiles = map[string]bool{
	"/etc/my.cnf": true, "/etc/mysql/my.cnf": true, "$MYSQL_HOME/my.cnf": true,
	"~/.my.cnf": true, "~nagios/.my.cnf": true,
}

// stateDir is check_repl_checksum's default --state-file directory, which
// the Debian package gives to nagios:nagios (packaging/postinst): documents
// may tell to chown it to nagios.
const stateDir = "/var/lib/replmon-plugins"

// cnfPath finds a path to an option file in a text.
var cnfPath = regexp.MustCompile(`[~$A-Za-z0-9_./-]*/[A-Za-z0-9_.-]+\.cnf\b`)

// TestOneOptionFile keeps one option file for the monitoring account
// across every shipped definition, man page and document: the same path
// (optionFilePath), owner, group and mode, so that an administrator who
// follows any of them creates the file the others read.
func TestOneOptionFile(t *testing.T) {
	root := clitest.Root(t)
	texts := map[string]string{}
	err := filepath.WalkDir(filepath.Join(root, "contrib"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(root, path)
		texts[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range []string{"README.md", "docs/INSTALL.md", "docs/ARCHITECTURE.md", "docs/RELEASING.md"} {
		b, err := os.ReadFile(filepath.Join(root, doc))
		if err != nil {
			t.Fatal(err)
		}
		texts[doc] = string(b)
	}
	for _, e := range registry {
		texts["man page of "+e.New().Name] = page(e, "1.2.3", nil)
	}
	mustName := []string{"contrib/nrpe/replmon.cfg", "contrib/nagios/commands.cfg", "contrib/icinga2/replmon-hosts.conf",
		"contrib/icinga2/commands.conf", "README.md", "docs/INSTALL.md"}
	for _, e := range registry {
		mustName = append(mustName, "man page of "+e.New().Name)
	}
	for _, name := range mustName {
		if _, ok := texts[name]; !ok {
			t.Errorf("%s is gone: update the list of files that name the option file", name)
		} else if !strings.Contains(texts[name], optionFilePath) {
			t.Errorf("%s does not name the option file %s", name, optionFilePath)
		}
	}
	for name, text := range texts {
		for _, p := range cnfPath.FindAllString(text, -1) {
			if p != optionFilePath && !clientFiles[p] {
				t.Errorf("%s names the option file %s; every shipped file and document uses %s", name, p, optionFilePath)
			}
		}
		// The file is group-readable for nagios and owned by root, not 0600.
		// A line about check_repl_checksum's state directory, which nagios
		// owns, and no option file, may give it to nagios.
		for _, line := range strings.Split(text, "\n") {
			if strings.Contains(line, stateDir) && !cnfPath.MatchString(line) {
				continue
			}
			for _, bad := range []string{"0600", "chown nagios", "-o nagios"} {
				if strings.Contains(line, bad) {
					t.Errorf("%s says %q of the option file; it is owner %s, group %s, mode %s", name, bad, optionFileOwner, optionFileGroup, optionFileMode)
				}
			}
		}
	}
	create := "install -o " + optionFileOwner + " -g " + optionFileGroup + " -m " + optionFileMode + " /dev/null " + optionFilePath
	if !strings.Contains(texts["docs/INSTALL.md"], create) {
		t.Errorf("docs/INSTALL.md does not show how to create the option file: %s", create)
	}
}
