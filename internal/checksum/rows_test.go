package checksum

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"

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

func testTable() *tableInfo {
	return &tableInfo{
		EstRows: 1000,
		Columns: []column{
			{Name: "a", DataType: "int", ColumnType: "int(11)"},
			{Name: "b", DataType: "varchar", ColumnType: "varchar(10)", Charset: "latin1"},
			{Name: "c", DataType: "bit", ColumnType: "bit(3)"},
			{Name: "d", DataType: "varbinary", ColumnType: "varbinary(8)", Charset: ""},
			{Name: "e", DataType: "int", ColumnType: "int(11)", Virtual: true},
		},
		PK: []string{"a", "b"},
	}
}

func TestRowsPlanStatements(t *testing.T) {
	p := newRowsPlan(TableName{"app", "t"}, testTable())
	wantHash := "CAST(CONV(LEFT(SHA1(CONCAT_WS('#', `a`, CONVERT(`b` USING utf8mb4), CAST(`c` AS UNSIGNED), `d`, " +
		"CONCAT(ISNULL(`a`), ISNULL(`b`), ISNULL(`c`), ISNULL(`d`)))), 16), 16, 10) AS UNSIGNED)"
	if p.hash != wantHash {
		t.Errorf("hash\n got %s\nwant %s", p.hash, wantHash)
	}
	if got := p.sumQuery(0); got != "SELECT COUNT(*), COALESCE(BIT_XOR("+wantHash+"), 0) FROM `app`.`t`" {
		t.Errorf("one chunk: %s", got)
	}
	p.chunks = []chunk{{hi: []string{"5", "x"}}, {lo: []string{"5", "x"}, hi: []string{"9", "it's"}}, {lo: []string{"9", "it's"}}}
	if got := p.where(0); got != " WHERE (`a` < 5 OR (`a` = 5 AND `b` <= 'x'))" {
		t.Errorf("first chunk: %s", got)
	}
	if got := p.where(1); got != " WHERE (`a` > 5 OR (`a` = 5 AND `b` > 'x')) AND (`a` < 9 OR (`a` = 9 AND `b` <= 'it\\'s'))" {
		t.Errorf("middle chunk: %s", got)
	}
	if got := p.keysQuery(2); got != "SELECT `a`, `b`, "+wantHash+" FROM `app`.`t` FORCE INDEX (PRIMARY) WHERE (`a` > 9 OR (`a` = 9 AND `b` > 'it\\'s')) ORDER BY `a`, `b`" {
		t.Errorf("keys of the last chunk: %s", got)
	}
	if got := p.Units(); len(got) != 3 || got[2] != 2 {
		t.Errorf("units %v", got)
	}
	three := []column{{Name: "x", DataType: "int"}, {Name: "y", DataType: "int"}, {Name: "z", DataType: "date"}}
	if got := keyCompare(three, []string{"1", "2", "2024-01-01"}, ">"); got != "(`x` > 1 OR (`x` = 1 AND (`y` > 2 OR (`y` = 2 AND `z` > '2024-01-01'))))" {
		t.Errorf("three columns: %s", got)
	}
	noPK := testTable()
	noPK.PK = nil
	if p := newRowsPlan(TableName{"app", "t"}, noPK); p.pk != nil {
		t.Errorf("a table without primary key got key %v", p.pk)
	}
	badPK := testTable()
	badPK.PK = []string{"a", "gone"}
	if p := newRowsPlan(TableName{"app", "t"}, badPK); p.pk != nil {
		t.Errorf("a key naming an unknown column kept %v", p.pk)
	}
}

func TestSplitRange(t *testing.T) {
	tests := []struct {
		lo, hi int64
		est    int64
		size   int
		want   string // upper bounds
	}{
		{1, 1000, 1000, 300, "250 500 750"},
		{1, 1000, 0, 300, "250 500 750"}, // no estimate: assume dense
		{1, 100, 100, 300, ""},
		{1, 1000000, 1000, 300, "250000 500000 750000"}, // sparse keys: by the estimate
		{-10, 9, 20, 5, "-6 -1 4"},
		{5, 5, 1, 1, ""},
	}
	for _, tt := range tests {
		chunks := splitRange(big.NewInt(tt.lo), big.NewInt(tt.hi), tt.est, tt.size)
		var bounds []string
		for i, c := range chunks {
			if c.hi != nil {
				bounds = append(bounds, c.hi[0])
			}
			if i > 0 && (c.lo == nil || c.lo[0] != chunks[i-1].hi[0]) {
				t.Errorf("%+v: chunk %d does not start where %d ends", tt, i, i-1)
			}
		}
		if chunks[0].lo != nil || chunks[len(chunks)-1].hi != nil {
			t.Errorf("%+v: the ends are not open", tt)
		}
		if got := strings.Join(bounds, " "); got != tt.want {
			t.Errorf("splitRange(%d, %d, est %d, size %d) bounds %q, want %q", tt.lo, tt.hi, tt.est, tt.size, got, tt.want)
		}
	}
	huge, _ := new(big.Int).SetString("18446744073709551615", 10)
	chunks := splitRange(big.NewInt(0), huge, 0, 1)
	if len(chunks) != maxChunks {
		t.Errorf("unsigned bigint range: %d chunks, want %d", len(chunks), maxChunks)
	}
}

func TestParseChecksumTable(t *testing.T) {
	n := &node{Label: "r1"}
	tn := TableName{"app", "t"}
	s, err := parseChecksumTable(tn, n, result([]*string{str("app.t"), str("4239701103")}))
	if err != nil || s != (Sum{Rows: -1, Value: "4239701103"}) {
		t.Errorf("got %+v %v", s, err)
	}
	if _, err := parseChecksumTable(tn, n, result([]*string{str("app.t"), nil})); !errors.Is(err, errMissing) {
		t.Errorf("NULL checksum: %v, want errMissing", err)
	}
	if _, err := parseChecksumTable(tn, n, result([]*string{str("app.t"), str("x")})); err == nil || errors.Is(err, errMissing) {
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
	out := map[TableName]*tableInfo{}
	res := [3]*query.Result{
		textResult([]string{"t", "Aria", "Page", "checksum=1 transactional=1", "42"}, []string{"u", "InnoDB", "Dynamic", "", "7"}),
		textResult([]string{"t", "id", "INT", "int(11)", "", ""}, []string{"t", "g", "int", "int(11)", "", "VIRTUAL GENERATED"},
			[]string{"u", "k", "varchar", "varchar(5)", "utf8mb4", ""}, []string{"gone", "x", "int", "int", "", ""}),
		textResult([]string{"t", "id"}, []string{"u", "k"}),
	}
	fillMeta(out, "app", res)
	ti, ui := out[TableName{"app", "t"}], out[TableName{"app", "u"}]
	if ti == nil || ui == nil || len(out) != 2 {
		t.Fatalf("tables %v", out)
	}
	if !ti.liveChecksum() || ui.liveChecksum() || ti.EstRows != 42 || !ti.Columns[1].Virtual || ti.Columns[0].DataType != "int" {
		t.Errorf("t: %+v", ti)
	}
	if ui.signature() != "`k` varchar(5) utf8mb4" || ui.PK[0] != "k" {
		t.Errorf("u: %+v %s", ui, ui.signature())
	}
	q := metaQueries("app", []string{"t", "o'x"})
	if !strings.Contains(q[0], "TABLE_SCHEMA = 'app' AND TABLE_NAME IN ('t', 'o\\'x')") || !strings.Contains(q[2], "INDEX_NAME = 'PRIMARY'") {
		t.Errorf("queries %q", q)
	}
}

func TestColumnDifference(t *testing.T) {
	tests := []struct{ src, rep, want string }{
		{"id, v, n", "id, v", "columns only on the source: n"},
		{"id, v", "id, v, extra", "columns only on the replica: extra"},
		{"id, a", "id, b", "columns only on the source: a; only on the replica: b"},
		{"id, v", "v, id", "columns in another order"},
	}
	for _, tt := range tests {
		if got := columnDifference(tt.src, tt.rep); got != tt.want {
			t.Errorf("columnDifference(%q, %q) = %q, want %q", tt.src, tt.rep, got, tt.want)
		}
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
	tn := TableName{"app", "gone"}
	info := &tableInfo{EstRows: 1000, Columns: []column{{Name: "id", DataType: "int", ColumnType: "int(11)"}}, PK: []string{"id"}}
	stmt := "SELECT MIN(" + quoteIdent("id") + "), MAX(" + quoteIdent("id") + ") FROM " + quoteTable(tn)
	db := fakedb.New(map[string]fakedb.Result{stmt: {Err: &mysql.MySQLError{Number: errNoSuchTable, Message: "Table 'app.gone' doesn't exist"}}})
	src := &node{Label: "db1:3306", Source: true}
	err := newRowsPlan(tn, info).planChunks(context.Background(), db, src, 100, info.EstRows)
	if !errors.Is(err, errMissing) || !strings.HasPrefix(err.Error(), "app.gone on db1:3306: ") {
		t.Errorf("planChunks error %v, want app.gone missing on db1:3306", err)
	}
}
