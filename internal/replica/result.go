package replica

import (
	"fmt"
	"strconv"
	"strings"
)

// field is one Channel field and the columns that may carry it, newest
// spelling first; the first of them present in the result is used.
type field struct {
	columns []string
	set     func(c *Channel, v string) error
}

var fields = []field{
	{[]string{"Channel_Name", "Connection_name"}, text(func(c *Channel) *string { return &c.Name })},

	{[]string{"Source_Host", "Master_Host"}, text(func(c *Channel) *string { return &c.SourceHost })},
	{[]string{"Source_Port", "Master_Port"}, integer(func(c *Channel) *int { return &c.SourcePort })},
	{[]string{"Source_User", "Master_User"}, text(func(c *Channel) *string { return &c.SourceUser })},
	{[]string{"Source_Server_Id", "Master_Server_Id"}, integer64(func(c *Channel) *int64 { return &c.SourceServerID })},
	{[]string{"Source_UUID", "Master_UUID"}, text(func(c *Channel) *string { return &c.SourceUUID })},

	{[]string{"Replica_IO_State", "Slave_IO_State"}, text(func(c *Channel) *string { return &c.IOState })},
	{[]string{"Replica_SQL_Running_State", "Slave_SQL_Running_State", "Slave_SQL_State"}, text(func(c *Channel) *string { return &c.SQLState })},
	{[]string{"Replica_IO_Running", "Slave_IO_Running"}, thread(func(c *Channel) *ThreadState { return &c.IO })},
	{[]string{"Replica_SQL_Running", "Slave_SQL_Running"}, thread(func(c *Channel) *ThreadState { return &c.SQL })},

	{[]string{"Seconds_Behind_Source", "Seconds_Behind_Master"}, lag(func(c *Channel) *Lag { return &c.Lag })},
	{[]string{"SQL_Delay"}, integer64(func(c *Channel) *int64 { return &c.SQLDelay })},
	{[]string{"SQL_Remaining_Delay"}, lag(func(c *Channel) *Lag { return &c.SQLRemainingDelay })},

	{[]string{"Last_IO_Errno"}, integer(func(c *Channel) *int { return &c.LastIOErrno })},
	{[]string{"Last_IO_Error"}, text(func(c *Channel) *string { return &c.LastIOError })},
	{[]string{"Last_SQL_Errno"}, integer(func(c *Channel) *int { return &c.LastSQLErrno })},
	{[]string{"Last_SQL_Error"}, text(func(c *Channel) *string { return &c.LastSQLError })},
	{[]string{"Last_Errno"}, integer(func(c *Channel) *int { return &c.LastErrno })},
	{[]string{"Last_Error"}, text(func(c *Channel) *string { return &c.LastError })},

	{[]string{"Source_Log_File", "Master_Log_File"}, text(func(c *Channel) *string { return &c.SourceLogFile })},
	{[]string{"Read_Source_Log_Pos", "Read_Master_Log_Pos"}, integer64(func(c *Channel) *int64 { return &c.ReadSourceLogPos })},
	{[]string{"Relay_Source_Log_File", "Relay_Master_Log_File"}, text(func(c *Channel) *string { return &c.RelaySourceLogFile })},
	{[]string{"Exec_Source_Log_Pos", "Exec_Master_Log_Pos"}, integer64(func(c *Channel) *int64 { return &c.ExecSourceLogPos })},
	{[]string{"Relay_Log_Space"}, integer64(func(c *Channel) *int64 { return &c.RelayLogSpace })},

	{[]string{"Source_SSL_Allowed", "Master_SSL_Allowed"}, text(func(c *Channel) *string { return &c.SSLAllowed })},

	{[]string{"Using_Gtid"}, text(func(c *Channel) *string { return &c.UsingGTID })},
	{[]string{"Gtid_Slave_Pos"}, text(func(c *Channel) *string { return &c.GTIDSlavePos })},
	{[]string{"Retrieved_Gtid_Set"}, text(func(c *Channel) *string { return &c.RetrievedGTIDSet })},
	{[]string{"Executed_Gtid_Set"}, text(func(c *Channel) *string { return &c.ExecutedGTIDSet })},
}

func text(p func(*Channel) *string) func(*Channel, string) error {
	return func(c *Channel, v string) error { *p(c) = v; return nil }
}

func thread(p func(*Channel) *ThreadState) func(*Channel, string) error {
	return func(c *Channel, v string) error { *p(c) = parseThreadState(v); return nil }
}

func integer64(p func(*Channel) *int64) func(*Channel, string) error {
	return func(c *Channel, v string) error {
		n, ok, err := parseInt(v)
		if ok {
			*p(c) = n
		}
		return err
	}
}

func integer(p func(*Channel) *int) func(*Channel, string) error {
	return func(c *Channel, v string) error {
		n, ok, err := parseInt(v)
		if ok && int64(int(n)) != n {
			return fmt.Errorf("%q is out of range", v)
		}
		if ok {
			*p(c) = int(n)
		}
		return err
	}
}

func lag(p func(*Channel) *Lag) func(*Channel, string) error {
	return func(c *Channel, v string) error {
		n, ok, err := parseInt(v)
		if ok {
			*p(c) = Lag{Seconds: n, Known: true}
		}
		return err
	}
}

// parseInt reads a whole number; an empty value is no number (ok false)
// rather than an error, so it leaves the field as an absent column would.
func parseInt(v string) (n int64, ok bool, err error) {
	t := strings.TrimSpace(v)
	if t == "" {
		return 0, false, nil
	}
	n, err = strconv.ParseInt(t, 10, 64)
	if err != nil {
		return 0, false, fmt.Errorf("%q is not a whole number", v)
	}
	return n, true, nil
}

// FromResult turns a replica status result into one Channel per row, in the
// server's order. A nil value is SQL NULL. Columns are matched by name,
// ignoring case, under their Source_/Replica_ and Master_/Slave_ spellings;
// columns this package does not model are kept in Channel.Raw only. Rows are
// never merged, not even two with the same channel name.
func FromResult(columns []string, rows [][]*string) ([]Channel, error) {
	index := make(map[string]int, len(columns))
	for i, key := range lowerNames(columns) {
		if j, dup := index[key]; dup {
			return nil, fmt.Errorf("replica status: column %q appears twice (positions %d and %d)", columns[i], j+1, i+1)
		}
		index[key] = i
	}

	channels := make([]Channel, 0, len(rows))
	for r, row := range rows {
		if len(row) != len(columns) {
			return nil, fmt.Errorf("replica status: row %d has %d values for %d columns", r+1, len(row), len(columns))
		}
		c := Channel{
			Columns: append([]string(nil), columns...),
			Raw:     make(map[string]string, len(columns)),
		}
		for i, v := range row {
			if v != nil {
				c.Raw[columns[i]] = *v
			}
		}
		for _, f := range fields {
			col, v, ok := lookup(index, columns, row, f.columns)
			if !ok {
				continue // column missing or NULL: the field keeps its zero value
			}
			if err := f.set(&c, v); err != nil {
				return nil, fmt.Errorf("replica status: row %d, column %s: %w", r+1, col, err)
			}
		}
		channels = append(channels, c)
	}
	return channels, nil
}

// lookup returns the first of names present in the result, and its value
// when that value is not NULL. index is keyed by lower-case column names.
func lookup(index map[string]int, columns []string, row []*string, names []string) (string, string, bool) {
	var buf [64]byte
	for _, name := range names {
		i, ok := index[string(lowerASCII(buf[:0], name))] // no copy of the key is made (a longer name spills to the heap)
		if !ok {
			continue
		}
		if row[i] == nil {
			return columns[i], "", false
		}
		return columns[i], *row[i], true
	}
	return "", "", false
}

// lowerNames returns the names in lower case (strings.ToLower), as slices
// of one string: three allocations for a result's sixty-odd columns instead
// of one per name.
func lowerNames(names []string) []string {
	n := 0
	for _, name := range names {
		n += len(name)
	}
	b := make([]byte, 0, n)
	ends := make([]int, len(names))
	for i, name := range names {
		if isASCII(name) {
			b = lowerASCII(b, name)
		} else {
			b = append(b, strings.ToLower(name)...)
		}
		ends[i] = len(b)
	}
	all := string(b)
	out := make([]string, len(names))
	start := 0
	for i, end := range ends {
		out[i], start = all[start:end], end
	}
	return out
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// lowerASCII appends name in lower case to b. The names looked up are the
// ASCII column names of the fields table; the index's keys were lowered
// with strings.ToLower, which agrees with this on ASCII.
func lowerASCII(b []byte, name string) []byte {
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}
