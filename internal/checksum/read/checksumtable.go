package read

import (
	"context"
	"fmt"
	"strconv"

	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/checksum/plan"
	"github.com/replmon/replmon/internal/checksum/servers"
	"github.com/replmon/replmon/internal/query"
)

// ChecksumTable is the CHECKSUM TABLE method: the whole table is one unit,
// summed with CHECKSUM TABLE, QUICK on a server whose copy keeps a live
// checksum.
type ChecksumTable struct {
	Table plan.TableName
	Quick map[*servers.Node]bool // the servers whose copy keeps a live checksum
}

// Units implements Method: one unit.
func (p *ChecksumTable) Units() []int { return []int{0} }

// checksumTableQuery returns the statement for one server.
func checksumTableQuery(t plan.TableName, quick bool) string {
	q := "CHECKSUM TABLE " + plan.QuoteTable(t)
	if quick {
		q += " QUICK"
	}
	return q
}

// Sum implements Method.
func (p *ChecksumTable) Sum(ctx context.Context, n *servers.Node, q query.Runner, _ int) (judge.Sum, error) {
	res, err := q.Query(ctx, checksumTableQuery(p.Table, p.Quick[n]))
	if err != nil {
		return judge.Sum{}, sumError(p.Table, n, err)
	}
	return parseChecksumTable(p.Table, n, res)
}

// parseChecksumTable reads the answer of CHECKSUM TABLE: columns Table and
// Checksum; NULL means the table does not exist.
func parseChecksumTable(t plan.TableName, n *servers.Node, res *query.Result) (judge.Sum, error) {
	if len(res.Rows) != 1 || len(res.Rows[0]) < 2 {
		return judge.Sum{}, fmt.Errorf("CHECKSUM TABLE on %s: unexpected answer", n.Where())
	}
	if res.Null(0, 1) {
		return judge.Sum{}, fmt.Errorf("%s on %s: %w", t, n.Label, judge.ErrMissing)
	}
	v := res.Text(0, 1)
	if _, err := strconv.ParseUint(v, 10, 64); err != nil {
		return judge.Sum{}, fmt.Errorf("CHECKSUM TABLE on %s: checksum %q is not a number", n.Where(), v)
	}
	return judge.Sum{Rows: -1, Value: v}, nil
}
