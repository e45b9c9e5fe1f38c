package iocheck

import (
	"github.com/replmon/replmon/internal/heartbeat"
	"github.com/replmon/replmon/internal/iocheck/judge"
	"github.com/replmon/replmon/internal/plugin"
	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/testkit/fakedb"
)

// hbTable is the heartbeat table of the heartbeat cases.
var hbTable = heartbeat.Table{DB: "percona", Name: "heartbeat"}

// hbStatement is what MySQL 8.0 (scenario-healthy, scenario-delayed) is sent.
const hbStatement = "SELECT server_id, ts, NOW(6), @@server_id FROM `percona`.`heartbeat`"

// hbRows answers hbStatement on a server with server_id 11 whose clock
// reads 2024-06-11 10:30:00.000000: one row per origin, "id=ts".
func hbRows(rows ...[2]string) map[string]fakedb.Result {
	s := func(v string) *string { return &v }
	r := fakedb.Result{Columns: []string{"server_id", "ts", "NOW(6)", "@@server_id"}}
	for _, row := range rows {
		r.Rows = append(r.Rows, []*string{s(row[0]), s(row[1]), s("2024-06-11 10:30:00.000000"), s("11")})
	}
	return map[string]fakedb.Result{hbStatement: r}
}

// hbError answers hbStatement with a server error.
func hbError(number uint16, state, msg string) map[string]fakedb.Result {
	return map[string]fakedb.Result{hbStatement: {Err: &query.ServerError{Number: number, SQLState: state, Message: msg}}}
}

// withHeartbeat sets --heartbeat percona.heartbeat, then more.
func withHeartbeat(more func(*judge.Options)) func(*judge.Options) {
	return func(o *judge.Options) {
		t := hbTable
		o.Heartbeat = &t
		o.HeartbeatMaxAge = 24 * 3600e9
		if more != nil {
			more(o)
		}
	}
}

// heartbeatCases judge the pt-heartbeat table of a replica of a replica
// (server_id 11) whose masters are server_id 1 and 2, writing every second.
var heartbeatCases = []optionCase{
	{"scenario-healthy", "heartbeat", withHeartbeat(nil),
		hbRows([2]string{"1", "2024-06-11T10:29:59.600000"}, [2]string{"2", "2024-06-11T10:29:59.100000"}, [2]string{"11", "2024-06-11T10:29:59.900000"})},
	// m2's SQL thread stopped: m1's beats stop at m2, m2's own still flow;
	// Seconds_Behind_Master of this replica of m2 stays 0.
	{"scenario-healthy", "heartbeat-stopped-hop", withHeartbeat(func(o *judge.Options) {
		o.Warn, o.Crit = plugin.MustThreshold("10"), plugin.MustThreshold("30")
	}),
		hbRows([2]string{"1", "2024-06-11T10:29:14.800000"}, [2]string{"2", "2024-06-11T10:29:59.500000"})},
	{"scenario-healthy", "heartbeat-warning", withHeartbeat(nil),
		hbRows([2]string{"1", "2024-06-11T10:28:55.000000"}, [2]string{"2", "2024-06-11T10:29:59.500000"})},
	{"scenario-healthy", "heartbeat-origin-missing", withHeartbeat(func(o *judge.Options) { o.HeartbeatOrigins = []int64{1, 3} }),
		hbRows([2]string{"1", "2024-06-11T10:29:59.600000"}, [2]string{"2", "2024-06-11T10:29:59.100000"})},
	// A master gone two days ago left its row; its first row's NOW() has no fraction.
	{"scenario-healthy", "heartbeat-gone", withHeartbeat(nil),
		hbRows([2]string{"1", "2024-06-11T10:29:59.600000"}, [2]string{"7", "2024-06-09 08:12:40"})},
	{"scenario-healthy", "heartbeat-all-gone", withHeartbeat(nil),
		hbRows([2]string{"7", "2024-06-09T08:12:40.000000"})},
	{"scenario-healthy", "heartbeat-empty", withHeartbeat(nil), hbRows()},
	// The same old row, asked for by name, is judged.
	{"scenario-healthy", "heartbeat-gone-asked", withHeartbeat(func(o *judge.Options) { o.HeartbeatOrigins = []int64{7} }),
		hbRows([2]string{"1", "2024-06-11T10:29:59.600000"}, [2]string{"7", "2024-06-09 08:12:40"})},
	// pt-heartbeat without --utc on a host two hours ahead, read with UTC.
	{"scenario-healthy", "heartbeat-skew", withHeartbeat(nil),
		hbRows([2]string{"1", "2024-06-11T12:29:59.600000"})},
	{"scenario-healthy", "heartbeat-unreadable-ts", withHeartbeat(nil),
		hbRows([2]string{"1", "not a time"})},
	{"scenario-healthy", "heartbeat-no-table", withHeartbeat(nil),
		hbError(1146, "42S02", "Table 'percona.heartbeat' doesn't exist")},
	{"scenario-healthy", "heartbeat-denied", withHeartbeat(nil),
		hbError(1142, "42000", "SELECT command denied to user 'monitor'@'10.20.0.5' for table 'heartbeat'")},
	{"scenario-healthy", "heartbeat-not-pt-heartbeat", withHeartbeat(nil),
		hbError(1054, "42S22", "Unknown column 'server_id' in 'field list'")},
	// A replica delayed by an hour: the heartbeat is an hour old plus 50s.
	{"scenario-delayed", "heartbeat-subtract-delay", withHeartbeat(func(o *judge.Options) { o.SubtractDelay = true }),
		hbRows([2]string{"1", "2024-06-11T09:29:10.000000"})},
	// A stopped SQL thread: the heartbeat still says how old the data is.
	{"scenario-sql-stopped", "heartbeat", withHeartbeat(nil),
		hbRows([2]string{"1", "2024-06-11T10:25:00.000000"})},
}
