package plugin

import (
	"math"
	"strconv"
	"strings"
)

// Perf is one performance data item.
type Perf struct {
	Label string
	Value float64
	Unit  string // "", "s", "ms", "us", "%", "B", "KB", "MB", "GB", "TB", "c"
	Warn  *Threshold
	Crit  *Threshold
	Min   *float64
	Max   *float64
}

// Float returns a pointer to v, for Perf.Min and Perf.Max.
func Float(v float64) *float64 { return &v }

// String renders the item as 'label'=value[UOM];[warn];[crit];[min];[max],
// with warn and crit as the ranges the user gave and trailing empty fields dropped.
func (p Perf) String() string {
	value := formatNumber(p.Value) + p.Unit
	if value == "U"+p.Unit {
		value = "U" // an undetermined value carries no unit
	}
	fields := []string{
		value,
		p.Warn.String(),
		p.Crit.String(),
		formatOptional(p.Min),
		formatOptional(p.Max),
	}
	for len(fields) > 1 && fields[len(fields)-1] == "" {
		fields = fields[:len(fields)-1]
	}
	return quoteLabel(p.Label) + "=" + strings.Join(fields, ";")
}

func formatOptional(v *float64) string {
	if v == nil {
		return ""
	}
	return formatNumber(*v)
}

func formatNumber(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "U"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// quoteLabel makes a label safe: '=' and quotes cannot appear in a label,
// and one with spaces or other special characters is quoted.
func quoteLabel(l string) string {
	l = strings.Map(func(r rune) rune {
		switch r {
		case '=', '\'', '"', '|', '\n', '\r':
			return '_'
		}
		return r
	}, l)
	if l == "" {
		l = "_"
	}
	if strings.ContainsAny(l, " \t;,") {
		return "'" + l + "'"
	}
	return l
}
