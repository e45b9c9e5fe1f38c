package read

import "github.com/replmon/replmon/internal/query"

// result is an answer of the given rows; its columns are named c0, c1, ...
func result(rows ...[]*string) *query.Result {
	res := &query.Result{Rows: rows}
	if len(rows) > 0 {
		for i := range rows[0] {
			res.Columns = append(res.Columns, "c"+string(rune('0'+i)))
		}
	}
	return res
}

// textResult is an answer of the given rows, none NULL.
func textResult(rows ...[]string) *query.Result {
	out := make([][]*string, len(rows))
	for i, r := range rows {
		for _, v := range r {
			out[i] = append(out[i], str(v))
		}
	}
	return result(out...)
}

func str(s string) *string { return &s }
