package judge

import (
	"fmt"
	"strings"

	"github.com/replmon/replmon/internal/backup"
	"github.com/replmon/replmon/internal/plugin"
	"github.com/replmon/replmon/internal/replica"
)

// Backup is what was read of the processlist to find a backup that stopped
// a SQL thread: Read is false when it was not looked at.
type Backup struct {
	Read     bool
	Sessions backup.Sessions
	Err      error
}

// StoppedLikeByBackup reports whether c's SQL thread is stopped with no
// error of its own while its IO thread is not stopped: what mysqldump
// --dump-slave and --safe-slave-backup do (STOP SLAVE SQL_THREAD), or a
// person.
func StoppedLikeByBackup(c replica.Channel) bool {
	return c.SQL == replica.Stopped && c.IO != replica.Stopped && c.LastSQLErrno == 0 && strings.TrimSpace(c.LastSQLError) == "" &&
		c.LastErrno == 0 && strings.TrimSpace(c.LastError) == ""
}

// stoppedWithoutError judges a SQL thread stopped without an error: the
// state, the summary text and a note for the long output. Stopped by a
// running backup it takes --during-backup's state; otherwise, or with the
// default, it stays CRITICAL, and the note names the backup or says why
// none could be looked for.
func stoppedWithoutError(b Backup, opts Options) (plugin.Status, string, string) {
	const fix = "GRANT PROCESS ON *.* TO the monitoring account"
	s := b.Sessions
	switch {
	case !b.Read:
		return plugin.CRITICAL, "SQL thread stopped", ""
	case b.Err != nil:
		return plugin.CRITICAL, "SQL thread stopped", "whether a backup stopped it could not be checked: " + b.Err.Error()
	case len(s.Backups) > 0:
		var names []string
		for _, x := range s.Backups {
			names = append(names, x.Describe())
		}
		running := strings.Join(names, "; ")
		if opts.DuringBackup == plugin.CRITICAL {
			return plugin.CRITICAL, "SQL thread stopped",
				"a backup that stops the SQL thread while it runs is in progress: " + running +
					"; with --during-backup=warning this is a WARNING until the backup restarts the thread"
		}
		return opts.DuringBackup, "SQL thread stopped by a backup: " + s.Backups[0].Describe(),
			"stopped by a backup that restarts it when done: " + running
	case !s.SeesOthers:
		return plugin.CRITICAL, "SQL thread stopped",
			"whether a backup stopped it could not be checked: the account sees only its own sessions in the processlist; fix: " + fix
	}
	note := "no backup session in the processlist (mysqldump --dump-slave, mariabackup or xtrabackup --safe-slave-backup" +
		backupUsers(opts.BackupUsers) + "): stopped by hand or by another tool"
	if s.ProgramErr != nil {
		note += fmt.Sprintf("; program names not read: %s", s.ProgramErr)
	}
	return plugin.CRITICAL, "SQL thread stopped", note
}

func backupUsers(users []string) string {
	if len(users) == 0 {
		return ""
	}
	return ", accounts " + strings.Join(users, ", ")
}
