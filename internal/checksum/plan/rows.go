package plan

import (
	"fmt"
	"strings"
)

// Rows is the rows method's plan of one table: a hash the server computes
// over the rows, independent of version and storage format. Per chunk of
// the key it takes COUNT(*) and the BIT_XOR (the SUM without a key) of
// the CRC32 of each row written unambiguously (rowHash).
type Rows struct {
	Table  TableName
	PK     []Column // key columns (primary, or unique and NOT NULL); nil when the table has none
	Index  string   // the index of PK, forced for reads of a key range
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
	// SameCharsets says every server compared declares the same character
	// set for each column: their text is the same bytes as stored, hashed
	// without converting it to utf8mb4 first (which costs the server).
	SameCharsets bool
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
	p.Index = info.KeyIndex
	if p.Index == "" {
		p.Index = "PRIMARY"
	}
	p.hash = rowHash(p.cols, o)
	return p
}

// rowHash returns the expression hashing one row to an unsigned 32-bit
// number: the CRC32 of the row written unambiguously, as
// pt-table-checksum hashes rows (a cryptographic hash costs the server two
// to three times more per row, for nothing a checksum needs). Columns are
// joined with '#'; a column whose text may hold '#' (characters, bytes,
// anything but numbers, temporal values and BIT) is written as its length,
// ':' and its text, so that no two rows give one string ('a#b','c' and
// 'a','b#c' would); a NULL column writes nothing, and a last string of
// ISNULL flags, one per column, tells which were NULL.
func rowHash(cols []Column, o HashOptions) string {
	var vals, flags []string
	for _, c := range cols {
		if plainText[c.DataType] {
			vals = append(vals, columnText(c, o))
		} else {
			vals = append(vals, "CONCAT("+columnLength(c, o)+", ':', "+columnText(c, o)+")")
		}
		flags = append(flags, "ISNULL("+QuoteIdent(c.Name)+")")
	}
	args := append(vals, "CONCAT("+strings.Join(flags, ", ")+")")
	return "CRC32(CONCAT_WS('#', " + strings.Join(args, ", ") + "))"
}

// plainText are the DATA_TYPE values whose text never holds '#': numbers,
// temporal values, and BIT (hashed as a number).
var plainText = map[string]bool{
	"tinyint": true, "smallint": true, "mediumint": true, "int": true, "integer": true, "bigint": true,
	"decimal": true, "numeric": true, "float": true, "double": true, "real": true,
	"date": true, "datetime": true, "timestamp": true, "time": true, "year": true, "bit": true,
}

// columnText returns the expression giving a column's value as text that
// is the same on every server version: character columns converted to
// utf8mb4, BIT as a number, FLOAT and DOUBLE rounded when asked.
func columnText(c Column, o HashOptions) string {
	id := QuoteIdent(c.Name)
	switch {
	case c.DataType == "bit":
		return "CAST(" + id + " AS UNSIGNED)"
	case isCharacter(c) && !o.SameCharsets:
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
	if isCharacter(c) && !o.SameCharsets {
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

// from returns the FROM clause of chunk u, forcing the key for a range.
func (p *Rows) from(u int) string {
	f := " FROM " + QuoteTable(p.Table)
	if c := p.Chunks[u]; c.Lo != nil || c.Hi != nil {
		f += p.force()
	}
	return f
}

// force is the index hint of reads along the key.
func (p *Rows) force() string {
	return " FORCE INDEX (" + QuoteIdent(p.Index) + ")"
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
// Rows of a table with a key are distinct, and the BIT_XOR of their
// hashes sums them; a table without a key may hold the same row twice,
// which BIT_XOR cancels ({A, A, C} and {C, D, D} both give C), so there
// the hashes are added up (an exact DECIMAL sum).
func (p *Rows) SumQuery(u int) string {
	agg := "BIT_XOR"
	if len(p.PK) == 0 {
		agg = "SUM"
	}
	return "SELECT COUNT(*), COALESCE(" + agg + "(" + p.hash + "), 0)" + p.from(u) + p.where(u)
}

// KeysQuery returns the statement listing the key and hash of every row of
// chunk u in key order.
func (p *Rows) KeysQuery(u int) string {
	k := p.keyList()
	return "SELECT " + k + ", " + p.hash + p.from(u) + p.where(u) + " ORDER BY " + k
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
	stmt := "SELECT " + k + " FROM " + QuoteTable(p.Table) + p.force()
	if after != nil {
		stmt += " WHERE " + keyCompare(p.PK, after, ">")
	}
	return stmt + fmt.Sprintf(" ORDER BY %s LIMIT 1 OFFSET %d", k, size-1)
}

// LastKeyQuery returns the statement reading the highest key after after
// (of the whole table when after is nil): the end of the last chunk.
func (p *Rows) LastKeyQuery(after []string) string {
	keys := make([]string, len(p.PK))
	for i, c := range p.PK {
		keys[i] = QuoteIdent(c.Name) + " DESC"
	}
	stmt := "SELECT " + p.keyList() + " FROM " + QuoteTable(p.Table) + p.force()
	if after != nil {
		stmt += " WHERE " + keyCompare(p.PK, after, ">")
	}
	return stmt + " ORDER BY " + strings.Join(keys, ", ") + " LIMIT 1"
}

// LockQuery returns the locking read of chunk u (--lock-chunk): its rows,
// and the gaps between them, held against writers until the transaction
// ends.
func (p *Rows) LockQuery(u int) string {
	return "SELECT COUNT(*)" + p.from(u) + p.where(u) + " LOCK IN SHARE MODE"
}

// Describe writes chunk u's key range for the long output (DescribeRange).
func (p *Rows) Describe(u int) string {
	names := make([]string, len(p.PK))
	for i, k := range p.PK {
		names[i] = k.Name
	}
	return DescribeRange(names, p.Chunks[u])
}

// DescribeRange writes a key range for the long output: "id > 1000 and
// <= 2000", "(a, b) <= (5, x)", or "the whole table".
func DescribeRange(key []string, c Chunk) string {
	if len(key) == 0 || c.Lo == nil && c.Hi == nil {
		return "the whole table"
	}
	s := "(" + strings.Join(key, ", ") + ") "
	if len(key) == 1 {
		s = key[0] + " "
	}
	if c.Lo != nil {
		s += "> " + tuple(c.Lo)
		if c.Hi != nil {
			s += " and "
		}
	}
	if c.Hi != nil {
		s += "<= " + tuple(c.Hi)
	}
	return s
}

// tuple writes key values: v, or (v1, v2).
func tuple(vals []string) string {
	if len(vals) == 1 {
		return vals[0]
	}
	return "(" + strings.Join(vals, ", ") + ")"
}
