package checksum

import (
	"context"
	"fmt"
	"time"

	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/checksum/plan"
	"github.com/replmon/replmon/internal/query"
)

// minNarrowTime is the least time left for listing differing keys.
const minNarrowTime = 500 * time.Millisecond

// listKeys narrows a confirmed difference down to primary keys, the way the
// seed's sdiff of two dumps did: chunks found different by their hashes are
// read row by row (key and row hash) on both sides, and a key is listed
// only when its source row held still across the comparison. rp is the
// table's rows plan when the rows method found the drift; after CHECKSUM
// TABLE, the chunks are found with the rows method first.
func (c *checker) listKeys(ctx context.Context, t plan.TableName, st *plan.TableInfo, l *link, rp *rowsPlan, exec executor, o judge.SettleOptions, r *judge.Result) {
	if len(st.PK) == 0 {
		r.KeysNote = "no primary key: differing rows cannot be listed"
		return
	}
	if time.Until(c.deadline) < minNarrowTime {
		r.KeysNote = "no time left to list the differing keys"
		return
	}
	chunks := r.Verdict.Drifted
	if rp == nil {
		rp = newRowsPlan(t, st)
		if err := exec(ctx, func(s sqlConn) error { return rp.planChunks(ctx, s, c.source, c.opts.ChunkSize, st.EstRows) }); err != nil {
			r.KeysNote = "keys not listed: " + err.Error()
			return
		}
		ops := &replicaOps{l: l, p: rp, srcExec: exec, c: c}
		vs := judge.Compare(ctx, c.sourceBatcher(ctx, rp, exec), []judge.ReplicaSide{ops}, rp.Units(),
			[]judge.SettleOptions{{Retries: o.Retries, Backoff: o.Backoff, Confirmations: o.Confirmations}})
		if vs[0].State != judge.Drifted {
			r.KeysNote = fmt.Sprintf("keys not listed: the rows method found the table %s", vs[0].State)
			return
		}
		chunks = vs[0].Drifted
	}
	limit := c.opts.ShowRows
	for n, u := range chunks {
		if len(r.Keys) >= limit {
			r.KeysNote = fmt.Sprintf("%d more differing %s not read", len(chunks)-n, judge.Plural(len(chunks)-n, "chunk", "chunks"))
			return
		}
		var diffs []judge.RowDiff
		for round := range max(1, o.Confirmations) {
			d, note, err := c.chunkDiffs(ctx, rp, l, exec, u)
			if err != nil {
				r.KeysNote = "keys not listed: " + err.Error()
				return
			}
			if note != "" {
				r.KeysNote = note
				return
			}
			if round == 0 {
				diffs = d
			} else {
				diffs = judge.SameDiffs(diffs, d)
			}
		}
		for _, d := range diffs {
			if len(r.Keys) < limit {
				r.Keys = append(r.Keys, judge.KeyDiff{Key: judge.FormatKey(rp.PK, d.Key), Kind: d.Kind})
			} else {
				r.MoreKeys++
			}
		}
	}
}

// chunkDiffs lists the confirmed differing rows of chunk u: source rows,
// the replica at the source's coordinates, the source again.
func (c *checker) chunkDiffs(ctx context.Context, rp *rowsPlan, l *link, exec executor, u int) ([]judge.RowDiff, string, error) {
	q := rp.KeysQuery(u)
	nk := len(rp.PK)
	var before, after, rep map[string]judge.KeyRow
	var co judge.Coords
	err := exec(ctx, func(s sqlConn) error {
		var err error
		if before, err = readKeyRows(ctx, s, q, nk); err != nil {
			return fmt.Errorf("reading rows of %s on the source: %w", rp.Table, query.Explain(err))
		}
		co, err = c.source.readCoords(ctx, s, c.source.binlogCoordsQuery())
		return err
	})
	if err != nil {
		return nil, "", err
	}
	ok, why, err := l.reach(ctx, co)
	if err != nil || !ok {
		return nil, "keys not listed: " + why, err
	}
	err = l.rep.pool.with(ctx, func(s sqlConn) error {
		var err error
		if rep, err = readKeyRows(ctx, s, q, nk); err != nil {
			return fmt.Errorf("reading rows of %s on %s: %w", rp.Table, l.rep.Label, query.Explain(err))
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	diffs := judge.DiffRows(before, rep)
	if len(diffs) == 0 {
		return nil, "", nil
	}
	if ok, why, err = l.sourceCatchUp(ctx, exec); err != nil || !ok {
		return nil, "keys not listed: " + why, err
	}
	err = exec(ctx, func(s sqlConn) error {
		var err error
		if after, err = readKeyRows(ctx, s, q, nk); err != nil {
			return fmt.Errorf("reading rows of %s on the source: %w", rp.Table, query.Explain(err))
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	return judge.ConfirmedDiffs(diffs, before, after), "", nil
}
