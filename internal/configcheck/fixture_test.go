package configcheck

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"

	"github.com/replmon/replmon/internal/server"
	"github.com/replmon/replmon/internal/server/fakedb"
)

// A fixture file records what one server answers, statement by statement,
// in the layout of `mariadb --batch`:
//
//	# comment
//	@addr 127.0.0.1:3306          the address the server is reached at
//	== SHOW PROCESSLIST           a statement
//	Id<TAB>User<TAB>...           its column names, as the server returns them
//	5<TAB>repl<TAB>...            rows; \N is NULL, \t \n \\ are escaped
//	== SHOW REPLICA HOSTS
//	!1227 42000 Access denied; ...   the error the statement gets instead
//
// "== SHOW GLOBAL VARIABLES" holds the variables; the fake server answers
// the plugin's SHOW GLOBAL VARIABLES WHERE Variable_name IN (...) with the
// rows whose name is in the list, as a server does.

// fixtureServer is one recorded server.
type fixtureServer struct {
	Name    string
	Addr    string
	Answers map[string]fakedb.Result
	Order   []string // statements in file order
}

const variablesSection = "SHOW GLOBAL VARIABLES"

// unescape reads a --batch value.
func unescape(s string) *string {
	if s == `\N` {
		return nil
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

// loadFixtureServer reads one fixture file.
func loadFixtureServer(path string) (*fixtureServer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fs := &fixtureServer{Name: strings.TrimSuffix(filepath.Base(path), ".txt"), Answers: map[string]fakedb.Result{}}
	var stmt string
	var cur *fakedb.Result
	flush := func() {
		if stmt != "" {
			fs.Answers[stmt] = *cur
			fs.Order = append(fs.Order, stmt)
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
			fs.Addr = strings.TrimSpace(strings.TrimPrefix(text, "@addr "))
		case strings.HasPrefix(text, "== "):
			flush()
			stmt, cur = strings.TrimSpace(text[3:]), &fakedb.Result{}
		case stmt == "" && text == "":
		case stmt == "":
			return nil, fmt.Errorf("%s:%d: text before the first statement", path, line)
		case strings.HasPrefix(text, "!") && cur.Columns == nil:
			var num int
			var state string
			if _, err := fmt.Sscanf(text, "!%d %s", &num, &state); err != nil || len(state) != 5 {
				return nil, fmt.Errorf("%s:%d: want !NUMBER SQLSTATE MESSAGE", path, line)
			}
			msg := strings.SplitN(text, " ", 3)
			me := &mysql.MySQLError{Number: uint16(num), Message: msg[2]}
			copy(me.SQLState[:], state)
			cur.Err = me
		case text == "" && cur.Columns != nil:
			// blank line ends nothing; rows never are empty (they have tabs)
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
	if fs.Addr == "" {
		return nil, fmt.Errorf("%s: no @addr line", path)
	}
	return fs, nil
}

// script returns the fake server's answers for a reader asking for the
// audited variables plus extra ones.
func (fs *fixtureServer) script(extra []string) map[string]fakedb.Result {
	s := map[string]fakedb.Result{}
	for stmt, r := range fs.Answers {
		if stmt != variablesSection {
			s[stmt] = r
		}
	}
	if v, ok := fs.Answers[variablesSection]; ok {
		names := variableNames(extra)
		want := map[string]bool{}
		for _, n := range names {
			want[n] = true
		}
		filtered := fakedb.Result{Columns: v.Columns, Err: v.Err}
		for _, row := range v.Rows {
			if row[0] != nil && want[strings.ToLower(*row[0])] {
				filtered.Rows = append(filtered.Rows, row)
			}
		}
		s[VariablesQuery(names)] = filtered
	}
	return s
}

// writeFixtureServer writes a fixture file (used by the recorder).
func writeFixtureServer(path, comment string, fs *fixtureServer) error {
	var b strings.Builder
	for _, l := range strings.Split(comment, "\n") {
		b.WriteString("# " + l + "\n")
	}
	b.WriteString("@addr " + fs.Addr + "\n")
	for _, stmt := range fs.Order {
		r := fs.Answers[stmt]
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
			b.WriteString(strings.Join(vals, "\t") + "\n")
		}
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// fixtureTopology is a directory of fixture servers.
type fixtureTopology struct {
	Servers []*fixtureServer
	fakes   map[string]*fakedb.Server // by address, after dial
}

// loadFixtureTopology reads every *.txt of dir, in name order.
func loadFixtureTopology(t *testing.T, dir string) *fixtureTopology {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixture in %s (%v)", dir, err)
	}
	sort.Strings(paths)
	ft := &fixtureTopology{fakes: map[string]*fakedb.Server{}}
	for _, p := range paths {
		fs, err := loadFixtureServer(p)
		if err != nil {
			t.Fatal(err)
		}
		ft.Servers = append(ft.Servers, fs)
	}
	return ft
}

// server returns the fixture named name.
func (ft *fixtureTopology) server(t *testing.T, name string) *fixtureServer {
	t.Helper()
	for _, s := range ft.Servers {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no fixture server %q", name)
	return nil
}

// dialer serves each fixture at its address; other addresses are refused
// as a closed port would be.
func (ft *fixtureTopology) dialer(extra []string) Dialer {
	return func(ctx context.Context, addr string) (server.Querier, func(), error) {
		for _, s := range ft.Servers {
			if s.Addr == addr {
				fake := fakedb.New(s.script(extra))
				ft.fakes[addr] = fake
				db := fake.DB()
				return db, func() { db.Close() }, nil
			}
		}
		return nil, nil, fmt.Errorf("cannot connect to %s: connection refused", addr)
	}
}

// queries returns the statements sent to the server at addr.
func (ft *fixtureTopology) queries(addr string) []string {
	if f := ft.fakes[addr]; f != nil {
		return f.Queries()
	}
	return nil
}

// crawl audits the fixtures in mode, starting from the named servers.
func (ft *fixtureTopology) crawl(t *testing.T, mode Mode, extra []string, names ...string) *Topology {
	t.Helper()
	var addrs []string
	for _, n := range names {
		addrs = append(addrs, ft.server(t, n).Addr)
	}
	c := &Crawler{Dial: ft.dialer(extra), User: "monitor", Extra: extra}
	return c.Crawl(context.Background(), mode, addrs)
}

// portOf returns the port of an address, for tests.
func portOf(addr string) int {
	i := strings.LastIndexByte(addr, ':')
	p, _ := strconv.Atoi(addr[i+1:])
	return p
}
