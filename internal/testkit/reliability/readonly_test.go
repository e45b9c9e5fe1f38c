package reliability

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/testkit/sandbox"
)

// serverState is what a plugin must leave unchanged on a server.
type serverState struct {
	Binlog   string            // SHOW MASTER STATUS file:position
	GTIDs    string            // gtid_binlog_pos, gtid_current_pos, gtid_slave_pos
	Tables   []string          // every table outside the system schemas
	Counters map[string]string // statement counters of writes
}

// writeCounters count the statements that change something.
var writeCounters = []string{
	"Com_insert", "Com_insert_select", "Com_update", "Com_update_multi", "Com_delete", "Com_delete_multi",
	"Com_replace", "Com_replace_select", "Com_create_table", "Com_drop_table", "Com_alter_table",
	"Com_truncate", "Com_create_db", "Com_drop_db", "Com_create_view", "Com_rename_table",
	"Com_create_index", "Com_drop_index", "Com_lock_tables", "Com_flush", "Com_purge",
	"Com_change_master", "Com_slave_start", "Com_slave_stop", "Com_kill",
}

// rows runs q as root and returns every row as strings.
func rows(t testing.TB, s *sandbox.Server, q string) [][]string {
	t.Helper()
	db, err := s.RootDB()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rs, err := db.QueryContext(ctx, q)
	if err != nil {
		t.Fatalf("%s: %s: %v", s.Name, q, err)
	}
	defer rs.Close()
	cols, _ := rs.Columns()
	var out [][]string
	for rs.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = v.String
		}
		out = append(out, row)
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// state reads a server's state.
func state(t testing.TB, s *sandbox.Server) serverState {
	t.Helper()
	var st serverState
	for _, r := range rows(t, s, "SHOW MASTER STATUS") {
		st.Binlog = r[0] + ":" + r[1]
	}
	g := rows(t, s, "SELECT @@GLOBAL.gtid_binlog_pos, @@GLOBAL.gtid_current_pos, @@GLOBAL.gtid_slave_pos")
	st.GTIDs = strings.Join(g[0], " / ")
	for _, r := range rows(t, s, "SELECT CONCAT(TABLE_SCHEMA, '.', TABLE_NAME, ' ', TABLE_TYPE) FROM information_schema.TABLES "+
		"WHERE TABLE_SCHEMA NOT IN ('information_schema', 'performance_schema', 'sys')") {
		st.Tables = append(st.Tables, r[0])
	}
	sort.Strings(st.Tables)
	st.Counters = map[string]string{}
	for _, r := range rows(t, s, "SHOW GLOBAL STATUS WHERE Variable_name IN ('"+strings.Join(writeCounters, "', '")+"')") {
		st.Counters[r[0]] = r[1]
	}
	return st
}

// generalLog is the statements of the monitoring account's sessions in the
// general log, by session.
func generalLog(t testing.TB, s *sandbox.Server) map[string][]string {
	t.Helper()
	sessions := map[string][]string{}
	for _, r := range rows(t, s, "SELECT thread_id, command_type, CONVERT(argument USING utf8mb4) FROM mysql.general_log "+
		"WHERE thread_id IN (SELECT thread_id FROM mysql.general_log WHERE command_type = 'Connect' AND argument LIKE 'monitor@%') "+
		"ORDER BY event_time, thread_id") {
		if r[1] == "Query" {
			sessions[r[0]] = append(sessions[r[0]], strings.TrimSpace(r[2]))
		} else if _, ok := sessions[r[0]]; !ok {
			sessions[r[0]] = nil
		}
	}
	return sessions
}

var (
	// readStatement is what a monitoring session may send: reads, session
	// settings, and for check_repl_checksum the transaction of a locking
	// read of one chunk (--lock-chunk: SELECT ... LOCK IN SHARE MODE in a
	// read-only transaction) and KILL QUERY of its own statement still
	// running at the deadline.
	readStatement = regexp.MustCompile(`(?is)^((SELECT|SHOW|CHECKSUM TABLE|SET SESSION|SET @@SESSION\.|SET NAMES|DO)\s|(START TRANSACTION|ROLLBACK)$)|` + killQuery.String())
	// killQuery is KILL QUERY of one connection.
	killQuery = regexp.MustCompile(`^KILL QUERY (\d+)$`)
	// writeWords never appear in a monitoring session's statements.
	writeWords = regexp.MustCompile(`(?i)\b(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|TRUNCATE|RENAME|GRANT|REVOKE|FLUSH|KILL|PURGE|RESET|` +
		`CHANGE\s+MASTER|START\s+SLAVE|STOP\s+SLAVE|SET\s+GLOBAL|sql_log_bin|TEMPORARY|OUTFILE|DUMPFILE|FOR\s+UPDATE|GET_LOCK)\b`)
)

// TestNothingChanges runs every plugin on a pair whose servers both write a
// binary log, and requires each server's binary log position, GTID state,
// tables and write counters unchanged afterwards; the general log must show
// only reading statements from the monitoring sessions, and every session
// of check_repl_checksum declared read-only before it reads a table.
func TestNothingChanges(t *testing.T) {
	sb := sharedPair(t)
	m1, r1 := sb.Server("m1"), sb.Server("r1")
	servers := []*sandbox.Server{m1, r1}
	for _, s := range servers {
		mustExec(t, s, "SET GLOBAL log_output = 'TABLE'", "SET GLOBAL general_log = ON")
	}
	defer func() {
		for _, s := range servers {
			mustExec(t, s, "SET GLOBAL general_log = OFF", "SET SESSION sql_log_bin = 0", "TRUNCATE TABLE mysql.general_log")
		}
	}()
	cnf := monitorCnf(t)
	runs := []struct {
		p    plug
		args []string
	}{
		{pIO, []string{"-vv"}},
		{pChecksum, []string{"-vv"}},
		{pChecksum, []string{"--method", "rows", "--chunk-size", "50", "--show-rows", "5"}},
		{pChecksum, []string{"--method", "checksum-table", "--parallel", "3"}},
		{pChecksum, []string{"--method", "rows", "--chunk-size", "100", "--chunk-time", "0", "--lock-chunk", "--state-file", filepath.Join(t.TempDir(), "state")}},
		{pConfig, []string{"--discover", "-vv"}},
		{pConfig, []string{"--server", m1.Addr(), "--server", r1.Addr()}},
	}
	for _, run := range runs {
		t.Run(run.p.name+" "+strings.Join(run.args, " "), func(t *testing.T) {
			for _, s := range servers {
				mustExec(t, s, "SET SESSION sql_log_bin = 0", "TRUNCATE TABLE mysql.general_log")
			}
			before := []serverState{state(t, m1), state(t, r1)}
			args := append([]string{"--defaults-file=" + cnf}, run.p.target(m1.Addr(), r1.Addr())...)
			res := run.p.run(t, nil, append(args, run.args...)...)
			if verdict(t, run.p, res, sandbox.MonitorPassword) != 0 {
				t.Errorf("exit %d, want OK", res.Code)
			}
			for i, s := range servers {
				if after := state(t, s); !reflect.DeepEqual(after, before[i]) {
					t.Errorf("%s changed:\nbefore %+v\nafter  %+v", s.Name, before[i], after)
				}
			}
			total := 0
			for _, s := range servers {
				sessions := generalLog(t, s)
				for id, stmts := range sessions {
					total += len(stmts)
					readOnly := false
					for _, q := range stmts {
						if m := killQuery.FindStringSubmatch(q); m != nil {
							// Only the plugin's own statements are killed.
							if _, own := sessions[m[1]]; !own || run.p != pChecksum {
								t.Errorf("%s session %s killed a statement of connection %s, not one of its own", s.Name, id, m[1])
							}
							continue
						}
						if !readStatement.MatchString(q) || writeWords.MatchString(q) {
							t.Errorf("%s session %s sent %q", s.Name, id, q)
						}
						if q == "SET SESSION TRANSACTION READ ONLY" {
							readOnly = true
						}
						touchesData := strings.Contains(q, "`app`") || strings.HasPrefix(q, "CHECKSUM TABLE")
						if run.p == pChecksum && touchesData && !readOnly {
							t.Errorf("%s session %s read %q before declaring itself read-only", s.Name, id, q)
						}
						if run.p != pChecksum && !regexp.MustCompile(`(?i)^(SELECT|SHOW)\s`).MatchString(q) {
							t.Errorf("%s session %s of %s sent %q, more than SELECT and SHOW", s.Name, id, run.p.name, q)
						}
					}
				}
			}
			if total == 0 {
				t.Fatal("the general log holds no statement of the monitoring account: the check sees nothing")
			}
			t.Logf("%d statements of the monitoring account checked", total)
		})
	}
	t.Run("control: a write shows", func(t *testing.T) {
		before := state(t, m1)
		mustExec(t, m1, "INSERT INTO app.log (msg) VALUES ('control')", "DELETE FROM app.log WHERE msg = 'control'")
		if after := state(t, m1); reflect.DeepEqual(after.Binlog, before.Binlog) || after.GTIDs == before.GTIDs ||
			reflect.DeepEqual(after.Counters, before.Counters) {
			t.Errorf("a write and its undo left no trace in the state read:\nbefore %+v\nafter  %+v", before, after)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := sb.WaitReplicated(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
