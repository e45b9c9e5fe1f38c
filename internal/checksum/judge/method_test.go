package judge

import (
	"testing"

	"github.com/replmon/replmon/internal/checksum/plan"
	"github.com/replmon/replmon/internal/server"
)

func TestChooseMethodByTable(t *testing.T) {
	maria := mustParse(t, "10.11.6-MariaDB", "")
	base := func() *plan.TableInfo {
		return &plan.TableInfo{Engine: "MyISAM", RowFormat: "Dynamic", Columns: []plan.Column{
			{Name: "id", DataType: "int", ColumnType: "int(11)"},
			{Name: "v", DataType: "varchar", ColumnType: "varchar(20)", Charset: "utf8mb4"},
		}}
	}
	fixed := base()
	fixed.RowFormat = "Fixed"
	aria := base()
	aria.Engine = "Aria"
	wider := base()
	wider.Columns[1].ColumnType = "varchar(30)"
	latin := base()
	latin.Columns[1].Charset = "latin1"
	binary := base()
	binary.Columns[1].Collation = "utf8mb4_bin"
	versioned := base()
	versioned.Versioned = true
	tests := []struct {
		name string
		rt   *plan.TableInfo
		want Method
		note string
	}{
		{"same", base(), ChecksumTable, ""},
		{"missing on the replica", nil, ChecksumTable, ""},
		{"row format", fixed, Rows, "row formats differ: Dynamic and Fixed"},
		{"engine", aria, Rows, "engines differ: MyISAM and Aria"},
		{"column type", wider, Rows, "column definitions differ"},
		{"charset", latin, Rows, "column definitions differ"},
		{"collation", binary, Rows, "column definitions differ"},
		{"system-versioned", versioned, Rows, "system-versioned: the current rows are compared"},
	}
	for _, tt := range tests {
		got := ChooseMethod(Auto, maria, maria, base(), tt.rt)
		if got.Method != tt.want || got.Note != tt.note {
			t.Errorf("%s: %+v, want %s %q", tt.name, got, tt.want, tt.note)
		}
	}
	if !SameColumnNames(base(), wider) || SameColumnNames(base(), &plan.TableInfo{Columns: base().Columns[:1]}) {
		t.Error("sameColumnNames")
	}
}

// TestKeyCollations: a key column collated differently is named; other
// columns do not matter to the chunks.
func TestKeyCollations(t *testing.T) {
	table := func(keyColl, valColl string) *plan.TableInfo {
		return &plan.TableInfo{PK: []string{"a", "k"}, Columns: []plan.Column{
			{Name: "a", DataType: "int"},
			{Name: "k", DataType: "varchar", Charset: "utf8mb4", Collation: keyColl},
			{Name: "v", DataType: "varchar", Charset: "utf8mb4", Collation: valColl},
		}}
	}
	src := table("utf8mb4_general_ci", "utf8mb4_general_ci")
	if got := KeyCollations(src, table("utf8mb4_general_ci", "utf8mb4_bin")); got != "" {
		t.Errorf("value column: %q", got)
	}
	if got := KeyCollations(src, nil); got != "" {
		t.Errorf("no replica table: %q", got)
	}
	want := "the key collates differently, `k` utf8mb4_general_ci on the source and utf8mb4_bin on the replica: compared in one chunk"
	if got := KeyCollations(src, table("utf8mb4_bin", "utf8mb4_general_ci")); got != want {
		t.Errorf("key column: %q, want %q", got, want)
	}
}

func mustParse(t *testing.T, v, c string) server.Identity {
	t.Helper()
	id, err := server.Parse(v, c)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestParseStateAndRank: states read back from their words, and ordered.
func TestParseStateAndRank(t *testing.T) {
	for s := InSync; s <= Pending; s++ {
		if ParseState(s.String()) != s {
			t.Errorf("%v does not read back", s)
		}
	}
	if ParseState("nonsense") != Failed {
		t.Error("unknown words are not Failed")
	}
	if !(Rank(Drifted) > Rank(Failed) && Rank(Failed) > Rank(Unsettled) && Rank(Unsettled) > Rank(InSync) && Rank(Pending) == Rank(InSync)) {
		t.Error("ranks out of order")
	}
}
