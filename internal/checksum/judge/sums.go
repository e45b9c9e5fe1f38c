package judge

import "errors"

// Sum is the checksum of one unit (a whole table or one chunk) on one server.
type Sum struct {
	Rows  int64  // rows counted; -1 when the method does not count rows
	Value string // the checksum as the server printed it
}

// Sums maps unit numbers to their sums.
type Sums map[int]Sum

// Rows adds up the row counts of the units (CHECKSUM TABLE counts none).
func (s Sums) Rows() int64 {
	var n int64
	for _, v := range s {
		n += max(v.Rows, 0)
	}
	return n
}

// Coords is a server's replication position at one moment.
type Coords struct {
	GTID string // MariaDB GTID position or MySQL GTID set; "" when positions are used
	File string // binary log file name
	Pos  int64  // binary log position
}

// ErrMissing marks a table that does not exist on the server asked.
var ErrMissing = errors.New("table does not exist")
