package plan

import "strings"

// TableName names one table.
type TableName struct {
	Schema, Name string
}

// String returns "schema.table".
func (t TableName) String() string { return t.Schema + "." + t.Name }

// Column is one column of a table as information_schema describes it.
type Column struct {
	Name       string
	DataType   string // DATA_TYPE, e.g. "varchar"
	ColumnType string // COLUMN_TYPE, e.g. "varchar(20)"
	Charset    string // CHARACTER_SET_NAME, "" for non-character columns
	Collation  string // COLLATION_NAME, "" for non-character columns
	Virtual    bool   // VIRTUAL generated: computed, not stored
}

// TableInfo is what information_schema says about one table on one server.
type TableInfo struct {
	Engine    string
	RowFormat string
	Options   string // CREATE_OPTIONS
	EstRows   int64  // TABLE_ROWS, an estimate for InnoDB
	Versioned bool   // MariaDB WITH SYSTEM VERSIONING: it keeps the history of its rows
	Columns   []Column
	PK        []string // key columns in key order: the primary key, or a unique key of NOT NULL columns; nil without either
	KeyIndex  string   // the index of PK: "PRIMARY" or the unique key's name
}

// LiveChecksum reports whether the engine keeps a live table checksum
// (MyISAM and Aria created with CHECKSUM=1): CHECKSUM TABLE ... QUICK.
func (t *TableInfo) LiveChecksum() bool {
	e := strings.ToLower(t.Engine)
	return (e == "myisam" || e == "aria") && strings.Contains(strings.ToLower(t.Options), "checksum=1")
}

// Transactional reports whether the engine makes changes visible only at
// commit, after they are in the binary log (InnoDB and the like); MyISAM,
// Aria, MEMORY and others show a change before it is logged.
func (t *TableInfo) Transactional() bool {
	switch strings.ToLower(t.Engine) {
	case "innodb", "xtradb", "tokudb", "rocksdb", "ndbcluster", "ndb":
		return true
	}
	return false
}

// ColumnNames lists the column names in order.
func (t *TableInfo) ColumnNames() []string {
	out := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = c.Name
	}
	return out
}

// Column returns the named column.
func (t *TableInfo) Column(name string) (Column, bool) {
	for _, c := range t.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// Signature describes the columns, for comparing structures: names,
// types, character sets and collations.
func (t *TableInfo) Signature() string {
	parts := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		parts[i] = QuoteIdent(c.Name) + " " + c.ColumnType
		if c.Charset != "" {
			parts[i] += " " + c.Charset
		}
		if c.Collation != "" {
			parts[i] += " " + c.Collation
		}
	}
	return strings.Join(parts, ", ")
}
