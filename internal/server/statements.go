package server

// Statements whose spelling depends on the server. Each choice below is
// made from the Identity alone; statements_test.go tables them by version.
const (
	// ShowSlaveStatus lists the replication threads (all MySQL-family servers before the renaming).
	ShowSlaveStatus = "SHOW SLAVE STATUS"
	// ShowReplicaStatus is the MySQL 8.0.22+ name of ShowSlaveStatus, with Source_/Replica_ columns.
	ShowReplicaStatus = "SHOW REPLICA STATUS"
	// ShowAllSlavesStatus lists every MariaDB 10.0+ connection, with Connection_name first.
	ShowAllSlavesStatus = "SHOW ALL SLAVES STATUS"

	// ShowMasterStatus shows the current binary log file and position.
	ShowMasterStatus = "SHOW MASTER STATUS"
	// ShowBinaryLogStatus is the MySQL 8.2.0+ name of ShowMasterStatus.
	ShowBinaryLogStatus = "SHOW BINARY LOG STATUS"
	// ShowBinlogStatus is the MariaDB 10.5.2+ name of ShowMasterStatus.
	ShowBinlogStatus = "SHOW BINLOG STATUS"

	// ShowSlaveHosts lists the replicas registered with a source.
	ShowSlaveHosts = "SHOW SLAVE HOSTS"
	// ShowReplicas is the MySQL 8.0.22+ name of ShowSlaveHosts.
	ShowReplicas = "SHOW REPLICAS"
	// ShowReplicaHosts is the MariaDB 10.5.1+ name of ShowSlaveHosts.
	ShowReplicaHosts = "SHOW REPLICA HOSTS"

	// LogSlaveUpdates is the variable that says whether applied changes are binary-logged.
	LogSlaveUpdates = "log_slave_updates"
	// LogReplicaUpdates is the MySQL 8.0.26+ name of LogSlaveUpdates.
	LogReplicaUpdates = "log_replica_updates"
)

// ReplicaStatusQuery returns the statement that lists every replication
// channel: SHOW ALL SLAVES STATUS on MariaDB 10.0 and later (multi-source),
// SHOW REPLICA STATUS on MySQL and Percona 8.0.22 and later, and
// SHOW SLAVE STATUS otherwise.
func (id Identity) ReplicaStatusQuery() string {
	switch {
	case id.Flavor == MariaDB && id.Version.AtLeast(10, 0, 0):
		return ShowAllSlavesStatus
	case id.Flavor.mysqlLike() && id.Version.AtLeast(8, 0, 22):
		return ShowReplicaStatus
	default:
		return ShowSlaveStatus
	}
}

// FallbackReplicaStatusQuery returns the statement to try when
// ReplicaStatusQuery's answer is a syntax error (1064), or "" when there is
// none: SHOW SLAVE STATUS, except where it is already the first choice or
// where the server no longer knows it (MySQL and Percona 8.4 and later).
func (id Identity) FallbackReplicaStatusQuery() string {
	first := id.ReplicaStatusQuery()
	switch {
	case first == ShowSlaveStatus:
		return ""
	case id.Flavor.mysqlLike() && id.Version.AtLeast(8, 4, 0):
		return ""
	default:
		return ShowSlaveStatus
	}
}

// MasterStatusQuery returns the statement that shows the current binary log
// file and position: SHOW BINARY LOG STATUS on MySQL and Percona 8.2.0 and
// later (SHOW MASTER STATUS is gone in 8.4), SHOW BINLOG STATUS on MariaDB
// 10.5.2 and later, and SHOW MASTER STATUS otherwise.
func (id Identity) MasterStatusQuery() string {
	switch {
	case id.Flavor.mysqlLike() && id.Version.AtLeast(8, 2, 0):
		return ShowBinaryLogStatus
	case id.Flavor == MariaDB && id.Version.AtLeast(10, 5, 2):
		return ShowBinlogStatus
	default:
		return ShowMasterStatus
	}
}

// ReplicaHostsQuery returns the statement that lists the replicas registered
// with this server: SHOW REPLICAS on MySQL and Percona 8.0.22 and later,
// SHOW REPLICA HOSTS on MariaDB 10.5.1 and later, and SHOW SLAVE HOSTS
// otherwise.
func (id Identity) ReplicaHostsQuery() string {
	switch {
	case id.Flavor.mysqlLike() && id.Version.AtLeast(8, 0, 22):
		return ShowReplicas
	case id.Flavor == MariaDB && id.Version.AtLeast(10, 5, 1):
		return ShowReplicaHosts
	default:
		return ShowSlaveHosts
	}
}

// LogReplicaUpdatesVar returns the name of the variable that says whether
// applied changes are written to this server's binary log:
// log_replica_updates on MySQL and Percona 8.0.26 and later, and
// log_slave_updates otherwise (MariaDB has no other name for it).
func (id Identity) LogReplicaUpdatesVar() string {
	if id.Flavor.mysqlLike() && id.Version.AtLeast(8, 0, 26) {
		return LogReplicaUpdates
	}
	return LogSlaveUpdates
}

// ApplierWorkerErrors lists the applier workers (MySQL's multi-threaded
// replica) whose last transaction failed: every column of
// performance_schema.replication_applier_status_by_worker, whose column set
// differs between 5.7 and 8.0 (read by name).
const ApplierWorkerErrors = "SELECT * FROM performance_schema.replication_applier_status_by_worker WHERE LAST_ERROR_NUMBER <> 0"

// ApplierWorkerErrorsQuery returns ApplierWorkerErrors on MySQL and Percona
// 5.7.2 and later, where the table exists, and "" elsewhere. MariaDB's
// parallel replication reports the failing worker's own error in
// Last_SQL_Error, so there is nothing to look up.
func (id Identity) ApplierWorkerErrorsQuery() string {
	if id.Flavor.mysqlLike() && id.Version.AtLeast(5, 7, 2) {
		return ApplierWorkerErrors
	}
	return ""
}
