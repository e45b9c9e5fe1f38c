package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/testkit/clitest"
	"github.com/replmon/replmon/internal/testkit/sandbox"
)

// TestBackupStopsSQLThread runs the real backup tools that stop a
// replica's SQL thread on purpose, mariadb-dump --dump-slave and
// mariabackup --safe-slave-backup, against a sandbox replica, and holds
// each in the middle of its work by not reading its output: the thread
// stays stopped as long as the test needs.
func TestBackupStopsSQLThread(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: needs mariadbd")
	}
	dumpBin, err := exec.LookPath("mariadb-dump")
	if err != nil {
		t.Fatal("mariadb-dump is not installed: run make test, which installs mariadb-client (make deps)")
	}
	bin := clitest.Build(t, "check_repl_io")
	topo := sandbox.Pair()
	// Connection attributes (program_name) need performance_schema, off
	// by default on MariaDB.
	topo.Server("r1").Cnf = []string{"performance_schema=ON"}
	sb := sandbox.StartT(t, topo)
	m1, r1 := sb.Server("m1"), sb.Server("r1")
	c := checker{t, bin, monitorFile(t)}
	ctx := context.Background()
	must(t, m1, "CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY, v LONGTEXT)")
	for i := 0; i < 40; i++ {
		// 8 MB: far more than the pipe and socket buffers hold.
		must(t, m1, fmt.Sprintf("INSERT INTO app.t VALUES (%d, REPEAT('x', 200000))", i))
	}
	must(t, r1,
		"CREATE USER 'noattrs'@'127.0.0.1' IDENTIFIED BY 'noattrs-secret'",
		"GRANT PROCESS, SLAVE MONITOR ON *.* TO 'noattrs'@'127.0.0.1'",
		"CREATE USER 'noproc'@'127.0.0.1' IDENTIFIED BY 'noproc-secret'",
		"GRANT SLAVE MONITOR ON *.* TO 'noproc'@'127.0.0.1'",
		"CREATE USER 'mbackup'@'localhost' IDENTIFIED BY 'mbackup-secret'",
		"GRANT RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR, SLAVE MONITOR, REPLICATION SLAVE ADMIN ON *.* TO 'mbackup'@'localhost'")
	if err := sb.WaitReplicated(ctx); err != nil {
		t.Fatal(err)
	}
	src := m1.Addr()
	as := func(user string, args ...string) clitest.Result {
		t.Helper()
		base := []string{"--no-defaults", "-H", "127.0.0.1", "-P", fmt.Sprint(r1.Port), "-u", user, "-p", user + "-secret"}
		return clitest.Run(t, bin, nil, append(base, args...)...)
	}
	restarted := func() {
		t.Helper()
		waitSlave(t, r1, "Slave_SQL_Running", "Yes")
		expect(t, c.run(r1), 0, "REPL_IO OK")
	}

	t.Run("mariadb-dump --dump-slave", func(t *testing.T) {
		cmd := exec.Command(dumpBin, "--socket="+r1.Socket, "--user=root", "--dump-slave", "--single-transaction", "app")
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() {
			_, _ = io.Copy(io.Discard, out) // let the dump finish: it restarts the SQL thread
			if err := cmd.Wait(); err != nil {
				t.Errorf("mariadb-dump: %v", err)
			}
			restarted()
		}()
		waitSlave(t, r1, "Slave_SQL_Running", "No")
		waitQuery(t, r1, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT /*!40001 SQL_NO_CACHE */%'", "1")

		// The default: today's CRITICAL, and the backup named in the long output.
		res := c.run(r1)
		expect(t, res, 2, "REPL_IO CRITICAL - default channel (from "+src+"): SQL thread stopped |")
		for _, w := range []string{"a backup that stops the SQL thread while it runs is in progress: session ", " of root@localhost (program_name mysqldump, in app, ",
			"; with --during-backup=warning this is a WARNING until the backup restarts the thread"} {
			if !strings.Contains(res.Stdout, w) {
				t.Errorf("long output lacks %q:\n%s", w, res.Stdout)
			}
		}
		expect(t, c.run(r1, "--during-backup", "warning"), 1,
			"REPL_IO WARNING - default channel (from "+src+"): SQL thread stopped by a backup: session ", " of root@localhost (program_name mysqldump, in app, ")
		expect(t, c.run(r1, "--during-backup", "ok"), 0,
			"REPL_IO OK - default channel (from "+src+"): SQL thread stopped by a backup that restarts it when done: session ")

		// Without SELECT on performance_schema the statement it runs still tells.
		res = as("noattrs", "--during-backup", "warning")
		expect(t, res, 1, "REPL_IO WARNING - default channel (from "+src+"): SQL thread stopped by a backup: session ",
			" of root@localhost (runs SELECT /*!40001 SQL_NO_CACHE */ `id`, `v` FROM `t`, in app, ")
		// Without PROCESS nothing else is visible: say so, and what fixes it.
		res = as("noproc", "--during-backup", "warning")
		expect(t, res, 2, "REPL_IO CRITICAL - default channel (from "+src+"): SQL thread stopped |")
		if !strings.Contains(res.Stdout, "whether a backup stopped it could not be checked: the account sees only its own sessions in the processlist; fix: GRANT PROCESS ON *.* TO the monitoring account") {
			t.Errorf("long output:\n%s", res.Stdout)
		}
	})

	t.Run("stopped by hand", func(t *testing.T) {
		must(t, r1, "STOP SLAVE SQL_THREAD")
		defer func() {
			must(t, r1, "START SLAVE SQL_THREAD")
			restarted()
		}()
		res := c.run(r1, "--during-backup", "warning")
		expect(t, res, 2, "REPL_IO CRITICAL - default channel (from "+src+"): SQL thread stopped |")
		if !strings.Contains(res.Stdout, "no backup session in the processlist (mysqldump --dump-slave, mariabackup or xtrabackup --safe-slave-backup): stopped by hand or by another tool") {
			t.Errorf("long output:\n%s", res.Stdout)
		}
	})

	t.Run("mariabackup --safe-slave-backup", func(t *testing.T) {
		mb, err := exec.LookPath("mariabackup")
		if err != nil {
			t.Fatal("mariabackup is not installed: run make test, which installs mariadb-backup (make deps)")
		}
		cmd := exec.Command(mb, "--backup", "--safe-slave-backup", "--stream=xbstream", "--socket="+r1.Socket,
			"--user=mbackup", "--password=mbackup-secret", "--target-dir="+t.TempDir(), "--datadir="+r1.DataDir)
		cmd.Stderr = io.Discard
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		stream := bufio.NewReader(out)
		defer func() {
			_, _ = io.Copy(io.Discard, stream)
			if err := cmd.Wait(); err != nil {
				t.Errorf("mariabackup: %v", err)
			}
			restarted()
		}()
		// Read the stream until mariabackup has stopped the SQL thread, then
		// stop reading: it blocks with the thread stopped.
		deadline := time.Now().Add(60 * time.Second)
		buf := make([]byte, 4096)
		for {
			if sql, _ := slaveColumn(ctx, r1, "Slave_SQL_Running"); sql == "No" {
				break
			}
			if _, err := stream.Read(buf); err != nil || time.Now().After(deadline) {
				t.Fatalf("mariabackup never stopped the SQL thread (%v)", err)
			}
		}
		// Its sessions sleep while it copies and it announces no program
		// name: only the account it runs as tells.
		expect(t, c.run(r1, "--during-backup", "warning"), 2, "REPL_IO CRITICAL - default channel (from "+src+"): SQL thread stopped |")
		expect(t, c.run(r1, "--during-backup", "warning", "--backup-user", "mbackup"), 1,
			"REPL_IO WARNING - default channel (from "+src+"): SQL thread stopped by a backup: session ", " of mbackup@localhost (account mbackup is a --backup-user, ")
		if sql, _ := slaveColumn(ctx, r1, "Slave_SQL_Running"); sql != "No" {
			t.Errorf("the SQL thread restarted while mariabackup was held: the checks above saw another scenario")
		}
	})
}
