package read

import (
	"errors"
	"testing"

	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/checksum/plan"
	"github.com/replmon/replmon/internal/checksum/servers"
)

func TestParseChecksumTable(t *testing.T) {
	n := &servers.Node{Label: "r1"}
	tn := plan.TableName{Schema: "app", Name: "t"}
	s, err := parseChecksumTable(tn, n, result([]*string{str("app.t"), str("4239701103")}))
	if err != nil || s != (judge.Sum{Rows: -1, Value: "4239701103"}) {
		t.Errorf("got %+v %v", s, err)
	}
	if _, err := parseChecksumTable(tn, n, result([]*string{str("app.t"), nil})); !errors.Is(err, judge.ErrMissing) {
		t.Errorf("NULL checksum: %v, want judge.ErrMissing", err)
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
