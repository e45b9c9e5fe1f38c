package checksum

import (
	"context"
	"fmt"
	"strconv"

	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/checksum/plan"
	"github.com/replmon/replmon/internal/query"
)

// method is how one table is summed: one unit with CHECKSUM TABLE, chunks
// with the rows method, or its column list when structures are compared.
type method interface {
	// Units numbers the units, from 0.
	Units() []int
	// Sum computes unit u of the table on a session of n.
	Sum(ctx context.Context, n *node, s sqlConn, u int) (judge.Sum, error)
}

// checksumTablePlan sums a whole table with CHECKSUM TABLE, QUICK on a
// server whose copy keeps a live checksum.
type checksumTablePlan struct {
	table plan.TableName
	quick map[*node]bool
}

// Units implements method.
func (p *checksumTablePlan) Units() []int { return []int{0} }

// checksumTableQuery returns the statement for one server.
func checksumTableQuery(t plan.TableName, quick bool) string {
	q := "CHECKSUM TABLE " + plan.QuoteTable(t)
	if quick {
		q += " QUICK"
	}
	return q
}

// Sum implements method.
func (p *checksumTablePlan) Sum(ctx context.Context, n *node, s sqlConn, _ int) (judge.Sum, error) {
	q := checksumTableQuery(p.table, p.quick[n])
	res, err := s.Query(ctx, q)
	if err != nil {
		return judge.Sum{}, sumError(p.table, n, err)
	}
	return parseChecksumTable(p.table, n, res)
}

// parseChecksumTable reads the answer of CHECKSUM TABLE: columns Table and
// Checksum; NULL means the table does not exist.
func parseChecksumTable(t plan.TableName, n *node, res *query.Result) (judge.Sum, error) {
	if len(res.Rows) != 1 || len(res.Rows[0]) < 2 {
		return judge.Sum{}, fmt.Errorf("CHECKSUM TABLE on %s: unexpected answer", n.where())
	}
	if res.Null(0, 1) {
		return judge.Sum{}, fmt.Errorf("%s on %s: %w", t, n.Label, judge.ErrMissing)
	}
	v := res.Text(0, 1)
	if _, err := strconv.ParseUint(v, 10, 64); err != nil {
		return judge.Sum{}, fmt.Errorf("CHECKSUM TABLE on %s: checksum %q is not a number", n.where(), v)
	}
	return judge.Sum{Rows: -1, Value: v}, nil
}

// sumError turns a failed checksum statement into errMissing for a table
// that does not exist, or an error naming the table, server and privilege.
func sumError(t plan.TableName, n *node, err error) error {
	if query.IsError(err, errNoSuchTable, errUnknownDB) {
		return fmt.Errorf("%s on %s: %w", t, n.Label, judge.ErrMissing)
	}
	return fmt.Errorf("checksum on %s: %w", n.where(), query.Explain(err))
}
