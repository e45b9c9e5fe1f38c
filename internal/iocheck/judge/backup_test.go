package judge

import (
	"errors"
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/backup"
	"github.com/replmon/replmon/internal/plugin"
	"github.com/replmon/replmon/internal/replica"
)

// TestStoppedByBackup: a SQL thread stopped without error keeps its
// CRITICAL unless --during-backup says otherwise and a backup session is
// seen; the note names the session, or why none could be looked for.
func TestStoppedByBackup(t *testing.T) {
	c := healthy("", 0)
	c.SQL, c.Lag = replica.Stopped, replica.Lag{}
	dump := backup.Session{ID: 42, User: "backup", Host: "localhost", Command: "Query", Time: "3", Why: "program_name mysqldump"}
	found := Backup{Read: true, Sessions: backup.Sessions{Backups: []backup.Session{dump}, SeesOthers: true}}
	cases := []struct {
		name    string
		b       Backup
		during  plugin.Status
		status  plugin.Status
		problem string
		note    string
	}{
		{"not looked at", Backup{}, plugin.WARNING, plugin.CRITICAL, "SQL thread stopped", ""},
		{"default: today's verdict and a hint", found, plugin.CRITICAL, plugin.CRITICAL, "SQL thread stopped",
			"a backup that stops the SQL thread while it runs is in progress: session 42 of backup@localhost (program_name mysqldump, Query for 3s); " +
				"with --during-backup=warning this is a WARNING until the backup restarts the thread"},
		{"warning", found, plugin.WARNING, plugin.WARNING,
			"SQL thread stopped by a backup: session 42 of backup@localhost (program_name mysqldump, Query for 3s)",
			"stopped by a backup that restarts it when done: session 42 of backup@localhost (program_name mysqldump, Query for 3s)"},
		{"ok", found, plugin.OK, plugin.OK, "", "stopped by a backup that restarts it when done: session 42"},
		{"no backup", Backup{Read: true, Sessions: backup.Sessions{SeesOthers: true, ProgramErr: errors.New("denied")}}, plugin.WARNING, plugin.CRITICAL,
			"SQL thread stopped", "no backup session in the processlist (mysqldump --dump-slave, mariabackup or xtrabackup --safe-slave-backup): " +
				"stopped by hand or by another tool; program names not read: denied"},
		{"no PROCESS", Backup{Read: true}, plugin.WARNING, plugin.CRITICAL, "SQL thread stopped",
			"whether a backup stopped it could not be checked: the account sees only its own sessions in the processlist; fix: GRANT PROCESS ON *.* TO the monitoring account"},
		{"processlist refused", Backup{Read: true, Err: errors.New("SHOW FULL PROCESSLIST: refused")}, plugin.WARNING, plugin.CRITICAL, "SQL thread stopped",
			"whether a backup stopped it could not be checked: SHOW FULL PROCESSLIST: refused"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o := defaults()
			o.DuringBackup = tc.during
			v := Judge(Facts{Channels: []replica.Channel{c}, Backup: tc.b}, o).Channels[0]
			if v.Status != tc.status || strings.Join(v.Problems, "; ") != tc.problem || !strings.HasPrefix(v.BackupNote, tc.note) {
				t.Errorf("%v %q %q, want %v %q %q", v.Status, v.Problems, v.BackupNote, tc.status, tc.problem, tc.note)
			}
		})
	}
	// Backups stop the SQL thread only, with no error of its own.
	io := c
	io.IO = replica.Stopped
	errored := c
	errored.LastSQLErrno = 1062
	for _, x := range []replica.Channel{io, errored, healthy("", 0)} {
		if StoppedLikeByBackup(x) {
			t.Errorf("%+v looks stopped by a backup", x)
		}
	}
	if !StoppedLikeByBackup(c) {
		t.Error("a SQL thread stopped without error should be looked into")
	}
}
