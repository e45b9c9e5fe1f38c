package plan

import (
	"fmt"
	"strings"
)

// Rows is the rows method's plan of one table: a hash the server computes
// over the rows, independent of version and storage format. Per chunk of
// the primary key it takes COUNT(*) and the BIT_XOR of a 64-bit hash of
// each row: the first 16 hex digits of SHA1 over the row written
// unambiguously (rowHash).
type Rows struct {
	Table  TableName
	PK     []Column // primary key columns; nil when the table has none
	Chunks []Chunk  // the units, numbered from 0: one open chunk until the reader plans them
	cols   []Column // hashed columns, in table order
	hash   string   // the per-row hash expression
}

// HashOptions tune how the rows method writes values before hashing them.
type HashOptions struct {
	// FloatPrecision, when 0 or more, rounds FLOAT and DOUBLE values to
	// that many decimals (--float-precision): servers of different versions
	// print some of them differently. Below 0 they are hashed as printed.
	FloatPrecision int
}

// NewRows builds the hash expression of a table from its description on
// the source, as one chunk.
func NewRows(t TableName, info *TableInfo, o HashOptions) *Rows {
	p := &Rows{Table: t, Chunks: []Chunk{{}}}
	for _, c := range info.Columns {
		if !c.Virtual {
			p.cols = append(p.cols, c)
		}
	}
	for _, name := range info.PK {
		if c, ok := info.Column(name); ok {
			p.PK = append(p.PK, c)
		}
	}
	if len(p.PK) != len(info.PK) {
		p.PK = nil
	}
	p.hash = rowHash(p.cols, o)
	return p
}

// rowHash returns the expression hashing one row to an unsigned 64-bit
// number. Each column is written as its length, ':' and its text, so that
// no two rows give one string ('a#b','c' and 'a','b#c' did when columns
// were joined with a separator); a NULL column writes nothing, and a last
// string of ISNULL flags, one per column, tells which were NULL.
func rowHash(cols []Column, o HashOptions) string {
	var vals, flags []string
	for _, c := range cols {
		vals = append(vals, "CONCAT("+columnLength(c, o)+", ':', "+columnText(c, o)+")")
		flags = append(flags, "ISNULL("+QuoteIdent(c.Name)+")")
	}
	args := append(vals, "CONCAT("+strings.Join(flags, ", ")+")")
	return "CAST(CONV(LEFT(SHA1(CONCAT_WS('', " + strings.Join(args, ", ") + ")), 16), 16, 10) AS UNSIGNED)"
}

// columnText returns the expression giving a column's value as text that
// is the same on every server version: character columns converted to
// utf8mb4, BIT as a number, FLOAT and DOUBLE rounded when asked.
func columnText(c Column, o HashOptions) string {
	id := QuoteIdent(c.Name)
	switch {
	case c.DataType == "bit":
		return "CAST(" + id + " AS UNSIGNED)"
	case isCharacter(c):
		return "CONVERT(" + id + " USING utf8mb4)"
	case floatTypes[c.DataType] && o.FloatPrecision >= 0:
		return fmt.Sprintf("ROUND(%s, %d)", id, o.FloatPrecision)
	default:
		return id
	}
}

// columnLength returns the expression giving the length of columnText: in
// characters for a character column, counted on the column itself (the
// conversion keeps the count) so that the conversion runs once; in bytes
// otherwise.
func columnLength(c Column, o HashOptions) string {
	if isCharacter(c) {
		return "CHAR_LENGTH(" + QuoteIdent(c.Name) + ")"
	}
	return "LENGTH(" + columnText(c, o) + ")"
}

// isCharacter reports whether the column holds characters of a character
// set (not bytes).
func isCharacter(c Column) bool {
	return c.Charset != "" && c.Charset != "binary"
}

// floatTypes are the approximate numeric DATA_TYPE values.
var floatTypes = map[string]bool{"float": true, "double": true, "real": true}

// Units numbers the chunks, from 0.
func (p *Rows) Units() []int {
	us := make([]int, len(p.Chunks))
	for i := range us {
		us[i] = i
	}
	return us
}

// from returns the FROM clause, forcing the primary key for chunked reads.
func (p *Rows) from() string {
	f := " FROM " + QuoteTable(p.Table)
	if len(p.Chunks) > 1 {
		f += " FORCE INDEX (PRIMARY)"
	}
	return f
}

// where returns the WHERE clause of chunk u, or "".
func (p *Rows) where(u int) string {
	c := p.Chunks[u]
	var conds []string
	if c.Lo != nil {
		conds = append(conds, keyCompare(p.PK, c.Lo, ">"))
	}
	if c.Hi != nil {
		conds = append(conds, keyCompare(p.PK, c.Hi, "<="))
	}
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

// keyCompare writes (k1, k2, ...) op (v1, v2, ...) for op ">" or "<=" in a
// form the range optimizer of every version uses:
// k1 > v1 OR (k1 = v1 AND (k2 > v2 OR ...)).
func keyCompare(pk []Column, vals []string, op string) string {
	strict := ">"
	if op == "<=" {
		strict = "<"
	}
	last := len(pk) - 1
	expr := QuoteIdent(pk[last].Name) + " " + op + " " + Literal(pk[last].DataType, vals[last])
	for i := last - 1; i >= 0; i-- {
		k, v := QuoteIdent(pk[i].Name), Literal(pk[i].DataType, vals[i])
		expr = fmt.Sprintf("(%s %s %s OR (%s = %s AND %s))", k, strict, v, k, v, expr)
	}
	return expr
}

// keyList returns the primary key columns, quoted and comma-separated.
func (p *Rows) keyList() string {
	keys := make([]string, len(p.PK))
	for i, c := range p.PK {
		keys[i] = QuoteIdent(c.Name)
	}
	return strings.Join(keys, ", ")
}

// SumQuery returns the statement summing chunk u: its row count and hash.
func (p *Rows) SumQuery(u int) string {
	return "SELECT COUNT(*), COALESCE(BIT_XOR(" + p.hash + "), 0)" + p.from() + p.where(u)
}

// KeysQuery returns the statement listing the key and hash of every row of
// chunk u in key order.
func (p *Rows) KeysQuery(u int) string {
	k := p.keyList()
	return "SELECT " + k + ", " + p.hash + p.from() + p.where(u) + " ORDER BY " + k
}

// RangeQuery returns the statement reading the lowest and highest value of
// a single-column key.
func (p *Rows) RangeQuery() string {
	k := QuoteIdent(p.PK[0].Name)
	return "SELECT MIN(" + k + "), MAX(" + k + ") FROM " + QuoteTable(p.Table)
}

// WalkQuery returns the statement reading the size-th key after after (from
// the start when after is nil): the next chunk boundary of a walk.
func (p *Rows) WalkQuery(after []string, size int) string {
	k := p.keyList()
	stmt := "SELECT " + k + " FROM " + QuoteTable(p.Table) + " FORCE INDEX (PRIMARY)"
	if after != nil {
		stmt += " WHERE " + keyCompare(p.PK, after, ">")
	}
	return stmt + fmt.Sprintf(" ORDER BY %s LIMIT 1 OFFSET %d", k, size-1)
}
