package topology

import "github.com/replmon/replmon/internal/address"

// ReplicaHost is one replica registered with a source (one row of SHOW
// SLAVE HOSTS, SHOW REPLICA HOSTS or SHOW REPLICAS).
type ReplicaHost struct {
	ServerID int64  // Server_id of the replica
	Host     string // its report_host ("" when it reports none)
	Port     int    // its report_port (0 when unknown)
	SourceID int64  // Master_id / Source_id: the server_id it replicates from
	UUID     string // Slave_UUID / Replica_UUID (MySQL 5.6+), "" otherwise
}

// Addr returns the replica's reported address, or the zero Addr when it
// reported no host or no port.
func (h ReplicaHost) Addr() address.Addr {
	if h.Host == "" || h.Port == 0 {
		return address.Addr{}
	}
	return address.TCP(h.Host, h.Port)
}

// Replicas is what a server tells about the replicas connected to it.
type Replicas struct {
	Stmt       string        // the statement that answered ("" when none did)
	Registered []ReplicaHost // registered replicas, when a hosts statement answered
	// Processlist is true when the Binlog Dump threads of the processlist
	// were counted instead of registered replicas.
	Processlist bool
	Dumps       []DumpThread // the Binlog Dump threads (Processlist only)
	// OthersVisible is true when the PROCESS privilege is in effect, so no
	// dump thread is hidden: the processlist shows sessions of other
	// accounts, or the account holds PROCESS (an idle server shows none).
	OthersVisible bool
	HostsErr      error // why the hosts statement was not used, when it failed
	Err           error // why nothing could be read
}

// Count returns how many replicas the server reported.
func (r Replicas) Count() int {
	if r.Processlist {
		return len(r.Dumps)
	}
	return len(r.Registered)
}

// Complete reports whether a count of zero can be trusted: a hosts statement
// answered, or the processlist shows other accounts' sessions. It returns
// why not otherwise.
func (r Replicas) Complete() (bool, string) {
	switch {
	case r.Err != nil:
		return false, r.Err.Error()
	case !r.Processlist:
		return true, ""
	case r.OthersVisible:
		return true, ""
	}
	why := "the monitoring account lacks PROCESS: the processlist shows only its own sessions, so Binlog Dump threads may be hidden"
	if r.HostsErr != nil {
		why = r.HostsErr.Error() + "; " + why
	}
	return false, why
}

// MissingPrivilege names the privilege whose lack keeps Complete false:
// PROCESS when the processlist shows only the account's own sessions, the
// one a refused statement names otherwise, "" when no privilege is to blame.
func (r Replicas) MissingPrivilege() string {
	switch {
	case r.Err != nil:
		return PrivilegeOf(r.Err)
	case r.Processlist && !r.OthersVisible:
		return "PROCESS"
	}
	return ""
}

// DumpThread is a source's session serving one replica.
type DumpThread struct {
	User    string // the replica's replication account
	Host    string // the replica's client address, without the client port
	Command string // "Binlog Dump" or "Binlog Dump GTID"
}
