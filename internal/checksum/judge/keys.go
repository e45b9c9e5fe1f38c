package judge

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/replmon/replmon/internal/checksum/plan"
)

// DiffKind says how one row differs.
type DiffKind int

// The ways a row can differ.
const (
	Different   DiffKind = iota // on both sides with other values
	OnlySource                  // on the source only
	OnlyReplica                 // on the replica only
)

// String returns the kind as the long output shows it.
func (k DiffKind) String() string {
	switch k {
	case OnlySource:
		return "only on the source"
	case OnlyReplica:
		return "only on the replica"
	default:
		return "differs"
	}
}

// KeyDiff is one primary key whose row differs.
type KeyDiff struct {
	Key  string // formatted, e.g. "id=5" or "(a,b)=(1,'x')"
	Kind DiffKind
}

// KeyRow is one row read by a keys statement: its key values and its hash.
type KeyRow struct {
	Key  []string
	Hash string
}

// KeyID joins key values unambiguously.
func KeyID(vals []string) string {
	var b strings.Builder
	for _, v := range vals {
		b.WriteString(strconv.Itoa(len(v)))
		b.WriteByte(':')
		b.WriteString(v)
	}
	return b.String()
}

// RowDiff is one differing key with its raw values.
type RowDiff struct {
	ID   string // KeyID of Key
	Key  []string
	Kind DiffKind
}

// DiffRows compares source and replica rows of one chunk.
func DiffRows(src, rep map[string]KeyRow) []RowDiff {
	var out []RowDiff
	for id, s := range src {
		r, ok := rep[id]
		switch {
		case !ok:
			out = append(out, RowDiff{id, s.Key, OnlySource})
		case r.Hash != s.Hash:
			out = append(out, RowDiff{id, s.Key, Different})
		}
	}
	for id, r := range rep {
		if _, ok := src[id]; !ok {
			out = append(out, RowDiff{id, r.Key, OnlyReplica})
		}
	}
	sort.Slice(out, func(i, j int) bool { return lessKey(out[i].Key, out[j].Key) })
	return out
}

// lessKey orders keys numerically where both values are numbers.
func lessKey(a, b []string) bool {
	for i := range a {
		if a[i] == b[i] {
			continue
		}
		x, errX := strconv.ParseFloat(a[i], 64)
		y, errY := strconv.ParseFloat(b[i], 64)
		if errX == nil && errY == nil && x != y {
			return x < y
		}
		return a[i] < b[i]
	}
	return false
}

// ConfirmedDiffs keeps the differences whose source row did not change
// between the two reads of the source.
func ConfirmedDiffs(diffs []RowDiff, before, after map[string]KeyRow) []RowDiff {
	var out []RowDiff
	for _, d := range diffs {
		b, inB := before[d.ID]
		a, inA := after[d.ID]
		if inA == inB && a.Hash == b.Hash {
			out = append(out, d)
		}
	}
	return out
}

// SameDiffs keeps the differences of a found again, alike, in b.
func SameDiffs(a, b []RowDiff) []RowDiff {
	again := map[string]DiffKind{}
	for _, d := range b {
		again[d.ID] = d.Kind
	}
	var out []RowDiff
	for _, d := range a {
		if k, ok := again[d.ID]; ok && k == d.Kind {
			out = append(out, d)
		}
	}
	return out
}

// FormatKey writes a primary key for people: id=5, or (a,b)=(1,'x').
func FormatKey(pk []plan.Column, vals []string) string {
	if len(pk) == 1 {
		return pk[0].Name + "=" + formatValue(pk[0], vals[0])
	}
	names := make([]string, len(pk))
	vs := make([]string, len(pk))
	for i, c := range pk {
		names[i] = c.Name
		vs[i] = formatValue(c, vals[i])
	}
	return "(" + strings.Join(names, ",") + ")=(" + strings.Join(vs, ",") + ")"
}

// formatValue writes one key value: numbers bare, text quoted and cut at
// 40 characters, bytes that are not text in hex.
func formatValue(c plan.Column, v string) string {
	if plan.IsNumeric(c.DataType) && plan.IsPlainNumber(v) {
		return v
	}
	if !utf8.ValidString(v) || plan.IsBinary(c.DataType) && strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		h := fmt.Sprintf("0x%X", v)
		if len(h) > 42 {
			h = h[:42] + "..."
		}
		return h
	}
	r := []rune(v)
	cut := ""
	if len(r) > 40 {
		r, cut = r[:40], "..."
	}
	s := strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, string(r))
	return "'" + strings.ReplaceAll(s, "'", "''") + "'" + cut
}
