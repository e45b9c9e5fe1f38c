package read

import (
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/checksum/plan"
	"github.com/replmon/replmon/internal/query"
)

func TestFillMeta(t *testing.T) {
	out := map[plan.TableName]*plan.TableInfo{}
	res := [3]*query.Result{
		textResult([]string{"t", "Aria", "Page", "checksum=1 transactional=1", "42", "BASE TABLE"}, []string{"u", "InnoDB", "Dynamic", "", "7", "SYSTEM VERSIONED"}),
		textResult([]string{"t", "id", "INT", "int(11)", "", "", ""}, []string{"t", "g", "int", "int(11)", "", "VIRTUAL GENERATED", ""},
			[]string{"u", "k", "varchar", "varchar(5)", "utf8mb4", "", "utf8mb4_bin"}, []string{"gone", "x", "int", "int", "", "", ""}),
		// t: its primary key; u: no primary key, a unique key with a
		// NULL column (unusable), then one of NOT NULL columns.
		textResult([]string{"t", "PRIMARY", "id", ""}, []string{"u", "a_nullable", "n", "YES"},
			[]string{"u", "b_unique", "k", ""}),
	}
	fillMeta(out, "app", res)
	ti, ui := out[plan.TableName{Schema: "app", Name: "t"}], out[plan.TableName{Schema: "app", Name: "u"}]
	if ti == nil || ui == nil || len(out) != 2 {
		t.Fatalf("tables %v", out)
	}
	if !ti.LiveChecksum() || ui.LiveChecksum() || ti.EstRows != 42 || !ti.Columns[1].Virtual || ti.Columns[0].DataType != "int" || ti.Versioned || !ui.Versioned {
		t.Errorf("t: %+v", ti)
	}
	if ui.Signature() != "`k` varchar(5) utf8mb4 utf8mb4_bin" || len(ui.PK) != 1 || ui.PK[0] != "k" || ui.KeyIndex != "b_unique" || ti.KeyIndex != "PRIMARY" || ui.Columns[0].Collation != "utf8mb4_bin" {
		t.Errorf("u: %+v %s", ui, ui.Signature())
	}
	q := metaQueries("app", []string{"t", "o'x"})
	if !strings.Contains(q[0], "TABLE_SCHEMA = 'app' AND TABLE_NAME IN ('t', 'o\\'x')") || !strings.Contains(q[2], "NON_UNIQUE = 0") {
		t.Errorf("queries %q", q)
	}
}
