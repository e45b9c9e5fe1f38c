package gtid

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// MaxTransaction is the highest transaction number MySQL hands out (2^63-1).
const MaxTransaction = 1<<63 - 1

// Origin names the transactions of one MySQL GTID set member: the
// server_uuid that originated them and, from MySQL 8.3 on, a tag (""
// when untagged). Both are kept in lower case, the UUID with its dashes.
type Origin struct {
	UUID string
	Tag  string
}

// String returns "uuid" or "uuid:tag".
func (o Origin) String() string {
	if o.Tag == "" {
		return o.UUID
	}
	return o.UUID + ":" + o.Tag
}

// Interval is the transaction numbers Start to End, both included.
type Interval struct {
	Start, End uint64
}

// Set is a MySQL GTID set (@@gtid_executed, @@gtid_purged,
// Executed_Gtid_Set): for each origin, the transaction numbers it holds,
// kept normalised — sorted, merged, never empty. The zero value is the
// empty set. Sets are values: the operations return new sets.
type Set struct {
	m map[Origin][]Interval
}

// ParseMySQL reads a GTID set as MySQL prints it: members separated by
// commas (blanks and newlines around the separators are ignored), each a UUID (with or without
// dashes, any case) followed by ":N" or ":N-M" intervals, from MySQL 8.3 on
// with ":tag" switching the tag of the intervals that follow. An empty
// string is the empty set.
func ParseMySQL(s string) (Set, error) {
	out := Set{m: map[Origin][]Interval{}}
	for _, member := range strings.Split(s, ",") {
		member = strings.TrimSpace(member)
		if member == "" {
			continue
		}
		parts := strings.Split(member, ":")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		uuid, ok := normalUUID(parts[0])
		if !ok {
			return Set{}, fmt.Errorf("bad GTID set %q: %q is not a UUID", s, parts[0])
		}
		if len(parts) == 1 {
			return Set{}, fmt.Errorf("bad GTID set %q: %q has no transaction numbers", s, member)
		}
		o := Origin{UUID: uuid}
		intervals := 0
		for _, p := range parts[1:] {
			if tag, ok := normalTag(p); ok {
				o.Tag = tag
				continue
			}
			iv, err := parseInterval(p)
			if err != nil {
				return Set{}, fmt.Errorf("bad GTID set %q: %v", s, err)
			}
			out.m[o] = append(out.m[o], iv)
			intervals++
		}
		if intervals == 0 {
			return Set{}, fmt.Errorf("bad GTID set %q: %q has no transaction numbers", s, member)
		}
	}
	for o, ivs := range out.m {
		out.m[o] = merge(ivs)
	}
	return out, nil
}

// normalUUID returns u in lower case with its dashes, and false when u is
// not 32 hexadecimal digits, plain or dashed as 8-4-4-4-12.
func normalUUID(u string) (string, bool) {
	u = strings.ToLower(u)
	if len(u) == 36 {
		for _, i := range []int{8, 13, 18, 23} {
			if u[i] != '-' {
				return "", false
			}
		}
		u = strings.ReplaceAll(u, "-", "")
	}
	if len(u) != 32 {
		return "", false
	}
	for _, c := range u {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return "", false
		}
	}
	return u[:8] + "-" + u[8:12] + "-" + u[12:16] + "-" + u[16:20] + "-" + u[20:], true
}

// normalTag returns a GTID tag in lower case: a letter or '_', then up to
// 31 letters, digits or '_'; false when p is no tag (an interval).
func normalTag(p string) (string, bool) {
	if p == "" || len(p) > 32 {
		return "", false
	}
	p = strings.ToLower(p)
	for i, c := range p {
		letter := c == '_' || (c >= 'a' && c <= 'z')
		if !letter && (i == 0 || c < '0' || c > '9') {
			return "", false
		}
	}
	return p, true
}

// parseInterval reads "N" or "N-M" with 1 <= N <= M <= MaxTransaction.
func parseInterval(p string) (Interval, error) {
	a, b, isRange := strings.Cut(p, "-")
	start, err := strconv.ParseUint(a, 10, 64)
	if err != nil || start == 0 || start > MaxTransaction {
		return Interval{}, fmt.Errorf("%q is not a transaction number from 1 to %d", p, uint64(MaxTransaction))
	}
	end := start
	if isRange {
		end, err = strconv.ParseUint(b, 10, 64)
		if err != nil || end < start || end > MaxTransaction {
			return Interval{}, fmt.Errorf("%q is not an interval N-M with N <= M <= %d", p, uint64(MaxTransaction))
		}
	}
	return Interval{start, end}, nil
}

// merge sorts intervals and joins those that overlap or touch.
func merge(ivs []Interval) []Interval {
	if len(ivs) == 0 {
		return nil
	}
	ivs = append([]Interval(nil), ivs...)
	sort.Slice(ivs, func(i, j int) bool { return ivs[i].Start < ivs[j].Start })
	out := []Interval{ivs[0]}
	for _, iv := range ivs[1:] {
		last := &out[len(out)-1]
		if iv.Start <= last.End || iv.Start-1 == last.End {
			last.End = max(last.End, iv.End)
			continue
		}
		out = append(out, iv)
	}
	return out
}

// origins returns the origins of s in String order.
func (s Set) origins() []Origin {
	out := make([]Origin, 0, len(s.m))
	for o := range s.m {
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].UUID != out[j].UUID {
			return out[i].UUID < out[j].UUID
		}
		return out[i].Tag < out[j].Tag
	})
	return out
}

// Origins returns the origins that have transactions in s, sorted.
func (s Set) Origins() []Origin { return s.origins() }

// Intervals returns the transaction numbers s holds of origin o.
func (s Set) Intervals(o Origin) []Interval {
	return append([]Interval(nil), s.m[o]...)
}

// IsEmpty reports whether s holds no transaction.
func (s Set) IsEmpty() bool { return len(s.m) == 0 }

// Count returns how many transactions s holds (saturating at the largest uint64).
func (s Set) Count() uint64 {
	var n uint64
	for _, ivs := range s.m {
		for _, iv := range ivs {
			d := iv.End - iv.Start + 1
			if n+d < n {
				return ^uint64(0)
			}
			n += d
		}
	}
	return n
}

// String returns the set normalised as MySQL prints it, without blanks:
// origins by UUID, each UUID once with its untagged intervals first and
// then each tag with its own, e.g. "3e11fa47-...:1-5:7,4e11...:1:tag:1-3".
func (s Set) String() string {
	var members []string
	var cur string
	var b strings.Builder
	flush := func() {
		if cur != "" {
			members = append(members, b.String())
		}
		b.Reset()
	}
	for _, o := range s.origins() {
		if o.UUID != cur {
			flush()
			cur = o.UUID
			b.WriteString(o.UUID)
		}
		if o.Tag != "" {
			b.WriteString(":" + o.Tag)
		}
		for _, iv := range s.m[o] {
			b.WriteString(":" + strconv.FormatUint(iv.Start, 10))
			if iv.End != iv.Start {
				b.WriteString("-" + strconv.FormatUint(iv.End, 10))
			}
		}
	}
	flush()
	return strings.Join(members, ",")
}

// Union returns the transactions in s or in o.
func (s Set) Union(o Set) Set {
	out := Set{m: map[Origin][]Interval{}}
	for k, ivs := range s.m {
		out.m[k] = append([]Interval(nil), ivs...)
	}
	for k, ivs := range o.m {
		out.m[k] = merge(append(out.m[k], ivs...))
	}
	return out
}

// Subtract returns the transactions of s that are not in o.
func (s Set) Subtract(o Set) Set {
	out := Set{m: map[Origin][]Interval{}}
	for k, ivs := range s.m {
		if rest := subtract(ivs, o.m[k]); len(rest) > 0 {
			out.m[k] = rest
		}
	}
	return out
}

// subtract removes the normalised intervals b from the normalised a.
func subtract(a, b []Interval) []Interval {
	var out []Interval
	j := 0
	for _, iv := range a {
		start := iv.Start
		for j < len(b) && b[j].End < start {
			j++
		}
		k := j
		done := false
		for ; k < len(b) && b[k].Start <= iv.End; k++ {
			if b[k].Start > start {
				out = append(out, Interval{start, b[k].Start - 1})
			}
			if b[k].End >= iv.End {
				done = true
				break
			}
			start = b[k].End + 1
		}
		if !done {
			out = append(out, Interval{start, iv.End})
		}
	}
	return out
}

// Contains reports whether every transaction of o is in s.
func (s Set) Contains(o Set) bool { return o.Subtract(s).IsEmpty() }

// Equal reports whether s and o hold the same transactions.
func (s Set) Equal(o Set) bool { return s.Contains(o) && o.Contains(s) }

// Only returns the transactions of s whose origin satisfies keep.
func (s Set) Only(keep func(Origin) bool) Set {
	out := Set{m: map[Origin][]Interval{}}
	for k, ivs := range s.m {
		if keep(k) {
			out.m[k] = append([]Interval(nil), ivs...)
		}
	}
	return out
}
