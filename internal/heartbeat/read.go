package heartbeat

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/server"
)

// Beat is one row of the heartbeat table: the last beat of one origin.
type Beat struct {
	ServerID int64         // server_id of the master that writes the row
	TS       string        // ts as written, e.g. "2024-06-11T10:27:53.481617"
	Lag      time.Duration // the checked server's clock minus TS; meaningful when Parsed
	Parsed   bool          // TS is a timestamp pt-heartbeat writes
}

// Rows is what the heartbeat statement returns.
type Rows struct {
	Beats    []Beat
	ServerID int64 // @@server_id of the checked server; 0 when the table is empty
	Now      string
}

// Statement returns the one statement that reads every row with the
// checked server's clock: NOW(6), or UTC_TIMESTAMP(6) when pt-heartbeat
// writes UTC (--utc); servers without fractional seconds (MySQL and
// Percona before 5.6.4) get NOW() and UTC_TIMESTAMP().
func Statement(id server.Identity, t Table, utc bool) string {
	now := "NOW"
	if utc {
		now = "UTC_TIMESTAMP"
	}
	if id.Flavor == server.MariaDB || id.Version.AtLeast(5, 6, 4) {
		now += "(6)"
	} else {
		now += "()"
	}
	return "SELECT server_id, ts, " + now + ", @@server_id FROM " + t.quoted()
}

// layouts are the forms of ts: pt-heartbeat's own, the first row's
// NOW()/UTC_TIMESTAMP(), and the server's clock as NOW(6) returns it.
var layouts = []string{"2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999"}

// parseTime reads a timestamp without time zone; two of them compare as
// long as both are in the same zone.
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// FromResult reads the answer to Statement: server_id, ts, the server's
// clock and its own server_id, by position.
func FromResult(res *query.Result) (Rows, error) {
	if len(res.Columns) != 4 {
		return Rows{}, fmt.Errorf("heartbeat: %d columns, want 4", len(res.Columns))
	}
	var out Rows
	for r, row := range res.Rows {
		idText, ok := query.Value(row, 0)
		id, err := strconv.ParseInt(strings.TrimSpace(idText), 10, 64)
		if !ok || err != nil {
			return Rows{}, fmt.Errorf("heartbeat: row %d: server_id %q is not a number", r+1, idText)
		}
		now, _ := query.Value(row, 2)
		if own, ok := query.Value(row, 3); ok {
			out.ServerID, _ = strconv.ParseInt(strings.TrimSpace(own), 10, 64)
		}
		out.Now = now
		b := Beat{ServerID: id}
		b.TS, _ = query.Value(row, 1)
		nowT, okNow := parseTime(now)
		tsT, okTS := parseTime(b.TS)
		if okNow && okTS {
			b.Lag, b.Parsed = nowT.Sub(tsT), true
		}
		out.Beats = append(out.Beats, b)
	}
	return out, nil
}

// Read runs Statement on q. A server error is returned as query.Explain
// gives it (a refusal names the missing privilege), with the statement.
func Read(ctx context.Context, q query.Runner, id server.Identity, t Table, utc bool) (Rows, string, error) {
	stmt := Statement(id, t, utc)
	res, err := q.Query(ctx, stmt)
	if err != nil {
		return Rows{}, stmt, query.Explain(err)
	}
	rows, err := FromResult(res)
	return rows, stmt, err
}
