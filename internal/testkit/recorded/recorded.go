// Package recorded reads and writes the recorded answers of real servers
// that check_repl_config's tests replay (internal/configcheck/testdata).
//
// A file records what one server answers, statement by statement, in the
// layout of `mariadb --batch`:
//
//	# comment
//	@addr 127.0.0.1:3306          the address the server is reached at
//	== SHOW PROCESSLIST           a statement
//	Id<TAB>User<TAB>...           its column names, as the server returns them
//	5<TAB>repl<TAB>...            rows; \N is NULL, \t \n \0 \\ are escaped, and a
//	                              row of one empty string is \e (a blank line separates)
//	== SHOW REPLICA HOSTS
//	!1227 42000 Access denied; ...   the error the statement gets instead
//
// "== SHOW GLOBAL VARIABLES" holds the variables; a fake server answers the
// plugin's SHOW GLOBAL VARIABLES WHERE Variable_name IN (...) with
// Variables, the rows whose name is in the list, as a server does.
package recorded

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-sql-driver/mysql"

	"github.com/replmon/replmon/internal/testkit/fakedb"
)

// VariablesStatement is the section holding the server's variables.
const VariablesStatement = "SHOW GLOBAL VARIABLES"

// Server is one recorded server.
type Server struct {
	Name    string // file name without .txt
	Addr    string
	Answers map[string]fakedb.Result
	Order   []string // statements in file order
}

// Load reads one file.
func Load(path string) (*Server, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s := &Server{Name: strings.TrimSuffix(filepath.Base(path), ".txt"), Answers: map[string]fakedb.Result{}}
	var stmt string
	var cur *fakedb.Result
	flush := func() {
		if stmt != "" {
			s.Answers[stmt] = *cur
			s.Order = append(s.Order, stmt)
		}
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		switch {
		case strings.HasPrefix(text, "#"):
		case strings.HasPrefix(text, "@addr "):
			s.Addr = strings.TrimSpace(strings.TrimPrefix(text, "@addr "))
		case strings.HasPrefix(text, "== "):
			flush()
			stmt, cur = strings.TrimSpace(text[3:]), &fakedb.Result{}
		case stmt == "" && text == "":
		case stmt == "":
			return nil, fmt.Errorf("%s:%d: text before the first statement", path, line)
		case strings.HasPrefix(text, "!") && cur.Columns == nil:
			var num int
			var state string
			msg := strings.SplitN(text, " ", 3)
			if _, err := fmt.Sscanf(text, "!%d %s", &num, &state); err != nil || len(state) != 5 || len(msg) != 3 {
				return nil, fmt.Errorf("%s:%d: want !NUMBER SQLSTATE MESSAGE", path, line)
			}
			me := &mysql.MySQLError{Number: uint16(num), Message: msg[2]}
			copy(me.SQLState[:], state)
			cur.Err = me
		case text == "" && (cur.Columns != nil || cur.Err != nil):
			// a blank line separates; a row is never blank (one empty value is \e)
		case cur.Columns == nil:
			cur.Columns = strings.Split(text, "\t")
		default:
			fields := strings.Split(text, "\t")
			if len(fields) != len(cur.Columns) {
				return nil, fmt.Errorf("%s:%d: %d values for %d columns", path, line, len(fields), len(cur.Columns))
			}
			row := make([]*string, len(fields))
			for i, v := range fields {
				row[i] = unescape(v)
			}
			cur.Rows = append(cur.Rows, row)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	flush()
	if s.Addr == "" {
		return nil, fmt.Errorf("%s: no @addr line", path)
	}
	return s, nil
}

// Write writes s to path, with comment as its first lines.
func (s *Server) Write(path, comment string) error {
	var b strings.Builder
	for _, l := range strings.Split(comment, "\n") {
		b.WriteString("# " + l + "\n")
	}
	b.WriteString("@addr " + s.Addr + "\n")
	for _, stmt := range s.Order {
		r := s.Answers[stmt]
		b.WriteString("\n== " + stmt + "\n")
		if me, ok := r.Err.(*mysql.MySQLError); ok {
			fmt.Fprintf(&b, "!%d %s %s\n", me.Number, string(me.SQLState[:]), me.Message)
			continue
		}
		b.WriteString(strings.Join(r.Columns, "\t") + "\n")
		for _, row := range r.Rows {
			vals := make([]string, len(row))
			for i, v := range row {
				vals[i] = escape(v)
			}
			if len(vals) == 1 && vals[0] == "" {
				vals[0] = `\e`
			}
			b.WriteString(strings.Join(vals, "\t") + "\n")
		}
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// Variables returns the recorded variables whose names (any case) are in
// names, as SHOW GLOBAL VARIABLES WHERE Variable_name IN (...) gives them;
// false when nothing was recorded.
func (s *Server) Variables(names []string) (fakedb.Result, bool) {
	all, ok := s.Answers[VariablesStatement]
	if !ok {
		return fakedb.Result{}, false
	}
	want := map[string]bool{}
	for _, n := range names {
		want[strings.ToLower(n)] = true
	}
	out := fakedb.Result{Columns: all.Columns, Err: all.Err}
	for _, row := range all.Rows {
		if len(row) > 0 && row[0] != nil && want[strings.ToLower(*row[0])] {
			out.Rows = append(out.Rows, row)
		}
	}
	return out, true
}

// unescape reads a --batch value.
func unescape(s string) *string {
	switch s {
	case `\N`:
		return nil
	case `\e`:
		empty := ""
		return &empty
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 't':
				b.WriteByte('\t')
			case 'n':
				b.WriteByte('\n')
			case '0':
				b.WriteByte(0)
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	v := b.String()
	return &v
}

// escape writes a --batch value.
func escape(v *string) string {
	if v == nil {
		return `\N`
	}
	r := strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`, "\x00", `\0`)
	return r.Replace(*v)
}
