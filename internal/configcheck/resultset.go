package configcheck

import (
	"context"

	"github.com/replmon/replmon/internal/query"
)

// value returns row[i] as text and whether it is present and not NULL.
func value(row []*string, i int) (string, bool) { return query.Value(row, i) }

// queryResult runs stmt and reads every value as text or NULL.
func queryResult(ctx context.Context, q query.Runner, stmt string) (*query.Result, error) {
	return q.Query(ctx, stmt)
}
