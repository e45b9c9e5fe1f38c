package checksum

import (
	"context"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/replmon/replmon/internal/query"
)

// rowsPlan sums a table with a hash the server computes over the rows,
// independent of version and storage format: per chunk of the primary key,
// COUNT(*) and the BIT_XOR of a 64-bit hash of each row (the first 16 hex
// digits of SHA1 over the columns joined with '#', character columns
// converted to utf8mb4, plus one ISNULL flag per column).
type rowsPlan struct {
	table  TableName
	cols   []column // hashed columns, in table order
	pk     []column // primary key columns; nil when the table has none
	chunks []chunk
	hash   string // the per-row hash expression
}

// chunk is a range of the primary key: after lo (exclusive) up to hi
// (inclusive); nil bounds are open.
type chunk struct {
	lo, hi []string
}

// maxChunks bounds the chunks of one table.
const maxChunks = 5000

// newRowsPlan builds the hash expression of a table from its description
// on the source; chunks are added by planChunks.
func newRowsPlan(t TableName, info *tableInfo) *rowsPlan {
	p := &rowsPlan{table: t, chunks: []chunk{{}}}
	for _, c := range info.Columns {
		if !c.Virtual {
			p.cols = append(p.cols, c)
		}
	}
	for _, name := range info.PK {
		if c, ok := info.column(name); ok {
			p.pk = append(p.pk, c)
		}
	}
	if len(p.pk) != len(info.PK) {
		p.pk = nil
	}
	p.hash = rowHash(p.cols)
	return p
}

// rowHash returns the expression hashing one row to an unsigned 64-bit number.
func rowHash(cols []column) string {
	var vals, flags []string
	for _, c := range cols {
		vals = append(vals, columnText(c))
		flags = append(flags, "ISNULL("+quoteIdent(c.Name)+")")
	}
	args := append(vals, "CONCAT("+strings.Join(flags, ", ")+")")
	return "CAST(CONV(LEFT(SHA1(CONCAT_WS('#', " + strings.Join(args, ", ") + ")), 16), 16, 10) AS UNSIGNED)"
}

// columnText returns the expression giving a column's value as text that
// is the same on every server version.
func columnText(c column) string {
	id := quoteIdent(c.Name)
	switch {
	case c.DataType == "bit":
		return "CAST(" + id + " AS UNSIGNED)"
	case c.Charset != "" && c.Charset != "binary":
		return "CONVERT(" + id + " USING utf8mb4)"
	default:
		return id
	}
}

// Units implements plan.
func (p *rowsPlan) Units() []int {
	us := make([]int, len(p.chunks))
	for i := range us {
		us[i] = i
	}
	return us
}

// from returns the FROM clause, forcing the primary key for chunked reads.
func (p *rowsPlan) from() string {
	f := " FROM " + quoteTable(p.table)
	if len(p.chunks) > 1 {
		f += " FORCE INDEX (PRIMARY)"
	}
	return f
}

// where returns the WHERE clause of chunk u, or "".
func (p *rowsPlan) where(u int) string {
	c := p.chunks[u]
	var conds []string
	if c.lo != nil {
		conds = append(conds, keyCompare(p.pk, c.lo, ">"))
	}
	if c.hi != nil {
		conds = append(conds, keyCompare(p.pk, c.hi, "<="))
	}
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

// keyCompare writes (k1, k2, ...) op (v1, v2, ...) for op ">" or "<=" in a
// form the range optimizer of every version uses:
// k1 > v1 OR (k1 = v1 AND (k2 > v2 OR ...)).
func keyCompare(pk []column, vals []string, op string) string {
	strict := ">"
	if op == "<=" {
		strict = "<"
	}
	last := len(pk) - 1
	expr := quoteIdent(pk[last].Name) + " " + op + " " + literal(pk[last].DataType, vals[last])
	for i := last - 1; i >= 0; i-- {
		k, v := quoteIdent(pk[i].Name), literal(pk[i].DataType, vals[i])
		expr = fmt.Sprintf("(%s %s %s OR (%s = %s AND %s))", k, strict, v, k, v, expr)
	}
	return expr
}

// sumQuery returns the statement summing chunk u.
func (p *rowsPlan) sumQuery(u int) string {
	return "SELECT COUNT(*), COALESCE(BIT_XOR(" + p.hash + "), 0)" + p.from() + p.where(u)
}

// keysQuery returns the statement listing the key and hash of every row of
// chunk u in key order.
func (p *rowsPlan) keysQuery(u int) string {
	keys := make([]string, len(p.pk))
	for i, c := range p.pk {
		keys[i] = quoteIdent(c.Name)
	}
	k := strings.Join(keys, ", ")
	return "SELECT " + k + ", " + p.hash + p.from() + p.where(u) + " ORDER BY " + k
}

// Sum implements plan.
func (p *rowsPlan) Sum(ctx context.Context, n *node, s sqlConn, u int) (Sum, error) {
	res, err := s.Query(ctx, p.sumQuery(u))
	if err != nil {
		return Sum{}, sumError(p.table, n, err)
	}
	if len(res.Rows) != 1 {
		return Sum{}, fmt.Errorf("rows checksum on %s: no row", n.where())
	}
	count, err := strconv.ParseInt(res.Text(0, 0), 10, 64)
	if err != nil {
		return Sum{}, fmt.Errorf("rows checksum on %s: count %q is not a number", n.where(), res.Text(0, 0))
	}
	return Sum{Rows: count, Value: res.Text(0, 1)}, nil
}

// planChunks splits the table along its primary key into chunks of about
// size rows, reading the key on q, a session of the source src. A single integer key is
// split by value between its MIN and MAX; any other key is walked, one
// statement per chunk. Without a primary key, or when the table is small,
// the table is one chunk.
func (p *rowsPlan) planChunks(ctx context.Context, q query.Runner, src *node, size int, estRows int64) error {
	p.chunks = []chunk{{}}
	if len(p.pk) == 0 || size <= 0 {
		return nil
	}
	if len(p.pk) == 1 && integerTypes[p.pk[0].DataType] {
		return p.splitByValue(ctx, q, src, size, estRows)
	}
	if estRows <= int64(size)*3/2 {
		return nil
	}
	return p.walk(ctx, q, src, size)
}

// splitByValue splits a single integer key into equal value ranges.
func (p *rowsPlan) splitByValue(ctx context.Context, q query.Runner, src *node, size int, estRows int64) error {
	k := quoteIdent(p.pk[0].Name)
	stmt := "SELECT MIN(" + k + "), MAX(" + k + ") FROM " + quoteTable(p.table)
	res, err := q.Query(ctx, stmt)
	if err != nil {
		return sumError(p.table, src, err)
	}
	if len(res.Rows) != 1 || res.Null(0, 0) {
		return nil // empty table
	}
	lo, ok1 := new(big.Int).SetString(res.Text(0, 0), 10)
	hi, ok2 := new(big.Int).SetString(res.Text(0, 1), 10)
	if !ok1 || !ok2 {
		return fmt.Errorf("splitting %s: key range %q..%q is not numeric", p.table, res.Text(0, 0), res.Text(0, 1))
	}
	p.chunks = splitRange(lo, hi, estRows, size)
	return nil
}

// splitRange returns chunks covering every value, with boundaries spread
// evenly between lo and hi so that each holds about size of est rows.
func splitRange(lo, hi *big.Int, est int64, size int) []chunk {
	span := new(big.Int).Sub(hi, lo)
	span.Add(span, big.NewInt(1))
	rowsEst := big.NewInt(est)
	if est <= 0 || rowsEst.Cmp(span) > 0 {
		rowsEst = new(big.Int).Set(span) // no estimate: assume a dense key
	}
	n := new(big.Int).Add(rowsEst, big.NewInt(int64(size-1)))
	n.Div(n, big.NewInt(int64(size)))
	if n.Cmp(big.NewInt(maxChunks)) > 0 {
		n.SetInt64(maxChunks)
	}
	if n.Cmp(big.NewInt(1)) <= 0 {
		return []chunk{{}}
	}
	width := new(big.Int).Add(span, new(big.Int).Sub(n, big.NewInt(1)))
	width.Div(width, n)
	var bounds []string
	b := new(big.Int).Set(lo)
	for i := int64(1); i < n.Int64(); i++ {
		b.Add(b, width)
		if b.Cmp(hi) >= 0 {
			break
		}
		bounds = append(bounds, new(big.Int).Sub(b, big.NewInt(1)).String())
	}
	return boundsToChunks(bounds)
}

// boundsToChunks turns ascending upper bounds into chunks open at both ends.
func boundsToChunks(bounds []string) []chunk {
	chunks := make([]chunk, 0, len(bounds)+1)
	var prev []string
	for _, b := range bounds {
		hi := []string{b}
		chunks = append(chunks, chunk{lo: prev, hi: hi})
		prev = hi
	}
	return append(chunks, chunk{lo: prev})
}

// walk finds chunk boundaries by reading every size-th key.
func (p *rowsPlan) walk(ctx context.Context, q query.Runner, src *node, size int) error {
	keys := make([]string, len(p.pk))
	for i, c := range p.pk {
		keys[i] = quoteIdent(c.Name)
	}
	k := strings.Join(keys, ", ")
	var bounds [][]string
	var last []string
	for len(bounds) < maxChunks {
		stmt := "SELECT " + k + " FROM " + quoteTable(p.table) + " FORCE INDEX (PRIMARY)"
		if last != nil {
			stmt += " WHERE " + keyCompare(p.pk, last, ">")
		}
		stmt += fmt.Sprintf(" ORDER BY %s LIMIT 1 OFFSET %d", k, size-1)
		res, err := q.Query(ctx, stmt)
		if err != nil {
			return sumError(p.table, src, err)
		}
		if len(res.Rows) == 0 {
			break
		}
		last = make([]string, len(res.Rows[0]))
		for i := range last {
			last[i] = res.Text(0, i)
		}
		bounds = append(bounds, last)
	}
	chunks := make([]chunk, 0, len(bounds)+1)
	var prev []string
	for _, b := range bounds {
		chunks = append(chunks, chunk{lo: prev, hi: b})
		prev = b
	}
	p.chunks = append(chunks, chunk{lo: prev})
	return nil
}
