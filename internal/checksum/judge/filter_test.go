package judge

import (
	"testing"

	"github.com/replmon/replmon/internal/checksum/plan"
)

func TestFilterExcludes(t *testing.T) {
	app := func(name string) plan.TableName { return plan.TableName{Schema: "app", Name: name} }
	tests := []struct {
		name   string
		f      Filter
		t      plan.TableName
		rule   string
		filter bool
	}{
		{"no filter", Filter{}, app("t"), "", false},
		{"do db names it", Filter{DoDB: []string{"app", "x"}}, app("t"), "", false},
		{"do db does not", Filter{DoDB: []string{"shop"}}, app("t"), "Replicate_Do_DB=shop", true},
		{"ignore db", Filter{IgnoreDB: []string{"app"}}, app("t"), "Replicate_Ignore_DB=app", true},
		{"ignore db, do db set: do decides", Filter{DoDB: []string{"app"}, IgnoreDB: []string{"app"}}, app("t"), "", false},
		{"ignore table", Filter{IgnoreTable: []string{"app.t", "app.u"}}, app("t"), "Replicate_Ignore_Table=app.t,app.u", true},
		{"ignore another table", Filter{IgnoreTable: []string{"app.u"}}, app("t"), "", false},
		{"do table names it", Filter{DoTable: []string{"app.t"}, WildIgnore: []string{"app.%"}}, app("t"), "", false},
		{"do table does not", Filter{DoTable: []string{"app.u"}}, app("t"), "Replicate_Do_Table=app.u does not name it", true},
		{"wild ignore", Filter{WildIgnore: []string{"app.tmp\\_%"}}, app("tmp_1"), "Replicate_Wild_Ignore_Table=app.tmp\\_%", true},
		{"wild ignore, escaped _ is literal", Filter{WildIgnore: []string{"app.tmp\\_%"}}, app("tmpx1"), "", false},
		{"wild ignore, case", Filter{WildIgnore: []string{"APP.%"}}, app("t"), "Replicate_Wild_Ignore_Table=APP.%", true},
		{"wild do before wild ignore", Filter{WildDo: []string{"app.t%"}, WildIgnore: []string{"app.%"}}, app("t1"), "", false},
		{"wild do does not match", Filter{WildDo: []string{"shop.%"}}, app("t"), "Replicate_Wild_Do_Table=shop.% does not match it", true},
		{"wild _ one character", Filter{WildIgnore: []string{"app._"}}, app("t"), "Replicate_Wild_Ignore_Table=app._", true},
		{"wild _ not two", Filter{WildIgnore: []string{"app._"}}, app("tt"), "", false},
	}
	for _, tt := range tests {
		rule, ok := tt.f.Excludes(tt.t)
		if rule != tt.rule || ok != tt.filter {
			t.Errorf("%s: Excludes = %q, %v; want %q, %v", tt.name, rule, ok, tt.rule, tt.filter)
		}
	}
	fs := []Filter{{Where: "r1"}, {Where: "r2 (channel 'east')", IgnoreDB: []string{"app"}}}
	if got := FilteredOut(fs, app("t")); got != "Replicate_Ignore_DB=app on r2 (channel 'east')" {
		t.Errorf("FilteredOut = %q", got)
	}
	if got := FilterLists(" a.b, c.% ,,"); len(got) != 2 || got[0] != "a.b" || got[1] != "c.%" {
		t.Errorf("FilterLists = %q", got)
	}
}
