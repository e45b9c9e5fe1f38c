package read

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"

	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/checksum/plan"
	"github.com/replmon/replmon/internal/checksum/servers"
	"github.com/replmon/replmon/internal/testkit/fakedb"
)

// A table dropped before its chunks are planned is named with the source
// that lacks it.
func TestPlanChunksMissingTable(t *testing.T) {
	tn := plan.TableName{Schema: "app", Name: "gone"}
	info := &plan.TableInfo{EstRows: 1000, Columns: []plan.Column{{Name: "id", DataType: "int", ColumnType: "int(11)"}}, PK: []string{"id"}}
	stmt := "SELECT MIN(" + plan.QuoteIdent("id") + "), MAX(" + plan.QuoteIdent("id") + ") FROM " + plan.QuoteTable(tn)
	db := fakedb.New(map[string]fakedb.Result{stmt: {Err: &mysql.MySQLError{Number: errNoSuchTable, Message: "Table 'app.gone' doesn't exist"}}})
	src := &servers.Node{Label: "db1:3306", Source: true}
	err := NewRows(tn, info, plan.HashOptions{FloatPrecision: -1}).PlanChunks(context.Background(), db, src, 100, info.EstRows)
	if !errors.Is(err, judge.ErrMissing) || !strings.HasPrefix(err.Error(), "app.gone on db1:3306: ") {
		t.Errorf("PlanChunks error %v, want app.gone missing on db1:3306", err)
	}
}
