package replica

import (
	"context"
	"fmt"

	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/server"
)

// Read runs the replica status statement chosen for id and returns its
// channels and the statement that answered. Only a syntax error (1064) makes
// it try id's fallback statement; any other error is returned, explained by
// query.Explain, with the statement that failed.
func Read(ctx context.Context, q query.Runner, id server.Identity) ([]Channel, string, error) {
	read := func(stmt string) ([]Channel, error) {
		res, err := q.Query(ctx, stmt)
		if err != nil {
			return nil, err
		}
		return FromResult(res.Columns, res.Rows)
	}
	stmt := id.ReplicaStatusQuery()
	channels, err := read(stmt)
	if err != nil && query.IsSyntaxError(err) {
		if fallback := id.FallbackReplicaStatusQuery(); fallback != "" {
			stmt = fallback
			channels, err = read(stmt)
		}
	}
	if err != nil {
		return nil, stmt, fmt.Errorf("%s: %w", stmt, query.Explain(err))
	}
	return channels, stmt, nil
}
