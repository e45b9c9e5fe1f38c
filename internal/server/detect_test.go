package server_test

import (
	"context"
	"errors"
	"testing"

	"github.com/go-sql-driver/mysql"

	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/server"
	"github.com/replmon/replmon/internal/testkit/fakedb"
)

func str(s string) *string { return &s }

func TestDetect(t *testing.T) {
	tests := []struct {
		name   string
		answer fakedb.Result
		want   string // Identity.String(), or "" for an error
	}{
		{
			name: "MariaDB (recorded 10.11)",
			answer: fakedb.Result{
				Columns: []string{"@@version", "@@version_comment"},
				Rows:    [][]*string{{str("10.11.19-MariaDB-0+deb12u1-log"), str("Debian 12")}},
			},
			want: "MariaDB 10.11.19",
		},
		{
			name: "Percona",
			answer: fakedb.Result{
				Columns: []string{"@@version", "@@version_comment"},
				Rows:    [][]*string{{str("5.7.44-48-log"), str("Percona Server (GPL), Release 48, Revision 497f936a373")}},
			},
			want: "Percona 5.7.44",
		},
		{
			name: "NULL comment",
			answer: fakedb.Result{
				Columns: []string{"@@version", "@@version_comment"},
				Rows:    [][]*string{{str("8.0.36"), nil}},
			},
			want: "MySQL 8.0.36",
		},
		{
			name: "NULL version",
			answer: fakedb.Result{
				Columns: []string{"@@version", "@@version_comment"},
				Rows:    [][]*string{{nil, str("x")}},
			},
		},
		{
			name: "garbage version",
			answer: fakedb.Result{
				Columns: []string{"@@version", "@@version_comment"},
				Rows:    [][]*string{{str("banana"), str("x")}},
			},
		},
		{
			name:   "no row",
			answer: fakedb.Result{Columns: []string{"@@version", "@@version_comment"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakedb.New(map[string]fakedb.Result{server.DetectQuery: tt.answer})
			id, err := server.Detect(context.Background(), srv)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("Detect = %v, want an error", id)
				}
			} else if err != nil {
				t.Fatalf("Detect: %v", err)
			} else if id.String() != tt.want {
				t.Errorf("Detect = %q, want %q", id, tt.want)
			}
			if q := srv.Queries(); len(q) != 1 || q[0] != server.DetectQuery {
				t.Errorf("sent %q, want exactly one %q", q, server.DetectQuery)
			}
		})
	}
}

func TestDetectExplainsRefusal(t *testing.T) {
	refusal := &mysql.MySQLError{Number: 1045, Message: "Access denied for user 'monitor'@'10.0.0.5' (using password: YES)"}
	srv := fakedb.New(map[string]fakedb.Result{server.DetectQuery: {Err: refusal}})
	_, err := server.Detect(context.Background(), srv)
	var ae *query.AccessError
	if !errors.As(err, &ae) || ae.Number != 1045 {
		t.Fatalf("Detect error = %v, want an *AccessError for 1045", err)
	}
}
