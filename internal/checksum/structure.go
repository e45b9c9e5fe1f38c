package checksum

import (
	"context"
	"fmt"
	"github.com/replmon/replmon/internal/checksum/plan"
	"strings"

	"github.com/replmon/replmon/internal/query"
)

// structurePlan "sums" a table by its column names, so that a replica whose
// columns differ from the source's is confirmed the same way as data drift
// (a DDL statement still on its way is not a difference).
type structurePlan struct {
	table plan.TableName
}

// Units implements method.
func (p *structurePlan) Units() []int { return []int{0} }

// structureQuery lists a table's column names in order.
func structureQuery(t plan.TableName) string {
	return "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = " + plan.QuoteString(t.Schema) +
		" AND TABLE_NAME = " + plan.QuoteString(t.Name) + " ORDER BY ORDINAL_POSITION"
}

// Sum implements method: the value is the column names joined by ", ".
func (p *structurePlan) Sum(ctx context.Context, n *node, s sqlConn, _ int) (Sum, error) {
	res, err := s.Query(ctx, structureQuery(p.table))
	if err != nil {
		return Sum{}, fmt.Errorf("reading the columns on %s: %w", n.where(), query.Explain(err))
	}
	if len(res.Rows) == 0 {
		return Sum{}, fmt.Errorf("%s on %s: %w", p.table, n.Label, errMissing)
	}
	names := make([]string, len(res.Rows))
	for r := range res.Rows {
		names[r] = res.Text(r, 0)
	}
	return Sum{Rows: -1, Value: strings.Join(names, ", ")}, nil
}

// columnDifference describes how two column lists differ.
func columnDifference(src, rep string) string {
	a, b := splitList(src), splitList(rep)
	inA, inB := map[string]bool{}, map[string]bool{}
	for _, x := range a {
		inA[x] = true
	}
	for _, x := range b {
		inB[x] = true
	}
	var onlySrc, onlyRep []string
	for _, x := range a {
		if !inB[x] {
			onlySrc = append(onlySrc, x)
		}
	}
	for _, x := range b {
		if !inA[x] {
			onlyRep = append(onlyRep, x)
		}
	}
	var parts []string
	if len(onlySrc) > 0 {
		parts = append(parts, "only on the source: "+strings.Join(onlySrc, ", "))
	}
	if len(onlyRep) > 0 {
		parts = append(parts, "only on the replica: "+strings.Join(onlyRep, ", "))
	}
	if len(parts) == 0 {
		return "columns in another order"
	}
	return "columns " + strings.Join(parts, "; ")
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ", ")
}
