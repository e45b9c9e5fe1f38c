package judge

import "github.com/replmon/replmon/internal/checksum/plan"

// RunCoverage is the share of the selected rows compared in this run, each
// table weighing its estimated rows (at least 1): walked gives the share
// of the tables compared in chunks, the others count whole unless the
// run's end cut them short.
func RunCoverage(tables []plan.TableName, meta map[plan.TableName]*plan.TableInfo, results [][]Result, walked map[string]float64) float64 {
	var done, all float64
	for i, t := range tables {
		w := float64(1)
		if m := meta[t]; m != nil {
			w = float64(max(m.EstRows, 1))
		}
		all += w
		if f, ok := walked[t.String()]; ok {
			done += w * f
		} else if len(results[i]) > 0 && !CutShort(results[i]) {
			done += w
		}
	}
	if all == 0 {
		return 1
	}
	return done / all
}

// CutShort reports whether the run's end cut a comparison of the table.
func CutShort(res []Result) bool {
	for _, r := range res {
		if r.Verdict.State == Incomplete || r.Verdict.State == NotCompared {
			return true
		}
	}
	return false
}

// SameCharsets reports whether every replica's description (rts) declares
// the source's (st) character set for each column: the rows method then
// hashes character columns as stored (plan.HashOptions.SameCharsets).
func SameCharsets(st *plan.TableInfo, rts []*plan.TableInfo) bool {
	for _, rt := range rts {
		if rt == nil {
			return false
		}
		for _, col := range st.Columns {
			if rc, ok := rt.Column(col.Name); !ok || rc.Charset != col.Charset {
				return false
			}
		}
	}
	return true
}
