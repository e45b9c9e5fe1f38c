package read

import (
	"context"

	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/checksum/servers"
	"github.com/replmon/replmon/internal/query"
)

// Method sums one table on a server, unit by unit: the whole table with
// CHECKSUM TABLE (checksumtable.go), chunks of the primary key with the
// rows method (rows.go), or the column list when structures differ
// (structure.go).
type Method interface {
	// Units numbers the units, from 0.
	Units() []int
	// Sum computes unit u of the table on q, a session of n.
	Sum(ctx context.Context, n *servers.Node, q query.Runner, u int) (judge.Sum, error)
}
