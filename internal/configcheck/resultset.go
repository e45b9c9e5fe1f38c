package configcheck

import (
	"context"
	"strings"

	"github.com/replmon/replmon/internal/server"
)

// resultSet is one statement's answer as text: column names in the server's
// order and rows of values, a nil value being SQL NULL.
type resultSet struct {
	Columns []string
	Rows    [][]*string
}

// column returns the index of the named column (ignoring case), or -1.
func (rs resultSet) column(names ...string) int {
	for _, name := range names {
		for i, c := range rs.Columns {
			if strings.EqualFold(c, name) {
				return i
			}
		}
	}
	return -1
}

// value returns row[i] as text and whether it is present and not NULL.
func value(row []*string, i int) (string, bool) {
	if i < 0 || i >= len(row) || row[i] == nil {
		return "", false
	}
	return *row[i], true
}

// queryResult runs stmt and reads every value as text or NULL.
func queryResult(ctx context.Context, q server.Querier, stmt string) (resultSet, error) {
	cols, rows, err := server.SQLText(q).QueryText(ctx, stmt)
	if err != nil {
		return resultSet{}, err
	}
	return resultSet{Columns: cols, Rows: rows}, nil
}
