package plan

import (
	"strings"
	"testing"
)

func testTable() *TableInfo {
	return &TableInfo{
		EstRows: 1000,
		Columns: []Column{
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
	p := NewRows(TableName{"app", "t"}, testTable(), HashOptions{FloatPrecision: -1})
	// Numbers as they are; a column that may hold '#' as its length, ':'
	// and its text; NULLs flagged at the end.
	wantHash := "CRC32(CONCAT_WS('#', `a`, " +
		"CONCAT(CHAR_LENGTH(`b`), ':', CONVERT(`b` USING utf8mb4)), " +
		"CAST(`c` AS UNSIGNED), CONCAT(LENGTH(`d`), ':', `d`), " +
		"CONCAT(ISNULL(`a`), ISNULL(`b`), ISNULL(`c`), ISNULL(`d`))))"
	if p.hash != wantHash {
		t.Errorf("hash\n got %s\nwant %s", p.hash, wantHash)
	}
	if got := p.SumQuery(0); got != "SELECT COUNT(*), COALESCE(BIT_XOR("+wantHash+"), 0) FROM `app`.`t`" {
		t.Errorf("one chunk: %s", got)
	}
	p.Chunks = []Chunk{{Hi: []string{"5", "x"}}, {Lo: []string{"5", "x"}, Hi: []string{"9", "it's"}}, {Lo: []string{"9", "it's"}}}
	if got := p.where(0); got != " WHERE (`a` < 5 OR (`a` = 5 AND `b` <= 'x'))" {
		t.Errorf("first chunk: %s", got)
	}
	if got := p.where(1); got != " WHERE (`a` > 5 OR (`a` = 5 AND `b` > 'x')) AND (`a` < 9 OR (`a` = 9 AND `b` <= 'it\\'s'))" {
		t.Errorf("middle chunk: %s", got)
	}
	if got := p.KeysQuery(2); got != "SELECT `a`, `b`, "+wantHash+" FROM `app`.`t` FORCE INDEX (`PRIMARY`) WHERE (`a` > 9 OR (`a` = 9 AND `b` > 'it\\'s')) ORDER BY `a`, `b`" {
		t.Errorf("keys of the last chunk: %s", got)
	}
	if got := p.Units(); len(got) != 3 || got[2] != 2 {
		t.Errorf("units %v", got)
	}
	three := []Column{{Name: "x", DataType: "int"}, {Name: "y", DataType: "int"}, {Name: "z", DataType: "date"}}
	if got := keyCompare(three, []string{"1", "2", "2024-01-01"}, ">"); got != "(`x` > 1 OR (`x` = 1 AND (`y` > 2 OR (`y` = 2 AND `z` > '2024-01-01'))))" {
		t.Errorf("three columns: %s", got)
	}
	noPK := testTable()
	noPK.PK = nil
	if p := NewRows(TableName{"app", "t"}, noPK, HashOptions{}); p.PK != nil {
		t.Errorf("a table without primary key got key %v", p.PK)
	}
	badPK := testTable()
	badPK.PK = []string{"a", "gone"}
	if p := NewRows(TableName{"app", "t"}, badPK, HashOptions{}); p.PK != nil {
		t.Errorf("a key naming an unknown column kept %v", p.PK)
	}
}

// TestFloatPrecision: FLOAT and DOUBLE are rounded only when asked; other
// numbers never.
func TestFloatPrecision(t *testing.T) {
	info := &TableInfo{Columns: []Column{{Name: "f", DataType: "double"}, {Name: "g", DataType: "float"}, {Name: "d", DataType: "decimal"}}}
	asPrinted := NewRows(TableName{"app", "t"}, info, HashOptions{FloatPrecision: -1}).hash
	rounded := NewRows(TableName{"app", "t"}, info, HashOptions{FloatPrecision: 3}).hash
	if strings.Contains(asPrinted, "ROUND") {
		t.Errorf("rounded without being asked: %s", asPrinted)
	}
	for _, want := range []string{"'#', ROUND(`f`, 3), ROUND(`g`, 3), `d`, CONCAT("} {
		if !strings.Contains(rounded, want) {
			t.Errorf("hash %s lacks %s", rounded, want)
		}
	}
}

// TestKeylessSum: a table without a key sums its row hashes, which keeps
// rows that appear twice; BIT_XOR would cancel them ({A, A, C} = {C, D, D}).
func TestKeylessSum(t *testing.T) {
	info := &TableInfo{Columns: []Column{{Name: "v", DataType: "varchar", Charset: "utf8mb4"}}}
	p := NewRows(TableName{"app", "log"}, info, HashOptions{FloatPrecision: -1})
	if q := p.SumQuery(0); !strings.HasPrefix(q, "SELECT COUNT(*), COALESCE(SUM(CRC32(") || strings.Contains(q, "BIT_XOR") {
		t.Errorf("keyless: %s", q)
	}
	keyed := NewRows(TableName{"app", "t"}, testTable(), HashOptions{FloatPrecision: -1})
	if q := keyed.SumQuery(0); !strings.HasPrefix(q, "SELECT COUNT(*), COALESCE(BIT_XOR(CRC32(") {
		t.Errorf("keyed: %s", q)
	}
}

// TestChunkStatements: a chunk with bounds forces the key's index; the
// last key after a cursor, the locking read and the words of a range.
func TestChunkStatements(t *testing.T) {
	info := testTable()
	info.KeyIndex = "uk"
	p := NewRows(TableName{"app", "t"}, info, HashOptions{FloatPrecision: -1})
	p.Chunks = []Chunk{{}, {Lo: []string{"5", "x"}, Hi: []string{"9", "y"}}, {Lo: []string{"9", "y"}}}
	if q := p.SumQuery(0); strings.Contains(q, "FORCE INDEX") {
		t.Errorf("whole table forced an index: %s", q)
	}
	if q := p.SumQuery(1); !strings.Contains(q, " FROM `app`.`t` FORCE INDEX (`uk`) WHERE ") {
		t.Errorf("range: %s", q)
	}
	if q := p.LastKeyQuery([]string{"5", "x"}); q != "SELECT `a`, `b` FROM `app`.`t` FORCE INDEX (`uk`) WHERE (`a` > 5 OR (`a` = 5 AND `b` > 'x')) ORDER BY `a` DESC, `b` DESC LIMIT 1" {
		t.Errorf("last key: %s", q)
	}
	if q := p.LastKeyQuery(nil); q != "SELECT `a`, `b` FROM `app`.`t` FORCE INDEX (`uk`) ORDER BY `a` DESC, `b` DESC LIMIT 1" {
		t.Errorf("last key of the table: %s", q)
	}
	if q := p.LockQuery(1); !strings.HasPrefix(q, "SELECT COUNT(*) FROM `app`.`t` FORCE INDEX (`uk`) WHERE ") || !strings.HasSuffix(q, " LOCK IN SHARE MODE") {
		t.Errorf("lock: %s", q)
	}
	for u, want := range []string{"the whole table", "(a, b) > (5, x) and <= (9, y)", "(a, b) > (9, y)"} {
		if got := p.Describe(u); got != want {
			t.Errorf("chunk %d: %q, want %q", u, got, want)
		}
	}
	if got := DescribeRange([]string{"id"}, Chunk{Hi: []string{"7"}}); got != "id <= 7" {
		t.Errorf("first range: %q", got)
	}
}

// TestSameCharsets: where every server declares the same character set, a
// character column is hashed as stored, its length in bytes; otherwise it
// is converted to utf8mb4 and counted in characters.
func TestSameCharsets(t *testing.T) {
	same := NewRows(TableName{"app", "t"}, testTable(), HashOptions{FloatPrecision: -1, SameCharsets: true}).hash
	if !strings.Contains(same, "CONCAT(LENGTH(`b`), ':', `b`)") || strings.Contains(same, "CONVERT") {
		t.Errorf("same character sets: %s", same)
	}
	mixed := NewRows(TableName{"app", "t"}, testTable(), HashOptions{FloatPrecision: -1}).hash
	if !strings.Contains(mixed, "CONCAT(CHAR_LENGTH(`b`), ':', CONVERT(`b` USING utf8mb4))") {
		t.Errorf("character sets that may differ: %s", mixed)
	}
}
