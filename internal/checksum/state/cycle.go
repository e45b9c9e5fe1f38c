package state

import (
	"math/big"
	"slices"
	"time"
)

// Table returns the progress of table name, creating it.
func (f *File) Table(name string) *Table {
	t := f.Tables[name]
	if t == nil {
		t = &Table{}
		f.Tables[name] = t
	}
	return t
}

// Prune forgets the tables and ranges of tables that are no longer
// selected (dropped or renamed since the last run); tables is the
// selection, in the order the cycle visits it.
func (f *File) Prune(tables []string) {
	keep := map[string]bool{}
	for _, t := range tables {
		keep[t] = true
	}
	for name := range f.Tables {
		if !keep[name] {
			delete(f.Tables, name)
		}
	}
	f.Ranges = slices.DeleteFunc(f.Ranges, func(r Range) bool { return !keep[r.Table] })
	if !keep[f.Current] {
		f.Current = ""
	}
}

// Pending returns the tables the current cycle has still to compare, in
// the order of tables starting at the table the cursor is in: a table
// added behind the cursor comes last, before the cycle ends.
func (f *File) Pending(tables []string) []string {
	start := max(0, slices.Index(tables, f.Current))
	var out []string
	for i := range tables {
		name := tables[(start+i)%len(tables)]
		if t := f.Tables[name]; t == nil || !t.Done {
			out = append(out, name)
		}
	}
	return out
}

// Wrap ends the cycle, every table having been compared to its end, and
// starts the next one at now.
func (f *File) Wrap(now time.Time) {
	f.Previous, f.Started = f.Started, Time{now}
	f.Cycle++
	f.Current = ""
	for _, t := range f.Tables {
		t.Done, t.Cursor, t.Rows = false, nil, 0
	}
}

// Coverage is the share of the current cycle done, from 0 to 1: each
// table weighs its estimated rows (at least 1), a table partly done counts
// the rows compared so far, never as done.
func (f *File) Coverage(tables []string, est func(name string) int64) float64 {
	var done, all float64
	for _, name := range tables {
		w := float64(max(est(name), 1))
		t := f.Tables[name]
		switch {
		case t == nil:
		case t.Done:
			done += w
		case t.Rows > 0:
			w = max(w, float64(t.Rows)+1)
			done += float64(t.Rows)
		}
		all += w
	}
	if all == 0 {
		return 1
	}
	return done / all
}

// Oldest is when the oldest comparison the verdict rests on was made: the
// start of the last complete cycle, or of the first one while it runs.
func (f *File) Oldest() time.Time {
	if !f.Previous.IsZero() {
		return f.Previous.Time
	}
	return f.Started.Time
}

// Remember records a range not in sync, replacing the record of the same
// table, replica and range; Found is kept from the first record.
func (f *File) Remember(r Range) {
	for i, old := range f.Ranges {
		if old.same(r) {
			r.Found = old.Found
			f.Ranges[i] = r
			return
		}
	}
	f.Ranges = append(f.Ranges, r)
}

// Forget drops the record of a range found in sync again.
func (f *File) Forget(r Range) {
	f.Ranges = slices.DeleteFunc(f.Ranges, func(old Range) bool { return old.same(r) })
}

func (r Range) same(o Range) bool {
	return r.Table == o.Table && r.Replica == o.Replica && slices.Equal(r.Key, o.Key) && slices.Equal(r.Lo, o.Lo) && slices.Equal(r.Hi, o.Hi) &&
		(r.Lo == nil) == (o.Lo == nil) && (r.Hi == nil) == (o.Hi == nil)
}

// Within reports whether the range lies within (lo, hi] (nil bounds are
// open), for a key of one integer column.
func (r Range) Within(lo, hi []string) bool {
	num := func(v []string) (*big.Int, bool) {
		if len(v) != 1 {
			return nil, false
		}
		return new(big.Int).SetString(v[0], 10)
	}
	if lo != nil {
		clo, ok1 := num(lo)
		rlo, ok2 := num(r.Lo)
		if !ok1 || !ok2 || rlo.Cmp(clo) < 0 {
			return false
		}
	}
	if hi != nil {
		chi, ok1 := num(hi)
		rhi, ok2 := num(r.Hi)
		if !ok1 || !ok2 || rhi.Cmp(chi) > 0 {
			return false
		}
	}
	return true
}
