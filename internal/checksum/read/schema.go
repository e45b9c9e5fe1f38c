package read

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/checksum/plan"
	"github.com/replmon/replmon/internal/query"
)

// listTablesQuery lists every table holding data outside the system
// schemas: base tables and MariaDB's system-versioned tables.
const listTablesQuery = "SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES " +
	"WHERE TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED') AND TABLE_SCHEMA NOT IN ('information_schema', 'performance_schema', 'sys') " +
	"ORDER BY TABLE_SCHEMA, TABLE_NAME"

// ListTables returns the tables of q that sel selects.
func ListTables(ctx context.Context, q query.Runner, sel judge.Selection) ([]plan.TableName, error) {
	res, err := q.Query(ctx, listTablesQuery)
	if err != nil {
		return nil, fmt.Errorf("listing tables: %w", query.Explain(err))
	}
	var out []plan.TableName
	for r := range res.Rows {
		t := plan.TableName{Schema: res.Text(r, 0), Name: res.Text(r, 1)}
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
		quoted[i] = plan.QuoteString(n)
	}
	where := "TABLE_SCHEMA = " + plan.QuoteString(schema) + " AND TABLE_NAME IN (" + strings.Join(quoted, ", ") + ")"
	return [3]string{
		"SELECT TABLE_NAME, COALESCE(ENGINE, ''), COALESCE(ROW_FORMAT, ''), COALESCE(CREATE_OPTIONS, ''), COALESCE(TABLE_ROWS, 0), TABLE_TYPE " +
			"FROM information_schema.TABLES WHERE " + where,
		"SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, COALESCE(CHARACTER_SET_NAME, ''), COALESCE(EXTRA, ''), COALESCE(COLLATION_NAME, '') " +
			"FROM information_schema.COLUMNS WHERE " + where + " ORDER BY TABLE_NAME, ORDINAL_POSITION",
		// The primary key first, then the unique keys: a table without a
		// primary key is chunked along a unique key whose columns are all
		// NOT NULL (NULLs would escape every key range).
		"SELECT TABLE_NAME, INDEX_NAME, COLUMN_NAME, COALESCE(NULLABLE, '') FROM information_schema.STATISTICS WHERE " + where +
			" AND NON_UNIQUE = 0 ORDER BY TABLE_NAME, INDEX_NAME <> 'PRIMARY', INDEX_NAME, SEQ_IN_INDEX",
	}
}

// LoadMeta describes the given tables on q; a table that does not exist
// there is absent from the map.
func LoadMeta(ctx context.Context, q query.Runner, tables []plan.TableName) (map[plan.TableName]*plan.TableInfo, error) {
	bySchema := map[string][]string{}
	for _, t := range tables {
		bySchema[t.Schema] = append(bySchema[t.Schema], t.Name)
	}
	schemas := make([]string, 0, len(bySchema))
	for s := range bySchema {
		schemas = append(schemas, s)
	}
	sort.Strings(schemas)
	out := map[plan.TableName]*plan.TableInfo{}
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
func fillMeta(out map[plan.TableName]*plan.TableInfo, schema string, res [3]*query.Result) {
	tables, columns, keys := res[0], res[1], res[2]
	for r := range tables.Rows {
		est, _ := strconv.ParseInt(tables.Text(r, 4), 10, 64)
		out[plan.TableName{Schema: schema, Name: tables.Text(r, 0)}] = &plan.TableInfo{
			Engine: tables.Text(r, 1), RowFormat: tables.Text(r, 2), Options: tables.Text(r, 3), EstRows: est,
			Versioned: tables.Text(r, 5) == "SYSTEM VERSIONED",
		}
	}
	for r := range columns.Rows {
		t := out[plan.TableName{Schema: schema, Name: columns.Text(r, 0)}]
		if t == nil {
			continue // dropped between the two statements
		}
		extra := strings.ToUpper(columns.Text(r, 5))
		t.Columns = append(t.Columns, plan.Column{
			Name: columns.Text(r, 1), DataType: strings.ToLower(columns.Text(r, 2)), ColumnType: columns.Text(r, 3),
			Charset: columns.Text(r, 4), Collation: columns.Text(r, 6), Virtual: strings.Contains(extra, "VIRTUAL"),
		})
	}
	type index struct {
		cols     []string
		nullable bool
	}
	idx := map[plan.TableName]map[string]*index{}
	var order []plan.TableName
	var names = map[plan.TableName][]string{}
	for r := range keys.Rows {
		tn := plan.TableName{Schema: schema, Name: keys.Text(r, 0)}
		if out[tn] == nil {
			continue
		}
		if idx[tn] == nil {
			idx[tn] = map[string]*index{}
			order = append(order, tn)
		}
		name := keys.Text(r, 1)
		ix := idx[tn][name]
		if ix == nil {
			ix = &index{}
			idx[tn][name] = ix
			names[tn] = append(names[tn], name)
		}
		ix.cols = append(ix.cols, keys.Text(r, 2))
		ix.nullable = ix.nullable || keys.Text(r, 3) != ""
	}
	for _, tn := range order {
		for _, name := range names[tn] { // PRIMARY first
			if ix := idx[tn][name]; !ix.nullable || name == "PRIMARY" {
				out[tn].PK, out[tn].KeyIndex = ix.cols, name
				break
			}
		}
	}
}
