package reliability

import (
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/checksum/plan"
)

// selectable reports whether a table of this schema can be selected by
// naming it: never the system schemas, and mysql only when named so.
func selectable(schema string) bool {
	switch strings.ToLower(schema) {
	case "information_schema", "performance_schema", "sys":
		return false
	case "mysql":
		return schema == "mysql"
	}
	return true
}

// FuzzTablePattern checks check_repl_checksum's table patterns (--table,
// --database, --exclude): any text is either rejected in one line or
// selects sensibly, and never panics: a literal DATABASE.TABLE selects
// exactly that table, "*" selects any name, an exclusion wins.
func FuzzTablePattern(f *testing.F) {
	for _, s := range [][3]string{
		{"app.users", "app", "users"}, {"app.*", "app", "users"}, {"a*.u?ers", "app", "users"},
		{"app", "app", "t"}, {"[", "app", "t"}, {"app.[a-", "app", "a"}, {"app.", "app", ""},
		{".t", "", "t"}, {"mysql.user", "mysql", "user"}, {"MySQL.user", "MySQL", "user"},
		{"sys.x", "sys", "x"}, {"app.t\\*", "app", "t*"}, {"app.a.b", "app", "a.b"},
		{"we/ird.t", "we/ird", "t"}, {"app.x/y", "app", "x/y"}, {"app.\x00", "app", "\x00"},
		{"app.é", "app", "é"}, {"*.*", "information_schema", "TABLES"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, pattern, schema, table string) {
		tn := plan.TableName{Schema: schema, Name: table}
		for _, sel := range []judge.Selection{{Tables: []string{pattern}}, {Databases: []string{pattern}}, {Exclude: []string{pattern}}} {
			if err := sel.Validate(); err != nil {
				if msg := err.Error(); msg == "" || strings.ContainsAny(msg, "\r\n") {
					t.Fatalf("Validate(%+v): error %q is not one line", sel, msg)
				}
				continue
			}
			_ = sel.Match(tn)
			_ = sel.Describe()
		}
		if schema == "" || table == "" || !selectable(schema) {
			return
		}
		// A literal pattern names exactly its table.
		if !strings.ContainsAny(schema+table, "*?[\\") && !strings.Contains(schema, ".") {
			literal := schema + "." + table
			if sel := (judge.Selection{Tables: []string{literal}}); sel.Validate() == nil && !sel.Match(tn) {
				t.Fatalf("--table %q does not select %s", literal, tn)
			}
			sel := judge.Selection{Tables: []string{literal}, Exclude: []string{literal}}
			if sel.Validate() == nil && sel.Match(tn) {
				t.Fatalf("--exclude %q does not win over --table %q", literal, literal)
			}
			if other := (plan.TableName{Schema: schema, Name: table + "x"}); (judge.Selection{Tables: []string{literal}}).Match(other) {
				t.Fatalf("--table %q selects %s too", literal, other)
			}
		}
		// "*" stands for any name.
		if !strings.ContainsAny(schema, "*?[\\.") {
			sel := judge.Selection{Tables: []string{schema + ".*"}}
			check(t, sel.Validate() != nil || sel.Match(tn),
				"--table %q does not select %s", schema+".*", tn)
			if schema != "mysql" { // mysql only when named literally
				sel = judge.Selection{Databases: []string{"*"}}
				check(t, sel.Match(tn), "--database '*' does not select %s", tn)
			}
		}
	})
}
