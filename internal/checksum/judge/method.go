package judge

import (
	"fmt"
	"strings"

	"github.com/replmon/replmon/internal/checksum/plan"
	"github.com/replmon/replmon/internal/server"
)

// Method is how a table's contents are summed.
type Method string

// The methods; Auto chooses between the other two.
const (
	Auto          Method = "auto"           // checksum-table where comparable, rows otherwise
	ChecksumTable Method = "checksum-table" // CHECKSUM TABLE
	Rows          Method = "rows"           // a hash of the rows computed by the server, by chunk
)

// ColumnLists is the comparison made first when a table's columns differ
// between the servers: of the column lists, not the data (no --method
// value chooses it).
const ColumnLists Method = "column lists"

// Methods lists the values of --method.
var Methods = []string{string(Auto), string(ChecksumTable), string(Rows)}

// Choice is the method chosen for one table on one replica.
type Choice struct {
	Method Method
	// Incomparable, with ChecksumTable asked for explicitly, says why a
	// difference between the two CHECKSUM TABLE values means nothing.
	Incomparable string
	// Note says why Auto chose Rows.
	Note string
}

// ChooseMethod picks the method for one table between the servers src and
// rep: CHECKSUM TABLE only between servers of one flavour and major.minor
// version holding the table with the same engine, row format and column
// types, since its value depends on all of them; the rows method
// otherwise. rt is nil when the table is not on the replica (the
// comparison then confirms that).
func ChooseMethod(asked Method, src, rep server.Identity, st, rt *plan.TableInfo) Choice {
	why := checksumTableMismatch(src, rep, st, rt)
	switch asked {
	case Rows:
		return Choice{Method: Rows}
	case ChecksumTable:
		if why != "" {
			return Choice{Method: ChecksumTable, Incomparable: "CHECKSUM TABLE values differ by design: " + why + "; use --method=rows"}
		}
		return Choice{Method: ChecksumTable}
	}
	if why != "" {
		return Choice{Method: Rows, Note: why}
	}
	return Choice{Method: ChecksumTable}
}

// checksumTableMismatch says why CHECKSUM TABLE values of the two servers
// cannot be compared, or "" when they can.
func checksumTableMismatch(src, rep server.Identity, st, rt *plan.TableInfo) string {
	if !src.SameFamily(rep) {
		return fmt.Sprintf("versions differ: %s and %s", src, rep)
	}
	if st.Versioned || rt != nil && rt.Versioned {
		// A plain SELECT reads the current rows; CHECKSUM TABLE sums the
		// history too, which each server may keep or purge on its own.
		return "system-versioned: the current rows are compared"
	}
	if rt == nil {
		return ""
	}
	switch {
	case !strings.EqualFold(st.Engine, rt.Engine):
		return fmt.Sprintf("engines differ: %s and %s", st.Engine, rt.Engine)
	case !strings.EqualFold(st.RowFormat, rt.RowFormat):
		return fmt.Sprintf("row formats differ: %s and %s", st.RowFormat, rt.RowFormat)
	case st.Signature() != rt.Signature():
		return "column definitions differ"
	}
	return ""
}

// SameColumnNames reports whether both tables have the same columns in the
// same order; when not, the rows method cannot compare them.
func SameColumnNames(st, rt *plan.TableInfo) bool {
	a, b := st.ColumnNames(), rt.ColumnNames()
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// KeyCollations says how the primary key of the table collates
// differently on the replica, or "" when it does not. Chunk boundaries are
// read on the source and compared under each server's own collation: where
// the key collates differently, the same boundary selects other rows on the
// replica, so the rows method compares such a table in one chunk.
func KeyCollations(st, rt *plan.TableInfo) string {
	if rt == nil {
		return ""
	}
	var diffs []string
	for _, name := range st.PK {
		a, okA := st.Column(name)
		b, okB := rt.Column(name)
		if okA && okB && !strings.EqualFold(a.Collation, b.Collation) {
			diffs = append(diffs, fmt.Sprintf("%s %s on the source and %s on the replica", plan.QuoteIdent(name), orNone(a.Collation), orNone(b.Collation)))
		}
	}
	if len(diffs) == 0 {
		return ""
	}
	return "the key collates differently, " + strings.Join(diffs, ", ") + ": compared in one chunk"
}

func orNone(collation string) string {
	if collation == "" {
		return "no collation"
	}
	return collation
}
