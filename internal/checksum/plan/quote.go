package plan

import (
	"encoding/hex"
	"strings"
)

// Statements are sent as plain text, without placeholders: one round trip
// each, and the same text on every server. Values that come from a server
// (chunk boundaries) are written back as literals chosen by column type.
// Sessions run with an empty sql_mode, so backslash escapes apply and
// identifiers are quoted with backticks.

// QuoteIdent quotes a database, table or column name.
func QuoteIdent(s string) string {
	return "`" + strings.ReplaceAll(s, "`", "``") + "`"
}

// QuoteTable returns `schema`.`table`.
func QuoteTable(t TableName) string {
	return QuoteIdent(t.Schema) + "." + QuoteIdent(t.Name)
}

// QuoteString returns s as a single-quoted string literal.
func QuoteString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case 0:
			b.WriteString(`\0`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case 0x1a:
			b.WriteString(`\Z`)
		case '\\', '\'', '"':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// numericTypes are the DATA_TYPE values whose text is a plain number.
var numericTypes = map[string]bool{
	"tinyint": true, "smallint": true, "mediumint": true, "int": true, "integer": true, "bigint": true,
	"decimal": true, "numeric": true, "float": true, "double": true, "real": true, "year": true,
}

// integerTypes are the DATA_TYPE values a primary key can be split by value on.
var integerTypes = map[string]bool{
	"tinyint": true, "smallint": true, "mediumint": true, "int": true, "integer": true, "bigint": true,
}

// binaryTypes hold bytes rather than characters.
var binaryTypes = map[string]bool{
	"binary": true, "varbinary": true, "tinyblob": true, "blob": true, "mediumblob": true, "longblob": true, "bit": true,
}

// IsNumeric reports whether values of the (lower-case) DATA_TYPE are
// written as plain numbers.
func IsNumeric(dataType string) bool { return numericTypes[dataType] }

// IsInteger reports whether a key of the (lower-case) DATA_TYPE can be
// split by value.
func IsInteger(dataType string) bool { return integerTypes[dataType] }

// IsBinary reports whether the (lower-case) DATA_TYPE holds bytes rather
// than characters.
func IsBinary(dataType string) bool { return binaryTypes[dataType] }

// Literal writes a value read from a column of type dataType back as SQL.
func Literal(dataType, v string) string {
	dt := strings.ToLower(dataType)
	switch {
	case numericTypes[dt] && IsPlainNumber(v):
		return v
	case binaryTypes[dt]:
		return "X'" + hex.EncodeToString([]byte(v)) + "'"
	default:
		return QuoteString(v)
	}
}

// IsPlainNumber reports whether s is a decimal number as the server prints one.
func IsPlainNumber(s string) bool {
	if s == "" {
		return false
	}
	digits, dot, exp := 0, false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case (c == '-' || c == '+') && (i == 0 || s[i-1] == 'e' || s[i-1] == 'E'):
		case c == '.' && !dot && !exp:
			dot = true
		case (c == 'e' || c == 'E') && !exp && digits > 0:
			exp = true
		default:
			return false
		}
	}
	return digits > 0
}
