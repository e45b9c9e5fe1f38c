package query

import (
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"testing"
)

func myErr(n uint16, msg string) *ServerError {
	return &ServerError{Number: n, Message: msg}
}

func TestIsSyntaxError(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{myErr(1064, "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near 'SLAVE STATUS' at line 1"), true},
		{fmt.Errorf("wrapped: %w", myErr(1064, "syntax")), true},
		{myErr(1227, "Access denied; you need (at least one of) the SUPER, REPLICATION CLIENT privilege(s) for this operation"), false},
		{errors.New("You have an error in your SQL syntax"), false}, // text alone is not the server's word
		{sql.ErrNoRows, false},
		{nil, false},
	}
	for _, tt := range tests {
		if got := IsSyntaxError(tt.err); got != tt.want {
			t.Errorf("IsSyntaxError(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}

func TestExplain(t *testing.T) {
	tests := []struct {
		name    string
		err     *ServerError
		missing string
		text    string
	}{
		{
			name:    "MariaDB 10.11 SHOW ALL SLAVES STATUS (recorded)",
			err:     myErr(1227, "Access denied; you need (at least one of) the SUPER, SLAVE MONITOR privilege(s) for this operation"),
			missing: "SUPER, SLAVE MONITOR",
			text:    "access denied (error 1227): Access denied; you need (at least one of) the SUPER, SLAVE MONITOR privilege(s) for this operation",
		},
		{
			name:    "MySQL 5.7 SHOW SLAVE STATUS",
			err:     myErr(1227, "Access denied; you need (at least one of) the SUPER, REPLICATION CLIENT privilege(s) for this operation"),
			missing: "SUPER, REPLICATION CLIENT",
			text:    "access denied (error 1227): Access denied; you need (at least one of) the SUPER, REPLICATION CLIENT privilege(s) for this operation",
		},
		{
			name:    "MySQL 5.0 wording",
			err:     myErr(1227, "Access denied; you need the SUPER,REPLICATION CLIENT privilege for this operation"),
			missing: "SUPER,REPLICATION CLIENT",
			text:    "access denied (error 1227): Access denied; you need the SUPER,REPLICATION CLIENT privilege for this operation",
		},
		{
			name:    "1227 without a privilege in the text",
			err:     myErr(1227, "Access denied"),
			missing: "a privilege the server did not name",
			text:    "access denied (error 1227): Access denied; the server did not say which privilege is missing",
		},
		{
			name:    "table (recorded)",
			err:     myErr(1142, "SELECT command denied to user 'monitor'@'localhost' for table `mysql`.`user`"),
			missing: "SELECT on table `mysql`.`user`",
			text:    "access denied (error 1142): SELECT command denied to user 'monitor'@'localhost' for table `mysql`.`user`; missing privilege: SELECT on table `mysql`.`user`",
		},
		{
			name:    "column (recorded)",
			err:     myErr(1143, "SELECT command denied to user 'monitor'@'localhost' for column 'user_id' in table 'sessions'"),
			missing: "SELECT on column 'user_id' in table 'sessions'",
			text:    "access denied (error 1143): SELECT command denied to user 'monitor'@'localhost' for column 'user_id' in table 'sessions'; missing privilege: SELECT on column 'user_id' in table 'sessions'",
		},
		{
			name:    "routine (recorded)",
			err:     myErr(1370, "execute command denied to user 'monitor'@'localhost' for routine 'app.p'"),
			missing: "EXECUTE on routine 'app.p'",
			text:    "access denied (error 1370): execute command denied to user 'monitor'@'localhost' for routine 'app.p'; missing privilege: EXECUTE on routine 'app.p'",
		},
		{
			name:    "database (recorded)",
			err:     myErr(1044, "Access denied for user 'monitor'@'localhost' to database 'app'"),
			missing: "any privilege on database 'app'",
			text:    "access denied (error 1044): Access denied for user 'monitor'@'localhost' to database 'app'; missing privilege: any privilege on database 'app'",
		},
		{
			name: "login (recorded)",
			err:  myErr(1045, "Access denied for user 'monitor'@'localhost' (using password: YES)"),
			text: "login refused (error 1045): Access denied for user 'monitor'@'localhost' (using password: YES); the user name, password or client host matches no account; this is not a missing privilege",
		},
		{
			name: "socket login",
			err:  myErr(1698, "Access denied for user 'monitor'@'localhost'"),
			text: "login refused (error 1698): Access denied for user 'monitor'@'localhost'; the user name, password or client host matches no account; this is not a missing privilege",
		},
		{
			name: "MySQL 8.0 protected system table",
			err:  myErr(3554, "Access to system table 'mysql.innodb_index_stats' is rejected."),
			text: "access denied (error 3554): Access to system table 'mysql.innodb_index_stats' is rejected; no privilege grants this: the server reserves that table for itself",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wrapped := fmt.Errorf("SHOW SLAVE STATUS: %w", tt.err)
			got := Explain(wrapped)
			var ae *AccessError
			if !errors.As(got, &ae) {
				t.Fatalf("Explain(%v) = %T %v, want *AccessError", tt.err, got, got)
			}
			if ae.Number != tt.err.Number || ae.Message != tt.err.Message {
				t.Errorf("AccessError lost the server's error: %d %q", ae.Number, ae.Message)
			}
			if ae.Missing != tt.missing {
				t.Errorf("Missing = %q, want %q", ae.Missing, tt.missing)
			}
			if got.Error() != tt.text {
				t.Errorf("Error() =\n  %s\nwant\n  %s", got.Error(), tt.text)
			}
			var me *ServerError
			if !errors.As(got, &me) || me != tt.err {
				t.Error("the server's *ServerError is no longer reachable with errors.As")
			}
		})
	}
}

func TestExplainLeavesOtherErrorsAlone(t *testing.T) {
	syntax := myErr(1064, "You have an error in your SQL syntax")
	gone := myErr(2013, "Lost connection to MySQL server during query")
	plain := errors.New("dial tcp 127.0.0.1:3306: connect: connection refused")
	for _, err := range []error{nil, syntax, gone, plain, sql.ErrNoRows} {
		if got := Explain(err); got != err {
			t.Errorf("Explain(%v) = %v, want it unchanged", err, got)
		}
	}
}

func TestLazyPatternsCompileOnceAndMatch(t *testing.T) {
	for name, re := range map[string]func() *regexp.Regexp{
		"needPrivilegeRE": needPrivilegeRE, "commandDeniedRE": commandDeniedRE, "databaseDeniedRE": databaseDeniedRE,
	} {
		first := re()
		if first == nil || re() != first {
			t.Errorf("%s: want the same compiled pattern on every call", name)
		}
	}
	if m := databaseDeniedRE().FindStringSubmatch("Access denied for user 'u'@'h' to database 'app'"); len(m) != 2 || m[1] != "app" {
		t.Errorf("databaseDeniedRE match = %q", m)
	}
}
