package judge

import (
	"testing"

	"github.com/replmon/replmon/internal/checksum/plan"
)

func TestRunCoverage(t *testing.T) {
	a, b, c := plan.TableName{Schema: "s", Name: "a"}, plan.TableName{Schema: "s", Name: "b"}, plan.TableName{Schema: "s", Name: "c"}
	meta := map[plan.TableName]*plan.TableInfo{a: {EstRows: 100}, b: {EstRows: 300}, c: {EstRows: 0}}
	results := [][]Result{
		{{Verdict: Verdict{State: InSync}}},
		nil, // walked
		{{Verdict: Verdict{State: Incomplete}}},
	}
	got := RunCoverage([]plan.TableName{a, b, c}, meta, results, map[string]float64{"s.b": 0.5})
	if want := (100 + 150) / 401.0; got < want-1e-9 || got > want+1e-9 {
		t.Errorf("coverage %v, want %v", got, want)
	}
	if RunCoverage(nil, nil, nil, nil) != 1 {
		t.Error("an empty selection is not covered")
	}
}

func TestSameCharsets(t *testing.T) {
	src := &plan.TableInfo{Columns: []plan.Column{{Name: "id"}, {Name: "s", Charset: "utf8mb4"}}}
	same := &plan.TableInfo{Columns: []plan.Column{{Name: "id"}, {Name: "s", Charset: "utf8mb4"}}}
	latin := &plan.TableInfo{Columns: []plan.Column{{Name: "id"}, {Name: "s", Charset: "latin1"}}}
	if !SameCharsets(src, []*plan.TableInfo{same, same}) {
		t.Error("the same character sets differ")
	}
	if SameCharsets(src, []*plan.TableInfo{same, latin}) || SameCharsets(src, []*plan.TableInfo{nil}) {
		t.Error("a latin1 replica, or one without the table, has the same character sets")
	}
}
