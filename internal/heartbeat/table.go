package heartbeat

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Table names the heartbeat table: database and table.
type Table struct {
	DB, Name string
}

// maxIdentifier is the longest database or table name MySQL and MariaDB accept.
const maxIdentifier = 64

// ParseTable reads "DB.TABLE", each part optionally in backquotes.
func ParseTable(s string) (Table, error) {
	db, name, ok := split(strings.TrimSpace(s))
	if !ok {
		return Table{}, fmt.Errorf("heartbeat table %q: want DB.TABLE", s)
	}
	t := Table{DB: unquote(db), Name: unquote(name)}
	for _, part := range []string{t.DB, t.Name} {
		if part == "" || utf8.RuneCountInString(part) > maxIdentifier || !utf8.ValidString(part) || strings.ContainsRune(part, 0) {
			return Table{}, fmt.Errorf("heartbeat table %q: want DB.TABLE, each a name of 1 to %d characters", s, maxIdentifier)
		}
	}
	return t, nil
}

// split cuts "DB.TABLE" at the dot after the database name, which may be
// in backquotes and then hold dots itself.
func split(s string) (db, name string, ok bool) {
	if !strings.HasPrefix(s, "`") {
		return strings.Cut(s, ".")
	}
	for i := 1; i < len(s); i++ {
		if s[i] != '`' {
			continue
		}
		if i+1 < len(s) && s[i+1] == '`' {
			i++ // a doubled backquote inside the name
			continue
		}
		if i+1 < len(s) && s[i+1] == '.' {
			return s[:i+1], s[i+2:], true
		}
		return "", "", false
	}
	return "", "", false
}

// unquote removes one pair of surrounding backquotes and undoubles the inner ones.
func unquote(s string) string {
	if len(s) >= 2 && s[0] == '`' && s[len(s)-1] == '`' {
		return strings.ReplaceAll(s[1:len(s)-1], "``", "`")
	}
	return s
}

// String returns "db.table", as a user writes it.
func (t Table) String() string { return t.DB + "." + t.Name }

// quoted returns `db`.`table` for a statement.
func (t Table) quoted() string {
	q := func(s string) string { return "`" + strings.ReplaceAll(s, "`", "``") + "`" }
	return q(t.DB) + "." + q(t.Name)
}
