package judge

import (
	"strings"
	"unicode/utf8"

	"github.com/replmon/replmon/internal/checksum/plan"
)

// Filter is the replication filter of one channel on a replica's way from
// the source: the Replicate_* columns of its replica status.
type Filter struct {
	Where       string   // the server and channel, for messages
	DoDB        []string // Replicate_Do_DB
	IgnoreDB    []string // Replicate_Ignore_DB
	DoTable     []string // Replicate_Do_Table, db.table
	IgnoreTable []string // Replicate_Ignore_Table
	WildDo      []string // Replicate_Wild_Do_Table, LIKE patterns over db.table
	WildIgnore  []string // Replicate_Wild_Ignore_Table
}

// FilterLists splits a Replicate_* column into its entries.
func FilterLists(column string) []string {
	var out []string
	for _, e := range strings.Split(column, ",") {
		if e = strings.TrimSpace(e); e != "" {
			out = append(out, e)
		}
	}
	return out
}

// Excludes reports whether the filter keeps t from being replicated, and
// the rule that does, as the servers evaluate them for row events: the
// database options first (Do_DB, else Ignore_DB), then the table options
// (Do_Table, Ignore_Table, Wild_Do_Table, Wild_Ignore_Table, in that
// order; a table that no Do option names is excluded when any is set).
func (f Filter) Excludes(t plan.TableName) (string, bool) {
	switch {
	case len(f.DoDB) > 0 && !contains(f.DoDB, t.Schema):
		return "Replicate_Do_DB=" + strings.Join(f.DoDB, ","), true
	case len(f.DoDB) == 0 && contains(f.IgnoreDB, t.Schema):
		return "Replicate_Ignore_DB=" + strings.Join(f.IgnoreDB, ","), true
	}
	name := t.Schema + "." + t.Name
	if contains(f.DoTable, name) {
		return "", false
	}
	if contains(f.IgnoreTable, name) {
		return "Replicate_Ignore_Table=" + strings.Join(f.IgnoreTable, ","), true
	}
	for _, p := range f.WildDo {
		if likeMatch(p, name) {
			return "", false
		}
	}
	for _, p := range f.WildIgnore {
		if likeMatch(p, name) {
			return "Replicate_Wild_Ignore_Table=" + p, true
		}
	}
	switch {
	case len(f.DoTable) > 0:
		return "Replicate_Do_Table=" + strings.Join(f.DoTable, ",") + " does not name it", true
	case len(f.WildDo) > 0:
		return "Replicate_Wild_Do_Table=" + strings.Join(f.WildDo, ",") + " does not match it", true
	}
	return "", false
}

// FilteredOut says which filter on a replica's way keeps t from it, or "".
func FilteredOut(filters []Filter, t plan.TableName) string {
	for _, f := range filters {
		if rule, ok := f.Excludes(t); ok {
			return rule + " on " + f.Where
		}
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// likeMatch reports whether s matches the LIKE pattern p ('%' any run, '_'
// one character, '\' escapes), case-insensitively as the servers match
// wild table filters. It runs in O(len(p)·len(s)).
func likeMatch(p, s string) bool {
	pr, sr := []rune(strings.ToLower(p)), []rune(strings.ToLower(s))
	if !utf8.ValidString(p) || !utf8.ValidString(s) {
		return false
	}
	pi, si, starP, starS := 0, 0, -1, 0
	for si < len(sr) {
		switch {
		case pi < len(pr) && pr[pi] == '%':
			starP, starS = pi, si
			pi++
			continue
		case pi+1 < len(pr) && pr[pi] == '\\' && pr[pi+1] == sr[si]:
			pi, si = pi+2, si+1
			continue
		case pi < len(pr) && pr[pi] != '\\' && (pr[pi] == '_' || pr[pi] == sr[si]):
			pi, si = pi+1, si+1
			continue
		}
		if starP < 0 {
			return false
		}
		starS++
		pi, si = starP+1, starS
	}
	for pi < len(pr) && pr[pi] == '%' {
		pi++
	}
	return pi == len(pr)
}
