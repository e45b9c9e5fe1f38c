package read

import (
	"context"

	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/query"
)

// KeyRows runs stmt, a keys statement of the rows method (plan.Rows
// KeysQuery) with nk key columns, and returns its rows by judge.KeyID.
func KeyRows(ctx context.Context, q query.Runner, stmt string, nk int) (map[string]judge.KeyRow, error) {
	res, err := q.Query(ctx, stmt)
	if err != nil {
		return nil, err
	}
	out := make(map[string]judge.KeyRow, len(res.Rows))
	for r := range res.Rows {
		kr := judge.KeyRow{Key: make([]string, nk), Hash: res.Text(r, nk)}
		for i := range kr.Key {
			kr.Key[i] = res.Text(r, i)
		}
		out[judge.KeyID(kr.Key)] = kr
	}
	return out, nil
}
