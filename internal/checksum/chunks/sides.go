package chunks

import (
	"context"
	"errors"
	"sync"

	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/checksum/read"
	"github.com/replmon/replmon/internal/checksum/servers"
	"github.com/replmon/replmon/internal/query"
)

// The judge's engine sees the servers through two sides: the source
// (sums, then coordinates, shared by the replicas through a judge.Batcher)
// and each replica (sums and the waits in both directions). They are made
// here from the reader.

// SourceSide returns the source side of one table's comparison: sums with
// m on src through exec, then the coordinates src has logged (those need
// asks for), read through exec too; the first sums without coordinates,
// read only if a replica differs (judge.Lazy).
func SourceSide(ctx context.Context, parallel int, m read.Method, src *servers.Node, exec servers.Exec, need servers.Need) *judge.Batcher {
	sums := func(ctx context.Context, units []int) (judge.Sums, error) {
		return sumUnits(ctx, parallel, m, src, exec, units)
	}
	coords := func(ctx context.Context) (judge.Coords, error) {
		var co judge.Coords
		err := exec(ctx, func(s query.Session) error {
			var err error
			co, err = servers.BinlogCoords(ctx, s, src, need)
			return err
		})
		return co, err
	}
	return judge.Lazy(ctx, sums, coords)
}

// ReplicaSide is one replica's side of one table's comparison.
type ReplicaSide struct {
	Link     *servers.Link
	M        read.Method
	SrcExec  servers.Exec // statements on the source (the locked session under --lock)
	Parallel int
}

// Reach implements judge.ReplicaSide.
func (o *ReplicaSide) Reach(ctx context.Context, co judge.Coords) (bool, string, error) {
	return o.Link.Reach(ctx, co)
}

// Sums implements judge.ReplicaSide.
func (o *ReplicaSide) Sums(ctx context.Context, units []int) (judge.Sums, error) {
	return sumUnits(ctx, o.Parallel, o.M, o.Link.Rep, o.Link.Rep.With, units)
}

// SourceCatchUp implements judge.ReplicaSide.
func (o *ReplicaSide) SourceCatchUp(ctx context.Context) (bool, string, error) {
	return o.Link.SourceCatchUp(ctx, o.SrcExec)
}

// sumUnits computes units with m on n, up to parallel at once; the first
// error stops the others.
func sumUnits(ctx context.Context, parallel int, m read.Method, n *servers.Node, exec servers.Exec, units []int) (judge.Sums, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := judge.Sums{}
	var (
		mu       sync.Mutex
		firstErr error
	)
	ForEach(ctx, len(units), parallel, nil, func(i int) {
		u := units[i]
		var s judge.Sum
		err := exec(ctx, func(q query.Session) error {
			var err error
			s, err = m.Sum(ctx, n, q, u)
			return err
		})
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			// A missing table beats the cancellations it causes.
			if firstErr == nil || errors.Is(err, judge.ErrMissing) && !errors.Is(firstErr, judge.ErrMissing) {
				firstErr = err
			}
			cancel()
			return
		}
		out[u] = s
	})
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
