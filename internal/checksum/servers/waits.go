package servers

import (
	"context"
	"fmt"
	"time"

	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/query"
)

// A difference counts only once the replica has reached the source's
// coordinates (Reach) and the source has reached what flows to it from the
// replica's side (SourceCatchUp: in a ring, the other master and its
// replicas have writes the source gets later). Each wait is one statement
// chosen per hop (planHop, hops.go), bounded in time, and read by its
// answer.

// Link is one replica as compared with the source: its route, the ways its
// data flows back to the source, and the waits in both directions.
type Link struct {
	Src, Rep *Node
	Route    Route
	Back     []Back // the ways the replica's data flows back to the source (Sources.Back)
	// BackUnknown, when set, says why those ways are not known: the source
	// then waits for the GTIDs the replica has (catchUpGTIDs).
	BackUnknown string
	Deadline    time.Time // end of the run's work: a wait takes at most a third of the time left
}

// waitBound is how long one wait for coordinates may take.
func (l *Link) waitBound() time.Duration {
	return max(0, time.Until(l.Deadline)/3)
}

// Reach waits until the replica has applied the source's coordinates co,
// hop by hop: an intermediate server first reaches co, then the next server
// reaches what the intermediate has logged by then. False, with the
// reason, when it did not within the bound.
func (l *Link) Reach(ctx context.Context, co judge.Coords) (bool, string, error) {
	if l.Route.Stopped != "" {
		return false, l.Route.Stopped, nil
	}
	if l.Route.NoWait != "" {
		return false, l.Route.NoWait, nil
	}
	bound := l.waitBound()
	ok, late, err := follow(ctx, l.Route.Hops, co, bound, nil, true)
	if err != nil || ok {
		return ok, "", err
	}
	late.setLagging(fmt.Sprintf("%s did not reach the source's coordinates within %s", late.Label, judge.Seconds(bound)))
	return false, late.laggingReason(), nil
}

// SourceCatchUp waits until the source has applied what flows to it from
// the replica's side (Link.Back): for each server on the way back, what it
// has logged now, after the replica was summed. srcExec runs the source's
// wait (the session holding the table lock under --lock). False, with the
// reason, when it did not within the bound. Nothing flows back from a
// replica of a source that does not replicate from it or from a server it
// replicates from: its own writes are drift, never waited for.
func (l *Link) SourceCatchUp(ctx context.Context, srcExec Exec) (bool, string, error) {
	if l.BackUnknown != "" {
		return l.catchUpGTIDs(ctx, srcExec)
	}
	bound := l.waitBound()
	start := time.Now()
	for _, b := range l.Back {
		switch {
		case b.Route.Stopped != "":
			return false, fmt.Sprintf("the source cannot apply the changes of %s: %s", b.From.Label, b.Route.Stopped), nil
		case b.Route.NoWait != "":
			return false, fmt.Sprintf("no way to wait for the source to apply the changes of %s: %s", b.From.Label, b.Route.NoWait), nil
		}
		var co judge.Coords
		err := b.From.With(ctx, func(s query.Session) error {
			var err error
			co, err = BinlogCoords(ctx, s, b.From, b.Route.Need())
			return err
		})
		if err != nil {
			return false, "", err
		}
		ok, _, err := follow(ctx, b.Route.Hops, co, max(0, bound-time.Since(start)), srcExec, false)
		if err != nil {
			return false, "", err
		}
		if !ok {
			return false, fmt.Sprintf("the source did not apply the changes of %s within %s", b.From.Label, judge.Seconds(bound)), nil
		}
	}
	return true, "", nil
}

// follow makes the servers of hops reach co, read on the first hop's Up,
// one hop after the other: each Down waits for what its Up has logged by
// the time that Up got there. last, when set, runs the statements of the
// last Down (the source's locked session). With shortcut, a server whose
// earlier wait failed is only looked at. It returns false and the server
// that did not get there within bound.
func follow(ctx context.Context, hops []Hop, co judge.Coords, bound time.Duration, last Exec, shortcut bool) (bool, *Node, error) {
	start := time.Now()
	for i, h := range hops {
		timeout := max(0, bound-time.Since(start))
		if shortcut && h.Down.laggingReason() != "" {
			timeout = 0 // it failed once: only look
		}
		w, err := waitStatement(h, co, timeout)
		if err != nil {
			return false, nil, err
		}
		exec := Exec(h.Down.With)
		if last != nil && i == len(hops)-1 {
			exec = last
		}
		ok, err := runWait(ctx, exec, w, h.Down.Label)
		if err != nil {
			return false, nil, err
		}
		if !ok {
			return false, h.Down, nil
		}
		if i+1 < len(hops) {
			err := h.Down.With(ctx, func(s query.Session) error {
				var err error
				co, err = BinlogCoords(ctx, s, h.Down, hops[i+1].need())
				return err
			})
			if err != nil {
				return false, nil, err
			}
		}
	}
	return true, nil, nil
}

// runWait runs a wait statement with exec; true when the server got there.
func runWait(ctx context.Context, exec Exec, w waitSpec, label string) (bool, error) {
	if w.Kind == waitNone {
		return true, nil
	}
	var ok bool
	err := exec(ctx, func(s query.Session) error {
		v, null, err := query.One(ctx, s, w.Query)
		if err != nil {
			return fmt.Errorf("waiting on %s: %w", label, query.Explain(err))
		}
		ok = w.reached(v, null)
		return nil
	})
	return ok, err
}

// NeedOf is what the source's coordinates must hold for the first waits
// of every link.
func NeedOf(links []*Link) Need {
	var n Need
	for _, l := range links {
		n = n.Or(l.Route.Need())
	}
	return n
}
