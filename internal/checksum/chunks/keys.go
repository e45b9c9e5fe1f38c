package chunks

import (
	"context"
	"fmt"
	"time"

	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/checksum/plan"
	"github.com/replmon/replmon/internal/checksum/read"
	"github.com/replmon/replmon/internal/checksum/servers"
	"github.com/replmon/replmon/internal/query"
)

// minNarrowTime is the least time left for listing differing keys.
const minNarrowTime = 500 * time.Millisecond

// maxWholeKeys bounds the rows read at once to list keys: a table compared
// in one chunk (its key collates differently on the replica) beyond it is
// not read row by row.
const maxWholeKeys = 200000

// KeyLister narrows a confirmed difference of one table on one replica
// down to primary keys (--show-rows).
type KeyLister struct {
	Source   *servers.Node
	Link     *servers.Link
	Exec     servers.Exec // statements on the source (the locked session under --lock)
	Parallel int          // sessions per server
	Limit    int          // keys listed at most
	Deadline time.Time    // end of the work
}

// List narrows a difference the rows method confirmed down to primary keys,
// the way the seed's sdiff of two dumps did: chunks found different by their
// hashes are read row by row (key and row hash) on both sides, and a key is
// listed only when its source row held still across the comparison.
func (k *KeyLister) List(ctx context.Context, st *plan.TableInfo, rows *read.Rows, o judge.SettleOptions, r *judge.Result) {
	if len(st.PK) == 0 {
		r.KeysNote = "no primary key: differing rows cannot be listed"
		return
	}
	if time.Until(k.Deadline) < minNarrowTime {
		r.KeysNote = "no time left to list the differing keys"
		return
	}
	if len(rows.Chunks) == 1 && rows.Chunks[0].Lo == nil && rows.Chunks[0].Hi == nil && st.EstRows > maxWholeKeys {
		r.KeysNote = fmt.Sprintf("keys not listed: the table is compared in one chunk of about %d rows, too many to read", st.EstRows)
		return
	}
	chunks := r.Verdict.Drifted
	for n, u := range chunks {
		if len(r.Keys) >= k.Limit {
			r.KeysNote = fmt.Sprintf("%d more differing %s not read", len(chunks)-n, judge.Plural(len(chunks)-n, "chunk", "chunks"))
			return
		}
		var diffs []judge.RowDiff
		for round := range max(1, o.Confirmations) {
			d, note, err := k.chunkDiffs(ctx, rows, u)
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
			if len(r.Keys) < k.Limit {
				r.Keys = append(r.Keys, judge.KeyDiff{Key: judge.FormatKey(rows.PK, d.Key), Kind: d.Kind})
			} else {
				r.MoreKeys++
			}
		}
	}
}

// chunkDiffs lists the confirmed differing rows of chunk u: source rows,
// the replica at the source's coordinates, the source again.
func (k *KeyLister) chunkDiffs(ctx context.Context, rows *read.Rows, u int) ([]judge.RowDiff, string, error) {
	q := rows.KeysQuery(u)
	nk := len(rows.PK)
	l := k.Link
	var before, after, rep map[string]judge.KeyRow
	var co judge.Coords
	err := k.Exec(ctx, func(s query.Session) error {
		var err error
		if before, err = read.KeyRows(ctx, s, q, nk); err != nil {
			return fmt.Errorf("reading rows of %s on the source: %w", rows.Table, query.Explain(err))
		}
		co, err = servers.BinlogCoords(ctx, s, k.Source, l.Route.Need())
		return err
	})
	if err != nil {
		return nil, "", err
	}
	ok, why, err := l.Reach(ctx, co)
	if err != nil || !ok {
		return nil, "keys not listed: " + why, err
	}
	err = l.Rep.With(ctx, func(s query.Session) error {
		var err error
		if rep, err = read.KeyRows(ctx, s, q, nk); err != nil {
			return fmt.Errorf("reading rows of %s on %s: %w", rows.Table, l.Rep.Label, query.Explain(err))
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
	if ok, why, err = l.SourceCatchUp(ctx, k.Exec); err != nil || !ok {
		return nil, "keys not listed: " + why, err
	}
	err = k.Exec(ctx, func(s query.Session) error {
		var err error
		if after, err = read.KeyRows(ctx, s, q, nk); err != nil {
			return fmt.Errorf("reading rows of %s on the source: %w", rows.Table, query.Explain(err))
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	return judge.ConfirmedDiffs(diffs, before, after), "", nil
}
