package replica_test

import (
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/replica"
)

func s(v string) *string { return &v }

func TestParseThreadStateViaFromResult(t *testing.T) {
	tests := []struct {
		value *string
		want  replica.ThreadState
	}{
		{s("Yes"), replica.Running},
		{s("No"), replica.Stopped},
		{s("Connecting"), replica.Connecting},
		{s("yes"), replica.Running},
		{s(" No "), replica.Stopped},
		{s(""), replica.Absent},
		{nil, replica.Absent},
		{s("Preparing"), replica.Connecting}, // MariaDB: connected, not yet streaming
		{s("Maybe"), replica.Absent},         // a word this package does not know is not a guess
	}
	for _, tt := range tests {
		chans, err := replica.FromResult([]string{"Slave_IO_Running"}, [][]*string{{tt.value}})
		if err != nil {
			t.Fatal(err)
		}
		if got := chans[0].IO; got != tt.want {
			t.Errorf("Slave_IO_Running %v: IO = %v, want %v", deref(tt.value), got, tt.want)
		}
	}
	// A missing column is Absent too.
	chans, err := replica.FromResult([]string{"Slave_IO_Running"}, [][]*string{{s("Yes")}})
	if err != nil {
		t.Fatal(err)
	}
	if chans[0].SQL != replica.Absent {
		t.Errorf("SQL without a column = %v, want absent", chans[0].SQL)
	}
}

func deref(p *string) string {
	if p == nil {
		return "NULL"
	}
	return "'" + *p + "'"
}

func TestThreadStateString(t *testing.T) {
	for st, want := range map[replica.ThreadState]string{
		replica.Absent: "absent", replica.Stopped: "stopped", replica.Connecting: "connecting",
		replica.Running: "running", replica.ThreadState(9): "absent",
	} {
		if got := st.String(); got != want {
			t.Errorf("ThreadState(%d).String() = %q, want %q", int(st), got, want)
		}
	}
}

func TestLag(t *testing.T) {
	tests := []struct {
		value *string
		want  replica.Lag
		text  string
	}{
		{nil, replica.Lag{}, "NULL"},
		{s(""), replica.Lag{}, "NULL"},
		{s("0"), replica.Lag{Seconds: 0, Known: true}, "0"},
		{s("400"), replica.Lag{Seconds: 400, Known: true}, "400"},
	}
	for _, tt := range tests {
		for _, col := range []string{"Seconds_Behind_Master", "Seconds_Behind_Source"} {
			chans, err := replica.FromResult([]string{col}, [][]*string{{tt.value}})
			if err != nil {
				t.Fatal(err)
			}
			if got := chans[0].Lag; got != tt.want || got.String() != tt.text {
				t.Errorf("%s %s: Lag = %+v (%s), want %+v (%s)", col, deref(tt.value), got, got, tt.want, tt.text)
			}
		}
	}
}

func TestFromResultNames(t *testing.T) {
	// The same facts under each dialect's names end up in the same fields.
	tests := []struct {
		name    string
		columns []string
	}{
		{"MySQL 5.x", []string{"Master_Host", "Master_Port", "Master_User", "Slave_IO_Running", "Slave_SQL_Running", "Seconds_Behind_Master", "Master_SSL_Allowed", "Master_Log_File", "Read_Master_Log_Pos", "Relay_Master_Log_File", "Exec_Master_Log_Pos", "Slave_IO_State", "Slave_SQL_Running_State", "Master_Server_Id", "Master_UUID", "Channel_Name"}},
		{"MySQL 8.0.22+", []string{"Source_Host", "Source_Port", "Source_User", "Replica_IO_Running", "Replica_SQL_Running", "Seconds_Behind_Source", "Source_SSL_Allowed", "Source_Log_File", "Read_Source_Log_Pos", "Relay_Source_Log_File", "Exec_Source_Log_Pos", "Replica_IO_State", "Replica_SQL_Running_State", "Source_Server_Id", "Source_UUID", "Channel_Name"}},
		{"MariaDB ALL", []string{"Master_Host", "Master_Port", "Master_User", "Slave_IO_Running", "Slave_SQL_Running", "Seconds_Behind_Master", "Master_SSL_Allowed", "Master_Log_File", "Read_Master_Log_Pos", "Relay_Master_Log_File", "Exec_Master_Log_Pos", "Slave_IO_State", "Slave_SQL_State", "Master_Server_Id", "Master_UUID", "Connection_name"}},
		{"lower case", []string{"master_host", "MASTER_PORT", "master_user", "slave_io_running", "slave_sql_running", "seconds_behind_master", "master_ssl_allowed", "master_log_file", "read_master_log_pos", "relay_master_log_file", "exec_master_log_pos", "slave_io_state", "slave_sql_running_state", "master_server_id", "master_uuid", "channel_name"}},
	}
	values := []*string{s("db1"), s("3307"), s("repl"), s("Yes"), s("No"), nil, s("Ignored"), s("bin.000002"), s("900"), s("bin.000002"), s("800"), s("Waiting"), s(""), s("7"), s("uuid-1"), s("ch")}
	for _, tt := range tests {
		chans, err := replica.FromResult(tt.columns, [][]*string{values})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		c := chans[0]
		if c.SourceHost != "db1" || c.SourcePort != 3307 || c.SourceUser != "repl" || c.IO != replica.Running ||
			c.SQL != replica.Stopped || c.Lag.Known || c.SSLAllowed != "Ignored" || c.SourceLogFile != "bin.000002" ||
			c.ReadSourceLogPos != 900 || c.RelaySourceLogFile != "bin.000002" || c.ExecSourceLogPos != 800 ||
			c.IOState != "Waiting" || c.SQLState != "" || c.SourceServerID != 7 || c.SourceUUID != "uuid-1" || c.Name != "ch" {
			t.Errorf("%s: %+v", tt.name, c)
		}
		if d, ok := c.PositionDistance(); !ok || d != 100 {
			t.Errorf("%s: PositionDistance = %d, %v", tt.name, d, ok)
		}
	}
}

func TestFromResultKeepsEveryRow(t *testing.T) {
	columns := []string{"Connection_name", "Slave_IO_Running", "Slave_SQL_Running", "Some_Future_Column"}
	rows := [][]*string{
		{s("a"), s("Yes"), s("Yes"), s("1")},
		{s("a"), s("No"), s("Yes"), nil}, // a duplicate name is a second row, not an update
		{s(""), s("Yes"), s("No"), s("3")},
	}
	chans, err := replica.FromResult(columns, rows)
	if err != nil {
		t.Fatal(err)
	}
	if len(chans) != 3 {
		t.Fatalf("%d channels, want 3", len(chans))
	}
	if chans[0].Name != "a" || chans[1].Name != "a" || chans[2].Name != "" {
		t.Errorf("names %q %q %q", chans[0].Name, chans[1].Name, chans[2].Name)
	}
	if chans[0].IO != replica.Running || chans[1].IO != replica.Stopped || chans[2].SQL != replica.Stopped {
		t.Errorf("states mixed up between rows: %v %v %v", chans[0].IO, chans[1].IO, chans[2].SQL)
	}
	if chans[0].Raw["Some_Future_Column"] != "1" || !chans[1].Null("Some_Future_Column") || chans[2].Raw["Some_Future_Column"] != "3" {
		t.Errorf("unknown column not kept in Raw: %v %v %v", chans[0].Raw, chans[1].Raw, chans[2].Raw)
	}
	if chans[0].Null("No_Such_Column") {
		t.Error("Null reports true for a column the result does not have")
	}
	chans[0].Columns[0] = "changed"
	if chans[1].Columns[0] != "Connection_name" || columns[0] != "Connection_name" {
		t.Error("channels share their Columns slice with each other or with the caller")
	}
}

func TestFromResultEmpty(t *testing.T) {
	chans, err := replica.FromResult([]string{"Slave_IO_State", "Master_Host"}, nil)
	if err != nil || chans == nil || len(chans) != 0 {
		t.Errorf("FromResult with no rows = %v, %v; want an empty, non-nil slice", chans, err)
	}
}

func TestFromResultErrors(t *testing.T) {
	tests := []struct {
		name    string
		columns []string
		rows    [][]*string
		want    string
	}{
		{"short row", []string{"Master_Host", "Master_Port"}, [][]*string{{s("h")}}, "row 1 has 1 values for 2 columns"},
		{"long row", []string{"Master_Host"}, [][]*string{{s("h")}, {s("h"), s("x")}}, "row 2 has 2 values for 1 columns"},
		{"repeated column", []string{"Master_Host", "master_host"}, nil, `column "master_host" appears twice`},
		{"bad port", []string{"Master_Port"}, [][]*string{{s("33o6")}}, `row 1, column Master_Port: "33o6" is not a whole number`},
		{"bad lag", []string{"Seconds_Behind_Source"}, [][]*string{{s("soon")}}, `column Seconds_Behind_Source: "soon" is not a whole number`},
		{"bad position", []string{"Exec_Master_Log_Pos"}, [][]*string{{s("1.5")}}, "column Exec_Master_Log_Pos"},
		{"huge errno", []string{"Last_IO_Errno"}, [][]*string{{s("99999999999999999999")}}, "column Last_IO_Errno"},
	}
	for _, tt := range tests {
		_, err := replica.FromResult(tt.columns, tt.rows)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want it to contain %q", tt.name, err, tt.want)
		}
	}
}

func TestFromResultEmptyNumbers(t *testing.T) {
	chans, err := replica.FromResult([]string{"Master_Port", "Master_Server_Id", "SQL_Delay"}, [][]*string{{s(""), nil, s(" ")}})
	if err != nil {
		t.Fatal(err)
	}
	if c := chans[0]; c.SourcePort != 0 || c.SourceServerID != 0 || c.SQLDelay != 0 {
		t.Errorf("empty numbers: %+v", c)
	}
}

func TestPositionDistance(t *testing.T) {
	tests := []struct {
		name                   string
		readFile, execFile     string
		readPos, execPos, dist int64
		ok                     bool
	}{
		{"caught up", "bin.000010", "bin.000010", 4096, 4096, 0, true},
		{"behind", "bin.000010", "bin.000010", 9000, 4096, 4904, true},
		{"reader in a newer file", "bin.000011", "bin.000010", 120, 900000, 0, false},
		{"nothing read yet", "", "", 4, 4, 0, false},
		{"exec ahead (positions from different moments)", "bin.000010", "bin.000010", 100, 200, 0, false},
	}
	for _, tt := range tests {
		c := replica.Channel{SourceLogFile: tt.readFile, RelaySourceLogFile: tt.execFile, ReadSourceLogPos: tt.readPos, ExecSourceLogPos: tt.execPos}
		d, ok := c.PositionDistance()
		if d != tt.dist || ok != tt.ok {
			t.Errorf("%s: PositionDistance = %d, %v; want %d, %v", tt.name, d, ok, tt.dist, tt.ok)
		}
	}
}
