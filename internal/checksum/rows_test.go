package checksum

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"

	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/checksum/plan"
	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/testkit/fakedb"
)

// result is an answer of the given rows; its columns are named c0, c1, ...
func result(rows ...[]*string) *query.Result {
	res := &query.Result{Rows: rows}
	if len(rows) > 0 {
		for i := range rows[0] {
			res.Columns = append(res.Columns, "c"+string(rune('0'+i)))
		}
	}
	return res
}

// textResult is an answer of the given rows, none NULL.
func textResult(rows ...[]string) *query.Result {
	out := make([][]*string, len(rows))
	for i, r := range rows {
		for _, v := range r {
			out[i] = append(out[i], str(v))
		}
	}
	return result(out...)
}

func TestParseChecksumTable(t *testing.T) {
	n := &node{Label: "r1"}
	tn := plan.TableName{Schema: "app", Name: "t"}
	s, err := parseChecksumTable(tn, n, result([]*string{str("app.t"), str("4239701103")}))
	if err != nil || s != (judge.Sum{Rows: -1, Value: "4239701103"}) {
		t.Errorf("got %+v %v", s, err)
	}
	if _, err := parseChecksumTable(tn, n, result([]*string{str("app.t"), nil})); !errors.Is(err, judge.ErrMissing) {
		t.Errorf("NULL checksum: %v, want errMissing", err)
	}
	if _, err := parseChecksumTable(tn, n, result([]*string{str("app.t"), str("x")})); err == nil || errors.Is(err, judge.ErrMissing) {
		t.Errorf("garbage checksum: %v", err)
	}
	if _, err := parseChecksumTable(tn, n, result()); err == nil {
		t.Error("no row: no error")
	}
	if q := checksumTableQuery(tn, true); q != "CHECKSUM TABLE `app`.`t` QUICK" {
		t.Errorf("quick: %s", q)
	}
}

func TestFillMeta(t *testing.T) {
	out := map[plan.TableName]*plan.TableInfo{}
	res := [3]*query.Result{
		textResult([]string{"t", "Aria", "Page", "checksum=1 transactional=1", "42"}, []string{"u", "InnoDB", "Dynamic", "", "7"}),
		textResult([]string{"t", "id", "INT", "int(11)", "", ""}, []string{"t", "g", "int", "int(11)", "", "VIRTUAL GENERATED"},
			[]string{"u", "k", "varchar", "varchar(5)", "utf8mb4", ""}, []string{"gone", "x", "int", "int", "", ""}),
		textResult([]string{"t", "id"}, []string{"u", "k"}),
	}
	fillMeta(out, "app", res)
	ti, ui := out[plan.TableName{Schema: "app", Name: "t"}], out[plan.TableName{Schema: "app", Name: "u"}]
	if ti == nil || ui == nil || len(out) != 2 {
		t.Fatalf("tables %v", out)
	}
	if !ti.LiveChecksum() || ui.LiveChecksum() || ti.EstRows != 42 || !ti.Columns[1].Virtual || ti.Columns[0].DataType != "int" {
		t.Errorf("t: %+v", ti)
	}
	if ui.Signature() != "`k` varchar(5) utf8mb4" || ui.PK[0] != "k" {
		t.Errorf("u: %+v %s", ui, ui.Signature())
	}
	q := metaQueries("app", []string{"t", "o'x"})
	if !strings.Contains(q[0], "TABLE_SCHEMA = 'app' AND TABLE_NAME IN ('t', 'o\\'x')") || !strings.Contains(q[2], "INDEX_NAME = 'PRIMARY'") {
		t.Errorf("queries %q", q)
	}
}

func TestNotCovered(t *testing.T) {
	tests := []struct {
		want, have string
		self       uint32
		out        string
	}{
		{"1-1-7,2-2-9", "1-1-7,2-2-5", 1, "2-2-9"},
		{"1-1-7,2-2-9", "2-2-9", 1, ""},
		{"1-1-7,3-5-2", "", 1, "3-5-2"},
		{"0-2-10", "0-1-12", 1, ""},
	}
	for _, tt := range tests {
		got, err := notCovered(tt.want, tt.have, tt.self)
		if err != nil || got != tt.out {
			t.Errorf("notCovered(%q, %q, %d) = %q, %v; want %q", tt.want, tt.have, tt.self, got, err, tt.out)
		}
	}
	if _, err := notCovered("x", "", 1); err == nil {
		t.Error("bad position: no error")
	}
	if _, err := notCovered("", "y", 1); err == nil {
		t.Error("bad position: no error")
	}
}

// A table dropped before its chunks are planned is named with the source
// that lacks it.
func TestPlanChunksMissingTable(t *testing.T) {
	tn := plan.TableName{Schema: "app", Name: "gone"}
	info := &plan.TableInfo{EstRows: 1000, Columns: []plan.Column{{Name: "id", DataType: "int", ColumnType: "int(11)"}}, PK: []string{"id"}}
	stmt := "SELECT MIN(" + plan.QuoteIdent("id") + "), MAX(" + plan.QuoteIdent("id") + ") FROM " + plan.QuoteTable(tn)
	db := fakedb.New(map[string]fakedb.Result{stmt: {Err: &mysql.MySQLError{Number: errNoSuchTable, Message: "Table 'app.gone' doesn't exist"}}})
	src := &node{Label: "db1:3306", Source: true}
	err := newRowsPlan(tn, info).planChunks(context.Background(), db, src, 100, info.EstRows)
	if !errors.Is(err, judge.ErrMissing) || !strings.HasPrefix(err.Error(), "app.gone on db1:3306: ") {
		t.Errorf("planChunks error %v, want app.gone missing on db1:3306", err)
	}
}
