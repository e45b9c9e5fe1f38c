// Package backup finds, in a server's processlist, the sessions of backup
// tools that stop a replica's SQL thread on purpose for as long as they
// run: mysqldump/mariadb-dump --dump-slave, mariabackup and xtrabackup
// --safe-slave-backup. It reads; what a stopped thread then means is for
// the judge.
//
// The evidence, from the most to the least direct:
//
//   - the program_name connection attribute (performance_schema
//     .session_connect_attrs, where the account may read it and
//     performance_schema is on): mysqldump and mariadb-dump send
//     "mysqldump"; mariabackup 10.11 sends none;
//   - the statement a session runs: "SELECT /*!40001 SQL_NO_CACHE */ ..."
//     (mysqldump dumping a table, what check_mysql looks for), "BACKUP
//     STAGE ..." (mariabackup), "LOCK TABLES FOR BACKUP" and "LOCK INSTANCE
//     FOR BACKUP" (xtrabackup); between two statements a session sleeps
//     and shows none;
//   - an account named with --backup-user, whose sessions are backups
//     whatever they run.
//
// Without the PROCESS privilege a server shows an account its own sessions
// only: Sessions.SeesOthers then says the search could not be made.
package backup

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/server"
)

// Statements this package sends.
const (
	// ProcesslistQuery lists every session the account may see, with the
	// whole statement each runs.
	ProcesslistQuery = "SHOW FULL PROCESSLIST"
	// ProgramNamesQuery returns the program name each client announced.
	ProgramNamesQuery = "SELECT PROCESSLIST_ID, ATTR_VALUE FROM performance_schema.session_connect_attrs WHERE ATTR_NAME = 'program_name'"
)

// ProgramNamesStatement returns ProgramNamesQuery where the server has
// session_connect_attrs (MySQL and Percona 5.6.6 and later, MariaDB 10.0
// and later), and "" elsewhere.
func ProgramNamesStatement(id server.Identity) string {
	switch {
	case id.Flavor == server.MariaDB && id.Version.AtLeast(10, 0, 0):
		return ProgramNamesQuery
	case (id.Flavor == server.MySQL || id.Flavor == server.Percona) && id.Version.AtLeast(5, 6, 6):
		return ProgramNamesQuery
	}
	return ""
}

// Session is one backup session, with the evidence that makes it one.
type Session struct {
	ID      int64
	User    string
	Host    string
	DB      string
	Command string
	Time    string // seconds in the current state, as the server gives them
	Info    string // the statement running, "" when it sleeps
	Program string // program_name, "" when unknown
	Why     string // the evidence: "program_name mysqldump", "runs SELECT /*!40001 ...", "account backup is a --backup-user"
}

// Sessions is what the processlist tells about backups.
type Sessions struct {
	Backups    []Session
	SeesOthers bool  // sessions of other accounts are visible (PROCESS)
	ProgramErr error // why program names could not be read; nil when read or not asked
	Programs   bool  // program names were read
}

// backupPrograms are the program_name values of backup tools.
var backupPrograms = map[string]bool{"mysqldump": true, "mariadb-dump": true, "mariabackup": true, "mariadb-backup": true, "xtrabackup": true}

// backupStatements start the statements only a backup runs.
var backupStatements = []string{"SELECT /*!40001 SQL_NO_CACHE */", "BACKUP STAGE", "LOCK TABLES FOR BACKUP", "LOCK INSTANCE FOR BACKUP"}

// Find picks the backup sessions out of a SHOW FULL PROCESSLIST result.
// programs maps session ids to program_name; users are the --backup-user
// accounts. The session running SHOW FULL PROCESSLIST is this check's own.
func Find(res *query.Result, programs map[int64]string, users []string) (Sessions, error) {
	id, user, host, db, cmd, tm, info := res.Column("Id"), res.Column("User"), res.Column("Host"), res.Column("db"),
		res.Column("Command"), res.Column("Time"), res.Column("Info")
	if id < 0 || user < 0 || info < 0 {
		return Sessions{}, fmt.Errorf("%s: want columns Id, User and Info, got %s", ProcesslistQuery, strings.Join(res.Columns, ", "))
	}
	own := ""
	for r := range res.Rows {
		if strings.EqualFold(strings.TrimSpace(res.Text(r, info)), ProcesslistQuery) {
			own = res.Text(r, user)
			break
		}
	}
	var out Sessions
	for r := range res.Rows {
		s := Session{User: res.Text(r, user), Host: res.Text(r, host), DB: res.Text(r, db), Command: res.Text(r, cmd),
			Time: res.Text(r, tm), Info: strings.TrimSpace(res.Text(r, info))}
		if s.User != own {
			out.SeesOthers = true
		}
		if strings.EqualFold(s.Info, ProcesslistQuery) {
			continue
		}
		s.ID, _ = strconv.ParseInt(strings.TrimSpace(res.Text(r, id)), 10, 64)
		s.Program = programs[s.ID]
		switch {
		case backupPrograms[strings.ToLower(s.Program)]:
			s.Why = "program_name " + s.Program
		case backupStatement(s.Info):
			s.Why = "runs " + query.Shorten(s.Info)
		case named(s.User, users):
			s.Why = "account " + s.User + " is a --backup-user"
		default:
			continue
		}
		out.Backups = append(out.Backups, s)
	}
	return out, nil
}

func backupStatement(info string) bool {
	up := strings.ToUpper(info)
	for _, p := range backupStatements {
		if strings.HasPrefix(up, p) {
			return true
		}
	}
	return false
}

func named(user string, users []string) bool {
	for _, u := range users {
		if u == user {
			return true
		}
	}
	return false
}

// ProgramNames reads the answer to ProgramNamesQuery: program_name by session id.
func ProgramNames(res *query.Result) map[int64]string {
	out := map[int64]string{}
	for r := range res.Rows {
		id, err := strconv.ParseInt(strings.TrimSpace(res.Text(r, 0)), 10, 64)
		if err == nil {
			out[id] = res.Text(r, 1)
		}
	}
	return out
}

// Read lists the processlist and, where the server has them, the program
// names, and finds the backup sessions. An error reading the processlist is
// returned (explained: a refusal names the privilege); one reading the
// program names is kept in Sessions.ProgramErr, since the statements alone
// may still tell.
func Read(ctx context.Context, q query.Runner, id server.Identity, users []string) (Sessions, error) {
	res, err := q.Query(ctx, ProcesslistQuery)
	if err != nil {
		return Sessions{}, fmt.Errorf("%s: %w", ProcesslistQuery, query.Explain(err))
	}
	programs := map[int64]string{}
	var progErr error
	read := false
	if stmt := ProgramNamesStatement(id); stmt != "" {
		pres, err := q.Query(ctx, stmt)
		if err != nil {
			if ctx.Err() != nil {
				return Sessions{}, err
			}
			progErr = query.Explain(err)
		} else {
			programs, read = ProgramNames(pres), true
		}
	}
	s, err := Find(res, programs, users)
	s.ProgramErr, s.Programs = progErr, read
	return s, err
}

// Describe names a backup session for people: "session 42 of
// backup@localhost (program_name mysqldump, in app, Query for 3s)".
func (s Session) Describe() string {
	parts := []string{s.Why}
	if s.DB != "" {
		parts = append(parts, "in "+s.DB)
	}
	if s.Command != "" {
		parts = append(parts, s.Command+" for "+s.Time+"s")
	}
	return fmt.Sprintf("session %d of %s@%s (%s)", s.ID, s.User, s.Host, strings.Join(parts, ", "))
}
