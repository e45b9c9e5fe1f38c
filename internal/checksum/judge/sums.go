package judge

import "errors"

// Sum is the checksum of one unit (a whole table or one chunk) on one server.
type Sum struct {
	Rows  int64  // rows counted; -1 when the method does not count rows
	Value string // the checksum as the server printed it
}

// Sums maps unit numbers to their sums.
type Sums map[int]Sum

// Coords is a server's replication position at one moment.
type Coords struct {
	GTID string // MariaDB GTID position or MySQL GTID set; "" when positions are used
	File string // binary log file name
	Pos  int64  // binary log position
}

// ErrMissing marks a table that does not exist on the server asked.
var ErrMissing = errors.New("table does not exist")
