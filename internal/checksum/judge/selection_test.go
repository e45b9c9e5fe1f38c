package judge

import (
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/checksum/plan"
)

func TestSelectionMatch(t *testing.T) {
	tables := []plan.TableName{
		{Schema: "app", Name: "users"}, {Schema: "app", Name: "orders"}, {Schema: "app", Name: "log_2024"}, {Schema: "app2", Name: "x"},
		{Schema: "shop", Name: "items"}, {Schema: "mysql", Name: "user"}, {Schema: "sys", Name: "sys_config"},
		{Schema: "information_schema", Name: "TABLES"}, {Schema: "performance_schema", Name: "threads"},
	}
	tests := []struct {
		name string
		sel  Selection
		want string
	}{
		{"default: user databases only", Selection{}, "app.users app.orders app.log_2024 app2.x shop.items"},
		{"database glob", Selection{Databases: []string{"app*"}}, "app.users app.orders app.log_2024 app2.x"},
		{"exact database", Selection{Databases: []string{"shop"}}, "shop.items"},
		{"table glob", Selection{Tables: []string{"app.o*"}}, "app.orders"},
		{"table and database add up", Selection{Databases: []string{"shop"}, Tables: []string{"app.users"}}, "app.users shop.items"},
		{"exclude table", Selection{Exclude: []string{"app.log_*"}}, "app.users app.orders app2.x shop.items"},
		{"exclude database", Selection{Exclude: []string{"app*"}}, "shop.items"},
		{"mysql only when named", Selection{Databases: []string{"*"}}, "app.users app.orders app.log_2024 app2.x shop.items"},
		{"mysql named", Selection{Databases: []string{"mysql"}}, "mysql.user"},
		{"mysql table named", Selection{Tables: []string{"mysql.u*"}}, "mysql.user"},
		{"sys never", Selection{Databases: []string{"sys", "information_schema", "performance_schema"}}, ""},
		{"nothing", Selection{Databases: []string{"nosuch"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, tb := range tables {
				if tt.sel.Match(tb) {
					got = append(got, tb.String())
				}
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("selected %q, want %q", g, tt.want)
			}
		})
	}
}

func TestSelectionValidate(t *testing.T) {
	tests := []struct {
		sel  Selection
		want string
	}{
		{Selection{Databases: []string{"app"}, Tables: []string{"a.b"}, Exclude: []string{"x", "y.z"}}, ""},
		{Selection{Databases: []string{"[app"}}, `--database "[app" is not a valid glob pattern`},
		{Selection{Tables: []string{"users"}}, `--table "users": write it as DATABASE.TABLE (globs allowed)`},
		{Selection{Tables: []string{"app."}}, `--table "app.": write it as DATABASE.TABLE (globs allowed)`},
		{Selection{Exclude: []string{""}}, "--exclude: empty pattern"},
		{Selection{Exclude: []string{"a.[b"}}, `--exclude "a.[b" is not a valid glob pattern`},
	}
	for _, tt := range tests {
		err := tt.sel.Validate()
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("Validate(%+v) = %q, want %q", tt.sel, got, tt.want)
		}
	}
}

func TestSelectionDescribe(t *testing.T) {
	if got := (Selection{}).Describe(); got != "all user databases" {
		t.Errorf("Describe() = %q", got)
	}
	s := Selection{Databases: []string{"a", "b*"}, Tables: []string{"c.d"}, Exclude: []string{"e"}}
	if got := s.Describe(); got != "--database a,b* --table c.d --exclude e" {
		t.Errorf("Describe() = %q", got)
	}
}
