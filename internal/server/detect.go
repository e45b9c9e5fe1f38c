package server

import (
	"context"
	"fmt"

	"github.com/replmon/replmon/internal/query"
)

// DetectQuery is the one statement Detect sends.
const DetectQuery = "SELECT @@version, @@version_comment"

// Detect asks the server for its version and comment and parses them.
func Detect(ctx context.Context, q query.Runner) (Identity, error) {
	res, err := q.Query(ctx, DetectQuery)
	switch {
	case err != nil:
		return Identity{}, fmt.Errorf("detect server version: %w", query.Explain(err))
	case len(res.Rows) == 0:
		return Identity{}, fmt.Errorf("detect server version: no row")
	case len(res.Columns) != 2:
		return Identity{}, fmt.Errorf("detect server version: %d columns, want 2", len(res.Columns))
	}
	version, comment := res.Rows[0][0], res.Rows[0][1]
	if version == nil {
		return Identity{}, fmt.Errorf("detect server version: @@version is NULL")
	}
	if comment == nil {
		return Parse(*version, "")
	}
	return Parse(*version, *comment)
}
