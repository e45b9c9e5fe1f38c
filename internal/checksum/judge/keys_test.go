package judge

import (
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/checksum/plan"
)

func rowsOf(pairs ...string) map[string]KeyRow {
	out := map[string]KeyRow{}
	for i := 0; i < len(pairs); i += 2 {
		k := []string{pairs[i]}
		out[KeyID(k)] = KeyRow{Key: k, Hash: pairs[i+1]}
	}
	return out
}

func TestDiffRows(t *testing.T) {
	src := rowsOf("1", "a", "2", "b", "10", "c", "3", "d")
	rep := rowsOf("1", "a", "2", "X", "4", "e", "10", "c")
	got := DiffRows(src, rep)
	var words []string
	for _, d := range got {
		words = append(words, d.Key[0]+" "+d.Kind.String())
	}
	want := "2 differs, 3 only on the source, 4 only on the replica"
	if strings.Join(words, ", ") != want {
		t.Errorf("DiffRows = %q, want %q", strings.Join(words, ", "), want)
	}
	// Key 2 changed on the source between the two reads: not confirmed;
	// key 3 was deleted there meanwhile: not confirmed either.
	after := rowsOf("1", "a", "2", "b2", "10", "c")
	conf := ConfirmedDiffs(got, src, after)
	if len(conf) != 1 || conf[0].Key[0] != "4" {
		t.Errorf("confirmed %v, want only key 4", conf)
	}
	again := DiffRows(src, rowsOf("1", "a", "2", "X", "3", "d", "10", "c"))
	if both := SameDiffs(got, again); len(both) != 1 || both[0].Key[0] != "2" {
		t.Errorf("found twice: %v, want only key 2", both)
	}
	if KeyID([]string{"a:b", "c"}) == KeyID([]string{"a", "b:c"}) {
		t.Error("KeyID is ambiguous")
	}
}

func TestFormatKey(t *testing.T) {
	id := plan.Column{Name: "id", DataType: "int"}
	name := plan.Column{Name: "name", DataType: "varchar"}
	bin := plan.Column{Name: "h", DataType: "varbinary"}
	tests := []struct {
		pk   []plan.Column
		vals []string
		want string
	}{
		{[]plan.Column{id}, []string{"42"}, "id=42"},
		{[]plan.Column{name}, []string{"O'Brien"}, "name='O''Brien'"},
		{[]plan.Column{id, name}, []string{"1", "x"}, "(id,name)=(1,'x')"},
		{[]plan.Column{bin}, []string{"\x00\x01"}, "h=0x0001"},
		{[]plan.Column{bin}, []string{"abc"}, "h='abc'"},
		{[]plan.Column{name}, []string{strings.Repeat("é", 45)}, "name='" + strings.Repeat("é", 40) + "'..."},
		{[]plan.Column{name}, []string{"a\nb"}, "name='a?b'"},
		{[]plan.Column{name}, []string{"\xff\xfe"}, "name=0xFFFE"},
		{[]plan.Column{bin}, []string{strings.Repeat("\x00", 30)}, "h=0x" + strings.Repeat("00", 20) + "..."},
	}
	for _, tt := range tests {
		if got := FormatKey(tt.pk, tt.vals); got != tt.want {
			t.Errorf("FormatKey(%v) = %q, want %q", tt.vals, got, tt.want)
		}
	}
	if OnlyReplica.String() != "only on the replica" || OnlySource.String() != "only on the source" || Different.String() != "differs" {
		t.Error("DiffKind words")
	}
}
