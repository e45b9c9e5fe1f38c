package read

import (
	"context"
	"fmt"
	"strings"

	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/checksum/plan"
	"github.com/replmon/replmon/internal/checksum/servers"
	"github.com/replmon/replmon/internal/query"
)

// Structure "sums" a table by its column names, so that a replica whose
// columns differ from the source's is confirmed the same way as data drift
// (a DDL statement still on its way is not a difference).
type Structure struct {
	Table plan.TableName
}

// Units implements Method: one unit.
func (p *Structure) Units() []int { return []int{0} }

// structureQuery lists a table's column names in order.
func structureQuery(t plan.TableName) string {
	return "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = " + plan.QuoteString(t.Schema) +
		" AND TABLE_NAME = " + plan.QuoteString(t.Name) + " ORDER BY ORDINAL_POSITION"
}

// Sum implements Method: the value is the column names joined by ", ".
func (p *Structure) Sum(ctx context.Context, n *servers.Node, q query.Runner, _ int) (judge.Sum, error) {
	res, err := q.Query(ctx, structureQuery(p.Table))
	if err != nil {
		return judge.Sum{}, fmt.Errorf("reading the columns on %s: %w", n.Where(), query.Explain(err))
	}
	if len(res.Rows) == 0 {
		return judge.Sum{}, fmt.Errorf("%s on %s: %w", p.Table, n.Label, judge.ErrMissing)
	}
	names := make([]string, len(res.Rows))
	for r := range res.Rows {
		names[r] = res.Text(r, 0)
	}
	return judge.Sum{Rows: -1, Value: strings.Join(names, ", ")}, nil
}
