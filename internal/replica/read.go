package replica

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/replmon/replmon/internal/server"
)

// Read runs the replica status statement chosen for id and returns its
// channels and the statement that answered. Only a syntax error (1064) makes
// it try id's fallback statement; any other error is returned, explained by
// server.Explain, with the statement that failed.
func Read(ctx context.Context, q server.Querier, id server.Identity) ([]Channel, string, error) {
	return read(id, func(stmt string) ([]Channel, error) { return query(ctx, q, stmt) })
}

// ReadText is Read over a server.TextQuerier.
func ReadText(ctx context.Context, q server.TextQuerier, id server.Identity) ([]Channel, string, error) {
	return read(id, func(stmt string) ([]Channel, error) {
		columns, values, err := q.QueryText(ctx, stmt)
		if err != nil {
			return nil, err
		}
		return FromResult(columns, values)
	})
}

// read is Read with the statement run by query.
func read(id server.Identity, query func(stmt string) ([]Channel, error)) ([]Channel, string, error) {
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

// query runs stmt and reads every column of every row as text or NULL.
func query(ctx context.Context, q server.Querier, stmt string) ([]Channel, error) {
	rows, err := q.QueryContext(ctx, stmt)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	columns, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var values [][]*string
	scanned := make([]sql.NullString, len(columns))
	dest := make([]any, len(columns))
	for i := range scanned {
		dest[i] = &scanned[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		row := make([]*string, len(scanned))
		for i, v := range scanned {
			if v.Valid {
				s := v.String
				row[i] = &s
			}
		}
		values = append(values, row)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return FromResult(columns, values)
}
