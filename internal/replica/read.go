package replica

import (
	"context"
	"fmt"

	"github.com/replmon/replmon/internal/server"
)

// Read runs the replica status statement chosen for id and returns its
// channels and the statement that answered. Only a syntax error (1064) makes
// it try id's fallback statement; any other error is returned, explained by
// server.Explain, with the statement that failed.
func Read(ctx context.Context, q server.Querier, id server.Identity) ([]Channel, string, error) {
	return ReadText(ctx, server.SQLText(q), id)
}

// ReadText is Read over a server.TextQuerier.
func ReadText(ctx context.Context, q server.TextQuerier, id server.Identity) ([]Channel, string, error) {
	query := func(stmt string) ([]Channel, error) {
		columns, values, err := q.QueryText(ctx, stmt)
		if err != nil {
			return nil, err
		}
		return FromResult(columns, values)
	}
	stmt := id.ReplicaStatusQuery()
	channels, err := query(stmt)
	if err != nil && server.IsSyntaxError(err) {
		if fallback := id.FallbackReplicaStatusQuery(); fallback != "" {
			stmt = fallback
			channels, err = query(stmt)
		}
	}
	if err != nil {
		return nil, stmt, fmt.Errorf("%s: %w", stmt, server.Explain(err))
	}
	return channels, stmt, nil
}
