package recorded

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"

	"github.com/replmon/replmon/internal/testkit/fakedb"
)

func str(s string) *string { return &s }

func TestWriteLoad(t *testing.T) {
	denied := &mysql.MySQLError{Number: 1227, Message: "Access denied; you need (at least one of) the REPLICATION MASTER ADMIN privilege(s) for this operation"}
	copy(denied.SQLState[:], "42000")
	in := &Server{Name: "m1", Addr: "127.0.0.1:3306", Answers: map[string]fakedb.Result{
		VariablesStatement: {Columns: []string{"Variable_name", "Value"}, Rows: [][]*string{
			{str("log_bin"), str("ON")}, {str("Server_ID"), str("1")}, {str("init_connect"), str("")}}},
		"SHOW PROCESSLIST": {Columns: []string{"Id", "Info"}, Rows: [][]*string{
			{str("5"), nil}, {str("6"), str("SELECT 'a\tb\nc\\d\x00'")}}},
		"SHOW SLAVE HOSTS": {Err: denied},
		// One column holding an empty string: a line of its own, not a blank line.
		"SELECT BINLOG_GTID_POS('b.000001', 4)": {Columns: []string{"BINLOG_GTID_POS('b.000001', 4)"}, Rows: [][]*string{{str("")}}},
	}, Order: []string{VariablesStatement, "SHOW PROCESSLIST", "SHOW SLAVE HOSTS", "SELECT BINLOG_GTID_POS('b.000001', 4)"}}
	path := filepath.Join(t.TempDir(), "m1.txt")
	if err := in.Write(path, "recorded by a test\nsecond line"); err != nil {
		t.Fatal(err)
	}
	out, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for k := range in.Answers {
		if !reflect.DeepEqual(out.Answers[k], in.Answers[k]) {
			t.Errorf("%s: loaded %+v, wrote %+v", k, out.Answers[k], in.Answers[k])
		}
	}
	if !reflect.DeepEqual(out, in) {
		t.Errorf("loaded %+v, wrote %+v", out, in)
	}
	vars, ok := out.Variables([]string{"server_id", "LOG_BIN", "absent"})
	if !ok || len(vars.Rows) != 2 || *vars.Rows[0][0] != "log_bin" || *vars.Rows[1][0] != "Server_ID" {
		t.Errorf("Variables = %v, %v", vars, ok)
	}
	if _, ok := (&Server{Answers: map[string]fakedb.Result{}}).Variables(nil); ok {
		t.Error("Variables of a server without the section reported ok")
	}
}

func TestLoadRejects(t *testing.T) {
	for name, body := range map[string]string{
		"text before the first statement": "@addr a:1\nId\n",
		"want !NUMBER SQLSTATE MESSAGE":   "@addr a:1\n== SHOW X\n!1227 42000\n",
		"2 values for 1 columns":          "@addr a:1\n== SHOW X\nId\n1\t2\n",
		"no @addr line":                   "== SHOW X\nId\n1\n",
	} {
		path := filepath.Join(t.TempDir(), "s.txt")
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(path); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%q: error %v, want one saying %q", body, err, name)
		}
	}
}
