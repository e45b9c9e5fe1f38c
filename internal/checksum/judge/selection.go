package judge

import (
	"fmt"
	"strings"

	"github.com/replmon/replmon/internal/checksum/plan"
)

// Selection chooses the tables to compare from -d, --table and --exclude.
type Selection struct {
	Databases []string // glob patterns on database names (-d)
	Tables    []string // glob patterns "database.table" (--table)
	Exclude   []string // glob patterns "database.table", or "database" for a whole database
}

// neverSchemas are never compared: they are not replicated data.
var neverSchemas = map[string]bool{"information_schema": true, "performance_schema": true, "sys": true}

// Validate checks every pattern and returns the first problem in one sentence.
func (s Selection) Validate() error {
	check := func(flag, p string) error {
		if p == "" {
			return fmt.Errorf("%s: empty pattern", flag)
		}
		if err := checkGlob(p); err != nil {
			return fmt.Errorf("%s %q is not a valid glob pattern", flag, p)
		}
		return nil
	}
	for _, p := range s.Databases {
		if err := check("--database", p); err != nil {
			return err
		}
	}
	for _, p := range s.Tables {
		if err := check("--table", p); err != nil {
			return err
		}
		if db, tbl, ok := strings.Cut(p, "."); !ok || db == "" || tbl == "" {
			return fmt.Errorf("--table %q: write it as DATABASE.TABLE (globs allowed)", p)
		}
	}
	for _, p := range s.Exclude {
		if err := check("--exclude", p); err != nil {
			return err
		}
	}
	return nil
}

// Match reports whether t is selected. The patterns have passed Validate,
// which checks each once: matching does not check them again.
func (s Selection) Match(t plan.TableName) bool {
	schema := strings.ToLower(t.Schema)
	if neverSchemas[schema] {
		return false
	}
	if schema == "mysql" && !s.namesMySQL() {
		return false
	}
	selected := len(s.Databases) == 0 && len(s.Tables) == 0
	for _, p := range s.Databases {
		if matchGlob(p, t.Schema) {
			selected = true
		}
	}
	for _, p := range s.Tables {
		if matchTable(p, t) {
			selected = true
		}
	}
	if !selected {
		return false
	}
	for _, p := range s.Exclude {
		if strings.Contains(p, ".") {
			if matchTable(p, t) {
				return false
			}
		} else if matchGlob(p, t.Schema) {
			return false
		}
	}
	return true
}

// namesMySQL reports whether a pattern names the mysql database literally:
// it is compared only when asked for.
func (s Selection) namesMySQL() bool {
	for _, p := range s.Databases {
		if p == "mysql" {
			return true
		}
	}
	for _, p := range s.Tables {
		if db, _, _ := strings.Cut(p, "."); db == "mysql" {
			return true
		}
	}
	return false
}

// Empty reports whether no pattern was given: every user database.
func (s Selection) Empty() bool {
	return len(s.Databases) == 0 && len(s.Tables) == 0 && len(s.Exclude) == 0
}

// Describe returns the selection in words, for "no table matched".
func (s Selection) Describe() string {
	var parts []string
	if len(s.Databases) > 0 {
		parts = append(parts, "--database "+strings.Join(s.Databases, ","))
	}
	if len(s.Tables) > 0 {
		parts = append(parts, "--table "+strings.Join(s.Tables, ","))
	}
	if len(s.Exclude) > 0 {
		parts = append(parts, "--exclude "+strings.Join(s.Exclude, ","))
	}
	if len(parts) == 0 {
		return "all user databases"
	}
	return strings.Join(parts, " ")
}

func matchTable(pattern string, t plan.TableName) bool {
	db, tbl, ok := strings.Cut(pattern, ".")
	return ok && matchGlob(db, t.Schema) && matchGlob(tbl, t.Name)
}
