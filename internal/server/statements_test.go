package server

import "testing"

// TestStatementChoice is the one table of every version-dependent statement.
func TestStatementChoice(t *testing.T) {
	const (
		slave    = ShowSlaveStatus
		replica  = ShowReplicaStatus
		all      = ShowAllSlavesStatus
		master   = ShowMasterStatus
		binary   = ShowBinaryLogStatus
		binlog   = ShowBinlogStatus
		hosts    = ShowSlaveHosts
		replicas = ShowReplicas
		rhosts   = ShowReplicaHosts
		slaveUpd = LogSlaveUpdates
		replUpd  = LogReplicaUpdates
	)
	tests := []struct {
		version, comment            string
		status, fallback            string
		masterStatus, hosts, logVar string
	}{
		// MySQL, oldest first.
		{"5.0.95-log", "", slave, "", master, hosts, slaveUpd},
		{"5.1.73-community", "", slave, "", master, hosts, slaveUpd},
		{"5.5.62-log", "", slave, "", master, hosts, slaveUpd},
		{"5.6.51", "", slave, "", master, hosts, slaveUpd},
		{"5.7.44-log", "", slave, "", master, hosts, slaveUpd},
		{"8.0.9", "", slave, "", master, hosts, slaveUpd},
		{"8.0.21", "", slave, "", master, hosts, slaveUpd},
		{"8.0.22", "", replica, slave, master, replicas, slaveUpd},
		{"8.0.25", "", replica, slave, master, replicas, slaveUpd},
		{"8.0.26", "", replica, slave, master, replicas, replUpd},
		{"8.0.36", "", replica, slave, master, replicas, replUpd},
		{"8.1.0", "", replica, slave, master, replicas, replUpd},
		{"8.2.0", "", replica, slave, binary, replicas, replUpd},
		{"8.3.0", "", replica, slave, binary, replicas, replUpd},
		{"8.4.0", "", replica, "", binary, replicas, replUpd},
		{"9.1.0", "", replica, "", binary, replicas, replUpd},
		// Percona Server follows MySQL release for release.
		{"5.7.44-48-log", "Percona Server (GPL), Release 48", slave, "", master, hosts, slaveUpd},
		{"8.0.21-12", "Percona Server (GPL), Release 12", slave, "", master, hosts, slaveUpd},
		{"8.0.36-28", "Percona Server (GPL), Release 28", replica, slave, master, replicas, replUpd},
		{"8.4.0-1", "Percona Server (GPL), Release 1", replica, "", binary, replicas, replUpd},
		// MariaDB: 10.0 brings multi-source; 10.5.1/10.5.2 the new names.
		{"5.5.68-MariaDB", "MariaDB Server", slave, "", master, hosts, slaveUpd},
		{"10.0.38-MariaDB", "", all, slave, master, hosts, slaveUpd},
		{"5.5.5-10.1.48-MariaDB", "", all, slave, master, hosts, slaveUpd},
		{"10.4.33-MariaDB", "", all, slave, master, hosts, slaveUpd},
		{"10.5.0-MariaDB", "", all, slave, master, hosts, slaveUpd},
		{"10.5.1-MariaDB", "", all, slave, master, rhosts, slaveUpd},
		{"10.5.2-MariaDB", "", all, slave, binlog, rhosts, slaveUpd},
		{"10.10.7-MariaDB", "", all, slave, binlog, rhosts, slaveUpd},
		{"10.11.6-MariaDB-0+deb12u1-log", "Debian 12", all, slave, binlog, rhosts, slaveUpd},
		{"11.4.2-MariaDB", "", all, slave, binlog, rhosts, slaveUpd},
	}
	for _, tt := range tests {
		id := mustParse(t, tt.version, tt.comment)
		check := func(what, got, want string) {
			if got != want {
				t.Errorf("%s (%s): %s = %q, want %q", tt.version, id, what, got, want)
			}
		}
		check("ReplicaStatusQuery", id.ReplicaStatusQuery(), tt.status)
		check("FallbackReplicaStatusQuery", id.FallbackReplicaStatusQuery(), tt.fallback)
		check("MasterStatusQuery", id.MasterStatusQuery(), tt.masterStatus)
		check("ReplicaHostsQuery", id.ReplicaHostsQuery(), tt.hosts)
		check("LogReplicaUpdatesVar", id.LogReplicaUpdatesVar(), tt.logVar)
	}
}

func TestStatementChoiceUnknownServer(t *testing.T) {
	var id Identity // nothing detected: the oldest, most widely understood spelling
	if got := id.ReplicaStatusQuery(); got != ShowSlaveStatus {
		t.Errorf("ReplicaStatusQuery() = %q", got)
	}
	if got := id.FallbackReplicaStatusQuery(); got != "" {
		t.Errorf("FallbackReplicaStatusQuery() = %q", got)
	}
	if got := id.MasterStatusQuery(); got != ShowMasterStatus {
		t.Errorf("MasterStatusQuery() = %q", got)
	}
	if got := id.ReplicaHostsQuery(); got != ShowSlaveHosts {
		t.Errorf("ReplicaHostsQuery() = %q", got)
	}
	if got := id.LogReplicaUpdatesVar(); got != LogSlaveUpdates {
		t.Errorf("LogReplicaUpdatesVar() = %q", got)
	}
}

// TestApplierWorkerErrorsQuery: the worker table is read only where the
// server has it (MySQL and Percona 5.7.2 and later).
func TestApplierWorkerErrorsQuery(t *testing.T) {
	for _, tt := range []struct {
		version, comment string
		want             string
	}{
		{"5.6.51", "", ""},
		{"5.7.1-m11", "", ""},
		{"5.7.2-m12", "", ApplierWorkerErrors},
		{"5.7.44-log", "", ApplierWorkerErrors},
		{"5.7.44-48-log", "Percona Server (GPL), Release 48", ApplierWorkerErrors},
		{"8.0.36", "", ApplierWorkerErrors},
		{"8.4.0", "", ApplierWorkerErrors},
		{"10.11.6-MariaDB-0+deb12u1-log", "Debian 12", ""},
		{"5.5.5-10.6.16-MariaDB", "", ""},
	} {
		if got := mustParse(t, tt.version, tt.comment).ApplierWorkerErrorsQuery(); got != tt.want {
			t.Errorf("%s %s: %q, want %q", tt.version, tt.comment, got, tt.want)
		}
	}
}
