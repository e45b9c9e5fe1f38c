package read

import (
	"context"
	"fmt"
	"math/big"
	"strconv"

	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/checksum/plan"
	"github.com/replmon/replmon/internal/checksum/servers"
	"github.com/replmon/replmon/internal/query"
)

// Rows is the rows method: a hash of the rows computed by the server,
// independent of version and storage format, chunk by chunk of the primary
// key (the statements of plan.Rows).
type Rows struct{ *plan.Rows }

// NewRows builds the rows method of a table from its description on the
// source, as one chunk; PlanChunks cuts it.
func NewRows(t plan.TableName, info *plan.TableInfo, o plan.HashOptions) *Rows {
	return &Rows{plan.NewRows(t, info, o)}
}

// Sum implements Method: the row count and hash of chunk u.
func (p *Rows) Sum(ctx context.Context, n *servers.Node, q query.Runner, u int) (judge.Sum, error) {
	res, err := q.Query(ctx, p.SumQuery(u))
	if err != nil {
		return judge.Sum{}, sumError(p.Table, n, err)
	}
	if len(res.Rows) != 1 {
		return judge.Sum{}, fmt.Errorf("rows checksum on %s: no row", n.Where())
	}
	count, err := strconv.ParseInt(res.Text(0, 0), 10, 64)
	if err != nil {
		return judge.Sum{}, fmt.Errorf("rows checksum on %s: count %q is not a number", n.Where(), res.Text(0, 0))
	}
	return judge.Sum{Rows: count, Value: res.Text(0, 1)}, nil
}

// PlanChunks splits the table along its primary key into chunks of about
// size rows, reading the key on q, a session of the source src. A single
// integer key is split by value between its MIN and MAX; any other key is
// walked, one statement per chunk. Without a primary key, or when the
// table is small, the table is one chunk.
func (p *Rows) PlanChunks(ctx context.Context, q query.Runner, src *servers.Node, size int, estRows int64) error {
	p.Chunks = []plan.Chunk{{}}
	if len(p.PK) == 0 || size <= 0 {
		return nil
	}
	if len(p.PK) == 1 && plan.IsInteger(p.PK[0].DataType) {
		return p.splitByValue(ctx, q, src, size, estRows)
	}
	if estRows <= int64(size)*3/2 {
		return nil
	}
	return p.walk(ctx, q, src, size)
}

// splitByValue splits a single integer key into equal value ranges.
func (p *Rows) splitByValue(ctx context.Context, q query.Runner, src *servers.Node, size int, estRows int64) error {
	res, err := q.Query(ctx, p.RangeQuery())
	if err != nil {
		return sumError(p.Table, src, err)
	}
	if len(res.Rows) != 1 || res.Null(0, 0) {
		return nil // empty table
	}
	lo, ok1 := new(big.Int).SetString(res.Text(0, 0), 10)
	hi, ok2 := new(big.Int).SetString(res.Text(0, 1), 10)
	if !ok1 || !ok2 {
		return fmt.Errorf("splitting %s: key range %q..%q is not numeric", p.Table, res.Text(0, 0), res.Text(0, 1))
	}
	p.Chunks = plan.SplitRange(lo, hi, estRows, size)
	return nil
}

// walk finds chunk boundaries by reading every size-th key.
func (p *Rows) walk(ctx context.Context, q query.Runner, src *servers.Node, size int) error {
	var bounds [][]string
	var last []string
	for len(bounds) < plan.MaxChunks {
		next, err := p.NextBound(ctx, q, src, last, size)
		if err != nil {
			return err
		}
		if next == nil {
			break
		}
		last = next
		bounds = append(bounds, last)
	}
	p.Chunks = plan.Between(bounds)
	return nil
}

// NextBound returns the key size rows after after (from the start when
// nil), read on q, a session of the source src: the upper bound of the
// next chunk; nil when fewer rows remain.
func (p *Rows) NextBound(ctx context.Context, q query.Runner, src *servers.Node, after []string, size int) ([]string, error) {
	return p.keyAt(ctx, q, src, p.WalkQuery(after, max(size, 1)))
}

// LastKey returns the highest key after after on q, a session of the
// source src; nil when there is none.
func (p *Rows) LastKey(ctx context.Context, q query.Runner, src *servers.Node, after []string) ([]string, error) {
	return p.keyAt(ctx, q, src, p.LastKeyQuery(after))
}

// keyAt reads the key stmt selects; nil when it selects no row.
func (p *Rows) keyAt(ctx context.Context, q query.Runner, src *servers.Node, stmt string) ([]string, error) {
	res, err := q.Query(ctx, stmt)
	if err != nil {
		return nil, sumError(p.Table, src, err)
	}
	if len(res.Rows) == 0 {
		return nil, nil
	}
	key := make([]string, len(res.Rows[0]))
	for i := range key {
		key[i] = res.Text(0, i)
	}
	return key, nil
}
