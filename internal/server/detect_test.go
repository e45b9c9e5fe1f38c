package server_test

import (
	"context"
	"errors"
	"testing"

	"github.com/go-sql-driver/mysql"

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
			db := srv.DB()
			defer db.Close()
			id, err := server.Detect(context.Background(), db)
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
	db := srv.DB()
	defer db.Close()
	_, err := server.Detect(context.Background(), db)
	var ae *server.AccessError
	if !errors.As(err, &ae) || ae.Number != 1045 {
		t.Fatalf("Detect error = %v, want an *AccessError for 1045", err)
	}
}

// textServer answers QueryText from a fakedb script, as a connection used
// without database/sql answers.
type textServer struct{ script map[string]fakedb.Result }

func (s textServer) QueryText(_ context.Context, query string) ([]string, [][]*string, error) {
	r, ok := s.script[query]
	if !ok {
		return nil, nil, fakedb.SyntaxError(query)
	}
	return r.Columns, r.Rows, r.Err
}

// TestDetectTextAsDetect: DetectText gives what Detect gives, identity or
// error text, for every answer of TestDetect and a few more.
func TestDetectTextAsDetect(t *testing.T) {
	answers := []fakedb.Result{
		{Columns: []string{"@@version", "@@version_comment"}, Rows: [][]*string{{str("10.11.19-MariaDB-0+deb12u1-log"), str("Debian 12")}}},
		{Columns: []string{"@@version", "@@version_comment"}, Rows: [][]*string{{str("5.5.5-10.6.16-MariaDB"), str("mariadb.org binary distribution")}}},
		{Columns: []string{"@@version", "@@version_comment"}, Rows: [][]*string{{str("5.7.44-48-log"), str("Percona Server (GPL), Release 48, Revision 497f936a373")}}},
		{Columns: []string{"@@version", "@@version_comment"}, Rows: [][]*string{{str("8.0.36"), nil}}},
		{Columns: []string{"@@version", "@@version_comment"}, Rows: [][]*string{{nil, str("x")}}},
		{Columns: []string{"@@version", "@@version_comment"}, Rows: [][]*string{{str("banana"), str("x")}}},
		{Columns: []string{"@@version", "@@version_comment"}, Rows: [][]*string{{str("8.0.36"), str("a")}, {str("5.7.1"), str("b")}}},
		{Columns: []string{"@@version", "@@version_comment"}},
		{Columns: []string{"@@version"}, Rows: [][]*string{{str("8.0.36")}}},
		{Err: &mysql.MySQLError{Number: 1045, Message: "Access denied for user 'monitor'@'10.0.0.5' (using password: YES)"}},
		{Err: &mysql.MySQLError{Number: 2013, Message: "Lost connection to MySQL server during query"}},
	}
	for i, answer := range answers {
		script := map[string]fakedb.Result{server.DetectQuery: answer}
		db := fakedb.New(script).DB()
		want, wantErr := server.Detect(context.Background(), db)
		db.Close()
		got, gotErr := server.DetectText(context.Background(), textServer{script})
		if got != want || (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
			t.Errorf("answer %d: DetectText = %v, %v; Detect = %v, %v", i, got, gotErr, want, wantErr)
		}
		var ae, we *server.AccessError
		if errors.As(gotErr, &ae) != errors.As(wantErr, &we) {
			t.Errorf("answer %d: DetectText error %T, Detect error %T", i, gotErr, wantErr)
		}
	}
}
