package replica

// Channel is one replication channel (MySQL) or connection (MariaDB): one
// row of the replica status result, under names that do not depend on the
// server's dialect.
type Channel struct {
	Name string // Channel_Name (MySQL 5.7+) or Connection_name (MariaDB); "" for the default

	SourceHost     string // Source_Host / Master_Host
	SourcePort     int    // Source_Port / Master_Port
	SourceUser     string // Source_User / Master_User
	SourceServerID int64  // Source_Server_Id / Master_Server_Id; 0 when absent
	SourceUUID     string // Source_UUID / Master_UUID (MySQL 5.6+)

	IOState  string      // Replica_IO_State / Slave_IO_State, the I/O thread's own words
	SQLState string      // Replica_SQL_Running_State / Slave_SQL_Running_State / Slave_SQL_State; "" when absent
	IO       ThreadState // Replica_IO_Running / Slave_IO_Running
	SQL      ThreadState // Replica_SQL_Running / Slave_SQL_Running

	Lag               Lag   // Seconds_Behind_Source / Seconds_Behind_Master; NULL is not 0
	SQLDelay          int64 // SQL_Delay, the configured delay in seconds (MySQL 5.6+, MariaDB 10.2.3+)
	SQLRemainingDelay Lag   // SQL_Remaining_Delay, known only while the applier waits out the delay

	LastIOErrno  int    // Last_IO_Errno (MySQL 5.1+)
	LastIOError  string // Last_IO_Error
	LastSQLErrno int    // Last_SQL_Errno (MySQL 5.1+)
	LastSQLError string // Last_SQL_Error
	LastErrno    int    // Last_Errno: the applier's error, and the only error column of MySQL 5.0
	LastError    string // Last_Error

	SourceLogFile      string // Source_Log_File / Master_Log_File: the source binary log being read
	ReadSourceLogPos   int64  // Read_Source_Log_Pos / Read_Master_Log_Pos
	RelaySourceLogFile string // Relay_Source_Log_File / Relay_Master_Log_File: the source binary log being applied
	ExecSourceLogPos   int64  // Exec_Source_Log_Pos / Exec_Master_Log_Pos
	RelayLogSpace      int64  // Relay_Log_Space, bytes of relay log on disk

	SSLAllowed string // Source_SSL_Allowed / Master_SSL_Allowed: "Yes", "No", "Ignored", or "" when absent

	UsingGTID        string // Using_Gtid (MariaDB): "No", "Slave_Pos" or "Current_Pos"
	GTIDSlavePos     string // Gtid_Slave_Pos (MariaDB SHOW ALL SLAVES STATUS)
	RetrievedGTIDSet string // Retrieved_Gtid_Set (MySQL 5.6+)
	ExecutedGTIDSet  string // Executed_Gtid_Set (MySQL 5.6+)

	Columns []string          // every column name, in the server's order
	Raw     map[string]string // every non-NULL value by column name as returned; NULL columns are absent
}

// Null reports whether the row has the column and its value is NULL.
func (c Channel) Null(column string) bool {
	if _, ok := c.Raw[column]; ok {
		return false
	}
	for _, name := range c.Columns {
		if name == column {
			return true
		}
	}
	return false
}

// PositionDistance returns how many bytes of the source's binary log have
// been read but not yet applied, when both positions refer to the same
// source log file; otherwise it returns false.
func (c Channel) PositionDistance() (int64, bool) {
	if c.SourceLogFile == "" || c.SourceLogFile != c.RelaySourceLogFile {
		return 0, false
	}
	if c.ReadSourceLogPos < c.ExecSourceLogPos {
		return 0, false // not a distance: the positions were read at different moments
	}
	return c.ReadSourceLogPos - c.ExecSourceLogPos, true
}
