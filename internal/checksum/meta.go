package checksum

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/replmon/replmon/internal/query"
)

// column is one column of a table as information_schema describes it.
type column struct {
	Name       string
	DataType   string // DATA_TYPE, e.g. "varchar"
	ColumnType string // COLUMN_TYPE, e.g. "varchar(20)"
	Charset    string // CHARACTER_SET_NAME, "" for non-character columns
	Virtual    bool   // VIRTUAL generated: computed, not stored
}

// tableInfo is what information_schema says about one table on one server.
type tableInfo struct {
	Engine    string
	RowFormat string
	Options   string // CREATE_OPTIONS
	EstRows   int64  // TABLE_ROWS, an estimate for InnoDB
	Columns   []column
	PK        []string // primary key columns in key order; nil without a primary key
}

// liveChecksum reports whether the engine keeps a live table checksum
// (MyISAM and Aria created with CHECKSUM=1): CHECKSUM TABLE ... QUICK.
func (t *tableInfo) liveChecksum() bool {
	e := strings.ToLower(t.Engine)
	return (e == "myisam" || e == "aria") && strings.Contains(strings.ToLower(t.Options), "checksum=1")
}

// transactional reports whether the engine makes changes visible only at
// commit, after they are in the binary log (InnoDB and the like); MyISAM,
// Aria, MEMORY and others show a change before it is logged.
func (t *tableInfo) transactional() bool {
	switch strings.ToLower(t.Engine) {
	case "innodb", "xtradb", "tokudb", "rocksdb", "ndbcluster", "ndb":
		return true
	}
	return false
}

// columnNames lists the column names in order.
func (t *tableInfo) columnNames() []string {
	out := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = c.Name
	}
	return out
}

// column returns the named column.
func (t *tableInfo) column(name string) (column, bool) {
	for _, c := range t.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return column{}, false
}

// signature describes the columns, for comparing structures.
func (t *tableInfo) signature() string {
	parts := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		parts[i] = quoteIdent(c.Name) + " " + c.ColumnType
		if c.Charset != "" {
			parts[i] += " " + c.Charset
		}
	}
	return strings.Join(parts, ", ")
}

// listTablesQuery lists every base table outside the system schemas.
const listTablesQuery = "SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES " +
	"WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN ('information_schema', 'performance_schema', 'sys') " +
	"ORDER BY TABLE_SCHEMA, TABLE_NAME"

// listTables returns the tables of q that sel selects.
func listTables(ctx context.Context, q query.Runner, sel Selection) ([]TableName, error) {
	res, err := q.Query(ctx, listTablesQuery)
	if err != nil {
		return nil, fmt.Errorf("listing tables: %w", query.Explain(err))
	}
	var out []TableName
	for r := range res.Rows {
		t := TableName{Schema: res.Text(r, 0), Name: res.Text(r, 1)}
		if sel.Match(t) {
			out = append(out, t)
		}
	}
	return out, nil
}

// metaBatch bounds the table names of one information_schema query.
const metaBatch = 200

// metaQueries returns the three statements describing the named tables of
// one schema: tables, columns and primary keys.
func metaQueries(schema string, names []string) [3]string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = quoteString(n)
	}
	where := "TABLE_SCHEMA = " + quoteString(schema) + " AND TABLE_NAME IN (" + strings.Join(quoted, ", ") + ")"
	return [3]string{
		"SELECT TABLE_NAME, COALESCE(ENGINE, ''), COALESCE(ROW_FORMAT, ''), COALESCE(CREATE_OPTIONS, ''), COALESCE(TABLE_ROWS, 0) " +
			"FROM information_schema.TABLES WHERE " + where,
		"SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, COALESCE(CHARACTER_SET_NAME, ''), COALESCE(EXTRA, '') " +
			"FROM information_schema.COLUMNS WHERE " + where + " ORDER BY TABLE_NAME, ORDINAL_POSITION",
		"SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.STATISTICS WHERE " + where +
			" AND INDEX_NAME = 'PRIMARY' ORDER BY TABLE_NAME, SEQ_IN_INDEX",
	}
}

// loadMeta describes the given tables on q; a table that does not exist
// there is absent from the map.
func loadMeta(ctx context.Context, q query.Runner, tables []TableName) (map[TableName]*tableInfo, error) {
	bySchema := map[string][]string{}
	for _, t := range tables {
		bySchema[t.Schema] = append(bySchema[t.Schema], t.Name)
	}
	schemas := make([]string, 0, len(bySchema))
	for s := range bySchema {
		schemas = append(schemas, s)
	}
	sort.Strings(schemas)
	out := map[TableName]*tableInfo{}
	for _, schema := range schemas {
		names := bySchema[schema]
		for start := 0; start < len(names); start += metaBatch {
			qs := metaQueries(schema, names[start:min(start+metaBatch, len(names))])
			var res [3]*query.Result
			for i, stmt := range qs {
				var err error
				if res[i], err = q.Query(ctx, stmt); err != nil {
					return nil, fmt.Errorf("reading information_schema: %w", query.Explain(err))
				}
			}
			fillMeta(out, schema, res)
		}
	}
	return out, nil
}

// fillMeta adds the answers of metaQueries to out.
func fillMeta(out map[TableName]*tableInfo, schema string, res [3]*query.Result) {
	tables, columns, keys := res[0], res[1], res[2]
	for r := range tables.Rows {
		est, _ := strconv.ParseInt(tables.Text(r, 4), 10, 64)
		out[TableName{schema, tables.Text(r, 0)}] = &tableInfo{
			Engine: tables.Text(r, 1), RowFormat: tables.Text(r, 2), Options: tables.Text(r, 3), EstRows: est,
		}
	}
	for r := range columns.Rows {
		t := out[TableName{schema, columns.Text(r, 0)}]
		if t == nil {
			continue // dropped between the two statements
		}
		extra := strings.ToUpper(columns.Text(r, 5))
		t.Columns = append(t.Columns, column{
			Name: columns.Text(r, 1), DataType: strings.ToLower(columns.Text(r, 2)), ColumnType: columns.Text(r, 3),
			Charset: columns.Text(r, 4), Virtual: strings.Contains(extra, "VIRTUAL"),
		})
	}
	for r := range keys.Rows {
		if t := out[TableName{schema, keys.Text(r, 0)}]; t != nil {
			t.PK = append(t.PK, keys.Text(r, 1))
		}
	}
}
