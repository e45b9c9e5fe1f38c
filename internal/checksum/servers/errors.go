package servers

// Server error numbers interpreted here.
const (
	errNoSuchTable     = 1146 // ER_NO_SUCH_TABLE
	errLockWaitTimeout = 1205 // ER_LOCK_WAIT_TIMEOUT
	errDBAccess        = 1044 // ER_DBACCESS_DENIED_ERROR
	errTableAccess     = 1142 // ER_TABLEACCESS_DENIED_ERROR
)
